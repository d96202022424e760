"""The readers against hostile input (issue 6): every file is built here, at test time.

Entity attacks in DOCX and HTML, zips with thousands of members or escaping member paths, HTML
and DOCX nested past the parser's depth, spans inflating a table, PDFs with thousands of pages or
a Flate bomb, long texts and binaries under text names: each gives a clear error or a faithful
read, never an expansion, a fetch, a crash, a hang or gigabytes of memory.
"""
from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import zipfile
import zlib
from pathlib import Path

import pytest

import hostile
from conftest import REPO
from extraction import extract
from extraction.errors import ExtractionError, TimeLimit
from extraction.limits import Limits, time_limit
from extraction.readers import read
from make_files import write_docx

LAUGHS = "".join(
    f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))


def dtd(root: str, secret: Path, port: int, laughs: bool = True) -> str:
    """A DOCTYPE declaring a billion laughs and entities pointing at a file and a local server."""
    return (f'<!DOCTYPE {root} [\n <!ENTITY lol0 "lol">\n{LAUGHS if laughs else ""}'
            f' <!ENTITY file SYSTEM "file://{secret}">\n'
            f' <!ENTITY web SYSTEM "http://127.0.0.1:{port}/entity">\n]>')


@pytest.fixture
def server():
    """A real HTTP server on 127.0.0.1 that records every request made to it."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"FETCHED")

        def log_message(self, *args):
            pass

    srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv.server_address[1], hits
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def secret(tmp_path) -> Path:
    p = tmp_path / "secret.txt"
    p.write_text("TOPSECRET-7731", encoding="utf-8")
    return p


def docx_with_document_xml(src: Path, dst: Path, edit) -> Path:
    """A copy of a real DOCX with its word/document.xml rewritten by `edit(xml) -> xml`."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for m in zin.infolist():
            data = zin.read(m.filename)
            if m.filename == "word/document.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            out.writestr(m, data)
    return dst


def sample_docx(path: Path) -> Path:
    return write_docx(path, [("p", "示例区司法局2023年政府信息公开工作年度报告"),
                             ("p", "占位段落"),
                             ("table", [["收到申请数", "42"], ["办结数", "40"]], [])])


def with_doctype(doctype: str, body_text: str):
    def edit(xml: str) -> str:
        decl, rest = xml.split("?>", 1)
        return decl + "?>" + doctype + rest.replace("占位段落", body_text)
    return edit


# --- entities ----------------------------------------------------------------------------

@pytest.mark.parametrize("laughs", [True, False], ids=["billion-laughs", "external-only"])
def test_docx_declaring_entities_is_refused_unexpanded_and_unfetched(tmp_path, secret, server, laughs):
    port, hits = server
    body = "甲&lol9;乙&file;丙&web;丁" if laughs else "甲&file;丙&web;丁"
    bad = docx_with_document_xml(sample_docx(tmp_path / "base.docx"), tmp_path / "bad.docx",
                                 with_doctype(dtd("w:document", secret, port, laughs), body))
    record = extract(bad, figures=False)
    assert record.error.type == "xml_entities", record
    assert "TOPSECRET" not in json.dumps(record.to_json(), ensure_ascii=False)
    assert hits == []


@pytest.mark.parametrize("suffix", [".html", ".xhtml"])
def test_html_entities_are_neither_expanded_nor_fetched(tmp_path, secret, server, suffix):
    port, hits = server
    page = tmp_path / f"page{suffix}"
    page.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + dtd("html", secret, port)
                    + '<html xmlns="http://www.w3.org/1999/xhtml"><body>'
                      "<p>甲&lol9;乙&file;丙&web;丁</p><p>主动公开政府信息12条。</p></body></html>",
                    encoding="utf-8")
    doc = read(page)
    assert "主动公开政府信息12条。" in doc.text
    assert "甲" in doc.text and "丁" in doc.text  # the text around the references is kept
    assert "lollol" not in doc.text and "TOPSECRET" not in doc.text and "FETCHED" not in doc.text
    assert "]>" not in doc.text and "ENTITY" not in doc.text  # the declarations are not text
    assert any("not expanded" in w for w in doc.warnings)
    assert hits == []


