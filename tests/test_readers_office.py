"""DOC/WPS through LibreOffice: the missing-tool error always; the conversion where soffice exists."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from make_files import sample_blocks, table_texts, write_docx, write_html

from extraction.errors import EncryptedFile, MissingTool
from extraction.readers import read, sniff_format
from extraction.readers.office import OfficeSettings

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole_file(path, extra: bytes = b""):
    path.write_bytes(OLE2 + b"\x00" * 504 + extra + b"\x00" * 1024)
    return path


@pytest.mark.parametrize("name", ["report.doc", "report.wps"])
def test_missing_libreoffice_says_what_to_install(tmp_path, monkeypatch, name):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))  # no soffice to be found
    with pytest.raises(MissingTool, match="apt-get install libreoffice-writer"):
        read(_ole_file(tmp_path / name))


def test_password_protected_office_file_is_reported_as_encrypted(tmp_path):
    path = _ole_file(tmp_path / "locked.doc", "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(EncryptedFile, match="password"):
        read(path)


def test_web_page_saved_as_doc_is_read_as_html(tmp_path):
    path = write_html(tmp_path / "report.doc", sample_blocks(), encoding="gbk")
    doc = read(path)
    assert doc.format == "html" and len(doc.tables) == 1


def test_sniffing_by_content_before_extension(tmp_path):
    assert sniff_format(Path("x.doc"), b"{\\rtf1\\ansi ...") == "doc"  # RTF: LibreOffice reads it
    assert sniff_format(Path("x.pdf"), b"junk\n%PDF-1.7\n") == "pdf"
    assert sniff_format(Path("x.txt"), b"%PDF-1.7\n") == "pdf"
    # a .doc holding plain text is read as text, not sent to LibreOffice
    path = tmp_path / "plain.doc"
    path.write_bytes("一、总体情况\r\n主动公开4147条".encode("gb18030"))
    doc = read(path)
    assert doc.format == "txt" and doc.text == "一、总体情况\n主动公开4147条"


def test_settings_reject_bad_timeout():
    with pytest.raises(ValueError):
        OfficeSettings(timeout=0)


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                    reason="LibreOffice (soffice) is not installed here")
def test_doc_made_by_libreoffice_reads_like_the_docx(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    src = write_docx(tmp_path / "report.docx", sample_blocks())
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "doc", "--outdir", str(tmp_path / "doc"), str(src)], check=True, timeout=180,
                   capture_output=True)
    doc = read(tmp_path / "doc" / "report.doc")
    assert doc.format == "doc"
    assert [doc.block_text(p) for p in doc.paragraphs] == [b[1] for b in sample_blocks() if b[0] == "p"]
    rows = table_texts(doc.tables[0])
    assert rows[4] == ["三、本年度办理结果", "（一）予以公开", "10", "1", "1", "12"]
    assert doc.tables[0].rows[4][0] is doc.tables[0].rows[5][0]
