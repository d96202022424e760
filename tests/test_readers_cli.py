"""`xxgk text FILE` prints the document text for every format, and errors as messages."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from make_files import sample_blocks, write_docx, write_html, write_markdown, write_pdf, write_txt

from extraction.cli import main
from extraction.readers import read

WRITERS = {
    "report.txt": lambda p: write_txt(p, sample_blocks(), encoding="gb18030", newline="\r\n"),
    "report.html": lambda p: write_html(p, sample_blocks(), encoding="gbk", noise=True),
    "report.docx": lambda p: write_docx(p, sample_blocks()),
    "report.pdf": lambda p: write_pdf(p, sample_blocks()),
    "report.md": lambda p: write_markdown(p, sample_blocks()),
}


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_text_command_prints_the_offset_text(tmp_path, name):
    path = WRITERS[name](tmp_path / name)
    result = CliRunner().invoke(main, ["text", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == read(path).text
    assert "青禾县示范局坚持以公开为常态" in result.output
    assert "18" in result.output and "申请人情况" in result.output


def test_text_command_reports_an_unreadable_file(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    result = CliRunner().invoke(main, ["text", str(bad)])
    assert result.exit_code != 0
    assert "unreadable_pdf" in result.output and "Traceback" not in result.output