def test_doctype_subset_after_comments_is_dropped_and_odd_ones_are_left_alone():
    from extraction.readers.html import strip_doctype_subset
    text, had = strip_doctype_subset('<!-- 注释 -->\n<!DOCTYPE html [<!ENTITY a "b">] >\n<p>正文</p>')
    assert had and text.strip() == "<p>正文</p>"
    assert strip_doctype_subset("<!DOCTYPE html><p>[1]</p>") == ("<!DOCTYPE html><p>[1]</p>", False)
    # many comments before an unterminated subset: plain scanning, no regex backtracking blow-up
    odd = "<!-- x -->" * 20_000 + "<!DOCTYPE html [" + "a" * 100_000
    assert strip_doctype_subset(odd) == (odd, False)


# --- zips --------------------------------------------------------------------------------

def test_docx_with_thousands_of_members_reads_only_its_parts_and_writes_nothing(tmp_path, monkeypatch):
    base = sample_docx(tmp_path / "base.docx")
    crowded = tmp_path / "crowded.docx"
    junk = b"x" * 64
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(crowded, "w", zipfile.ZIP_STORED) as out:
        for m in zin.infolist():
            out.writestr(m, zin.read(m.filename))
        out.writestr("../../escaped.txt", "逃逸")
        out.writestr("/absolute.txt", "绝对")
        for i in range(3000):
            out.writestr(f"junk/{i}.bin", junk)
    # Spoil every junk member's bytes (their CRC no longer matches): reading any of them fails.
    data = bytearray(crowded.read_bytes())
    with zipfile.ZipFile(crowded) as z:
        for m in z.infolist():
            if m.filename.startswith("junk/"):
                start = m.header_offset + 30 + len(m.filename.encode()) + len(m.extra)
                assert data[start:start + len(junk)] == junk
                data[start:start + len(junk)] = b"y" * len(junk)
    crowded.write_bytes(bytes(data))
    with zipfile.ZipFile(crowded) as z:
        assert z.testzip() is not None  # the junk really is unreadable

    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    before = sorted(tmp_path.rglob("*"))
    record = extract(crowded, figures=False)
    assert record.error is None, record
    doc = read(crowded)
    assert "示例区司法局2023年政府信息公开工作年度报告" in doc.text
    assert [c.text for c in doc.tables[0].rows[0]] == ["收到申请数", "42"]
    assert "逃逸" not in doc.text and "绝对" not in doc.text
    assert sorted(tmp_path.rglob("*")) == before  # nothing extracted, nowhere
    assert not Path("/absolute.txt").exists()


def test_zip_with_more_members_than_the_limit_is_refused_before_reading(tmp_path):
    base = sample_docx(tmp_path / "base.docx")
    crowded = tmp_path / "crowded.docx"
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(crowded, "w") as out:
        for m in zin.infolist():
            out.writestr(m, zin.read(m.filename))
        for i in range(200):
            out.writestr(f"junk/{i}", b"")
    record = extract(crowded, figures=False, limits=Limits(max_zip_members=100))
    assert record.error.type == "too_many_members"
    assert "limit 100" in record.error.message
    assert extract(crowded, figures=False).error is None  # 217 members: under the default


def test_zip64_member_count_is_read_from_the_end_record(tmp_path):
    from extraction.limits import _stated_member_count
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as z:  # more than 65,535 members: a zip64 end record
        for i in range(65_600):
            z.writestr(f"{i}", b"")
    assert _stated_member_count(many) == 65_600


# --- nesting -----------------------------------------------------------------------------

@pytest.mark.parametrize("depth", [300, 200_000])
def test_html_nested_past_the_parser_depth_is_refused_by_the_reader(tmp_path, depth):
    page = hostile.nested_html(tmp_path / "nested.html", depth=depth)
    with pytest.raises(ExtractionError) as info:
        read(page)
    assert info.value.type == "too_deeply_nested"
    assert "256" in str(info.value)


def test_unclosed_tags_nesting_past_the_depth_are_refused_not_cut_short(tmp_path):
    page = tmp_path / "fonts.html"
    page.write_text("<html><body>" + "<font>字" * 400 + "<p>末尾的段落</p></body></html>",
                    encoding="utf-8")
    with pytest.raises(ExtractionError) as info:
        read(page)
    assert info.value.type == "too_deeply_nested"


@pytest.mark.parametrize("depth,error", [(100, None), (300, "too_deeply_nested")])
def test_docx_nested_content_controls(tmp_path, depth, error):
    def nest(xml: str) -> str:
        at = xml.index("<w:body>") + len("<w:body>")
        inner = ("<w:sdt><w:sdtContent>" * depth + "<w:p><w:r><w:t>深处</w:t></w:r></w:p>"
                 + "</w:sdtContent></w:sdt>" * depth)
        return xml[:at] + inner + xml[at:]
    deep = docx_with_document_xml(sample_docx(tmp_path / "base.docx"), tmp_path / "deep.docx", nest)
    record = extract(deep, figures=False)
    assert (record.error.type if record.error else None) == error, record
    if error is None:
        assert "深处" in read(deep).text


def test_html_nested_under_the_depth_reads_its_text(tmp_path):
    page = hostile.nested_html(tmp_path / "nested.html", depth=200)
    assert "深" in read(page).text


def test_markdown_with_a_too_deep_html_table_keeps_the_markup_as_text(tmp_path):
    md = tmp_path / "r.md"
    md.write_text("# 示例报告\n\n<table><tr><td>" + "<div>" * 300 + "深</td></tr></table>\n\n结尾段落\n",
                  encoding="utf-8")
    doc = read(md)
    assert "结尾段落" in doc.text and "深" in doc.text
    assert not doc.tables


# --- spans -------------------------------------------------------------------------------

def test_html_colspans_inflating_a_table_are_refused(tmp_path):
    page = tmp_path / "spans.html"  # 84 KB that would be two million grid positions
    page.write_text("<html><body><p>示例</p><table>"
                    + "<tr><td colspan=1000>x</td><td>y</td></tr>" * 2000
                    + "</table></body></html>", encoding="utf-8")
    record = extract(page, figures=False)
    assert record.error.type == "table_too_large"
    assert "200,000" in record.error.message


def test_html_colspan_beyond_browsers_ceiling_is_read_as_1000(tmp_path):
    page = tmp_path / "wide.html"
    page.write_text("<table><tr><td colspan=99999999999>宽</td><td>窄</td></tr>"
                    "<tr><td>甲</td><td>乙</td></tr></table>", encoding="utf-8")
    table = read(page).tables[0]
    assert len(table.rows[0]) == 1001
    assert table.rows[0][1000].text == "窄"


def test_markdown_pipe_table_of_millions_of_cells_is_refused(tmp_path):
    md = tmp_path / "pipes.md"
    md.write_text("# 示例\n\n" + ("|" + " |" * 1000 + "\n") * 300, encoding="utf-8")
    record = extract(md, figures=False)
    assert record.error.type == "table_too_large"


def test_word_gridspan_of_millions_is_clamped_with_a_warning(tmp_path):
    cell = ('<w:tc><w:tcPr><w:gridSpan w:val="3000000"/></w:tcPr>'
            '<w:p><w:r><w:t>跨</w:t></w:r></w:p></w:tc>')

    def wide(xml: str) -> str:
        at = xml.index("<w:body>") + len("<w:body>")
        return xml[:at] + "<w:tbl>" + f"<w:tr>{cell}</w:tr>" * 3 + "</w:tbl>" + xml[at:]
    p = docx_with_document_xml(sample_docx(tmp_path / "base.docx"), tmp_path / "wide.docx", wide)
    doc = read(p)
    assert len(doc.tables[0].rows[0]) == 1000
    assert any("3000000 columns" in w for w in doc.warnings)


def test_word_table_covering_too_many_positions_is_refused(tmp_path):
    cell = '<w:tc><w:tcPr><w:gridSpan w:val="1000"/></w:tcPr><w:p/></w:tc>'

    def big(xml: str) -> str:
        at = xml.index("<w:body>") + len("<w:body>")
        return xml[:at] + "<w:tbl>" + f"<w:tr>{cell}</w:tr>" * 300 + "</w:tbl>" + xml[at:]
    p = docx_with_document_xml(sample_docx(tmp_path / "base.docx"), tmp_path / "big.docx", big)
    assert extract(p, figures=False).error.type == "table_too_large"


# --- pages -------------------------------------------------------------------------------

def many_page_pdf(path: Path, n: int, declared: int | None = None, same_place: bool = False) -> Path:
    """A real PDF of `n` pages, one line each (Helvetica), written directly: reportlab takes
    seconds for thousands of pages. `declared` sets the page count the page tree states;
    `same_place` puts every page's line at one height."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
                   b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n)), declared or n),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i in range(n):
        # lines at different heights: one repeated at one place would be dropped as furniture
        content = b"BT /F1 12 Tf 72 %d Td (Section %d: 1%d items published.) Tj ET" % (
            700 - (0 if same_place else 37 * (i % 17)), i + 1, i)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i))
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    return write_pdf_objects(path, objects)


def write_pdf_objects(path: Path, objects: list[bytes]) -> Path:
    """A PDF file of these object bodies (object 1 the catalog), with its xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def zlib_of_zeros(n_bytes: int) -> bytes:
    """A zlib stream inflating to `n_bytes` zeros, made in a blink: one deflate block of a 4 MiB
    chunk, full-flushed so it can be repeated, then the checksum of the whole."""
    chunk = bytes(1 << 22)
    assert n_bytes % len(chunk) == 0
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = raw.compress(chunk) + raw.flush(zlib.Z_FULL_FLUSH)
    adler = 1
    for _ in range(n_bytes // len(chunk)):
        adler = zlib.adler32(chunk, adler)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    return b"\x78\xda" + block * (n_bytes // len(chunk)) + final + adler.to_bytes(4, "big")


def text_pdf_with_streams(path: Path, streams: list[tuple[bytes, bytes]]) -> Path:
    """One page of text, and extra Flate streams (dictionary entries, data) it does not draw."""
    content = b"BT /F1 12 Tf 72 700 Td (Published 12 items.) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font "
               b"<< /F1 4 0 R >> >> /Contents 5 0 R >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)]
    objects += [b"<< %s /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
                % (entries, len(data), data) for entries, data in streams]
    return write_pdf_objects(path, objects)


def flate_bomb_pdf(path: Path, inflated: int) -> Path:
    """A one-page PDF whose page content is a Flate stream inflating to `inflated` bytes."""
    data = zlib_of_zeros(inflated)
    return write_pdf_objects(path, [
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data)])


def test_pdf_flate_bomb_is_refused_before_pdfminer_inflates_it(tmp_path):
    bomb = flate_bomb_pdf(tmp_path / "bomb.pdf", 16 << 20)
    record = extract(bomb, figures=False, limits=Limits(max_unzipped_mb=8))
    assert record.error.type == "zip_bomb"
    assert "8 MB" in record.error.message


def test_pdf_streams_are_bounded_together_but_images_only_one_by_one(tmp_path):
    four_mb = zlib_of_zeros(4 << 20)
    image = b"/Type /XObject /Subtype /Image /Width 2048 /Height 2048 /ColorSpace /DeviceGray /BitsPerComponent 8"
    images = text_pdf_with_streams(tmp_path / "images.pdf", [(image, four_mb), (image, four_mb)])
    assert "Published 12 items." in read(images, Limits(max_unzipped_mb=5)).text
    assert extract(images, figures=False, limits=Limits(max_unzipped_mb=5)).error is None
    fonts = text_pdf_with_streams(tmp_path / "fonts.pdf", [(b"/Length1 1", four_mb)] * 2)
    assert extract(fonts, figures=False, limits=Limits(max_unzipped_mb=5)).error.type == "zip_bomb"
    huge_image = text_pdf_with_streams(tmp_path / "huge.pdf", [(image, zlib_of_zeros(8 << 20))])
    assert extract(huge_image, figures=False, limits=Limits(max_unzipped_mb=5)).error.type == "zip_bomb"


def test_handmade_pdf_reads_with_its_pages(tmp_path):
    doc = read(many_page_pdf(tmp_path / "five.pdf", 5))
    assert "Section 5: 14 items published." in doc.text
    assert all(f"Section {i}: 1{i - 1} items" in doc.text for i in range(1, 6))
    assert doc.blocks[0].page == 1


def test_pdf_whose_every_line_looks_like_furniture_keeps_them_with_a_warning(tmp_path):
    doc = read(many_page_pdf(tmp_path / "same.pdf", 4, same_place=True))
    assert all(f"Section {i}:" in doc.text for i in range(1, 5))
    assert any("page furniture" in w for w in doc.warnings)


def test_scan_with_text_page_numbers_has_no_text_layer(tmp_path):
    from reportlab.lib.utils import ImageReader
    import io

    image = ImageReader(io.BytesIO(png_bytes()))

    def draw(c):
        for n in range(1, 4):
            c.drawImage(image, 72, 200, width=450, height=500)
            c.setFont("Helvetica", 10)
            c.drawString(290, 30, f"- {n} -")
            if n < 3:
                c.showPage()
    from extraction.limits import Limits  # the scan is read by OCR: slow on a loaded machine
    record = extract(hostile.pdf_with(tmp_path / "scan.pdf", draw), figures=False,
                     limits=Limits(max_seconds=1800))
    assert record.error.type == "no_text_layer"
    assert "OCR" in record.error.message


def test_pdf_with_thousands_of_pages_is_refused_by_the_page_limit(tmp_path):
    record = extract(many_page_pdf(tmp_path / "long.pdf", 3000), figures=False)
    assert record.error.type == "too_many_pages"
    assert "3000 pages" in record.error.message and "limit 300" in record.error.message


def test_pdf_lying_about_its_page_count_is_stopped_at_the_limit(tmp_path):
    liar = many_page_pdf(tmp_path / "liar.pdf", 40, declared=1)
    record = extract(liar, figures=False, limits=Limits(max_pages=30))
    assert record.error.type == "too_many_pages"
    assert "limit 30" in record.error.message


def test_page_limit_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("XXGK_MAX_PAGES", "4")
    record = extract(many_page_pdf(tmp_path / "five.pdf", 5), figures=False)
    assert record.error.type == "too_many_pages"


def test_time_limit_stops_pdfminer_mid_document_and_says_so(tmp_path):
    long = many_page_pdf(tmp_path / "long.pdf", 5000)
    record = extract(long, figures=False, limits=Limits(max_pages=100_000, max_seconds=1))
    assert record.error.type == "time_limit", record  # not "damaged PDF"
    assert "1 s limit" in record.error.message


def test_time_limit_fires_again_when_a_library_swallows_it():
    with pytest.raises(TimeLimit):
        with time_limit(0.2):
            try:
                threading.Event().wait(5)
            except Exception:  # what a library catching everything does
                pass
            threading.Event().wait(30)


# --- long texts ---------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
def test_text_longer_than_max_text_chars_is_refused(tmp_path, suffix):
    p = tmp_path / f"long{suffix}"
    p.write_text("<p>" + "主动公开政府信息。" * 300 + "</p>", encoding="utf-8")
    with pytest.raises(ExtractionError) as info:
        read(p, Limits(max_text_chars=1000))
    assert info.value.type == "text_too_long"
    assert "limit 1,000" in str(info.value)
    assert read(p, Limits(max_text_chars=10_000)).text


def test_docx_text_longer_than_max_text_chars_is_refused(tmp_path):
    p = write_docx(tmp_path / "long.docx", [("p", "主动公开政府信息。" * 300)])
    with pytest.raises(ExtractionError) as info:
        read(p, Limits(max_text_chars=1000))
    assert info.value.type == "text_too_long"


# --- binaries under text names ----------------------------------------------------------------

def png_bytes() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    pixels = b"".join(b"\0" + bytes(range(48)) for _ in range(16))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b""))


def zip_bytes(tmp_path: Path) -> bytes:
    p = tmp_path / "data.zip"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("table.csv", "年份,数量\n2023,12\n")
    return p.read_bytes()


def elf_bytes() -> bytes:
    import random
    return b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + random.Random(1).randbytes(4000)


@pytest.mark.parametrize("kind,expected", [("png", "PNG image"), ("zip", "ZIP archive"),
                                           ("elf", "ELF program")])
@pytest.mark.parametrize("suffix", [".txt", ".html", ".md"])
def test_binary_under_a_text_name_is_not_text(tmp_path, kind, expected, suffix):
    data = {"png": png_bytes, "zip": lambda: zip_bytes(tmp_path), "elf": elf_bytes}[kind]()
    p = tmp_path / f"report{suffix}"
    p.write_bytes(data)
    record = extract(p, figures=False)
    assert record.error.type == "not_text", record
    assert expected in record.error.message


def test_random_bytes_under_an_html_name_are_not_text(tmp_path):
    p = hostile.random_bytes(tmp_path / "page.html")
    assert extract(p, figures=False).error.type == "not_text"


def test_docx_under_a_text_name_is_still_read_as_docx(tmp_path):
    p = sample_docx(tmp_path / "base.docx")
    renamed = tmp_path / "report.txt"
    renamed.write_bytes(p.read_bytes())
    doc = read(renamed)
    assert doc.format == "docx" and "收到申请数" in doc.text


# --- all together, in a child process: no crash, memory bounded -----------------------------------

def test_hostile_readers_folder_through_extract_stays_under_2_gb(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    hostile.nested_html(d / "nested.html")
    hostile.big_text(d / "text40.txt", mb=40)
    many_page_pdf(d / "long.pdf", 3000)
    (d / "image.txt").write_bytes(png_bytes())
    flate_bomb_pdf(d / "bomb.pdf", 1 << 30)
    docx_with_document_xml(sample_docx(tmp_path / "base.docx"), d / "laughs.docx",
                           with_doctype(dtd("w:document", tmp_path / "none", 9), "甲&lol9;乙"))
    out = tmp_path / "out.jsonl"
    probe = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, file=sys.stderr); "
             "sys.exit(p.returncode)")
    proc = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "extraction.cli",
                           "extract", str(d), "-o", str(out), "--no-figures"],
                          cwd=REPO, capture_output=True, text=True, timeout=600,
                          env={k: v for k, v in os.environ.items() if not k.startswith("XXGK_MAX")})
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    kinds = {Path(r["source"]).name: r.get("error", {}).get("type")
             for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert kinds == {"nested.html": "too_deeply_nested", "text40.txt": "text_too_long",
                     "long.pdf": "too_many_pages", "image.txt": "not_text",
                     "laughs.docx": "xml_entities", "bomb.pdf": "zip_bomb"}
    peak_mb = float(proc.stderr.strip().splitlines()[-1])
    assert peak_mb < 2048, f"peak memory {peak_mb} MB"
