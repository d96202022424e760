"""Plain-text reader: every Chinese encoding and line ending, text kept exactly as written."""
from __future__ import annotations

import pytest
from conftest import shared_path
from hostile import random_bytes
from make_files import assert_offsets, flat_lines, sample_blocks, write_txt

from extraction.errors import UnreadableFile
from extraction.readers import read
from extraction.readers.encoding import decode

EXPECTED = "\n".join(flat_lines(sample_blocks())) + "\n"


@pytest.mark.parametrize("encoding,bom", [
    ("utf-8", False), ("utf-8", True), ("gb18030", False), ("gbk", False),
    ("utf-16-le", True), ("utf-16-be", True), ("utf-16-le", False), ("utf-16-be", False)])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_encodings_and_line_ends(tmp_path, encoding, bom, newline):
    path = write_txt(tmp_path / "r.txt", sample_blocks(), encoding=encoding, newline=newline, bom=bom)
    doc = read(path)
    assert doc.text == EXPECTED  # tabs of the flattened table rows kept, BOM gone
    assert doc.format == "txt"
    assert_offsets(doc)


def test_all_chinese_utf16_without_bom_or_ascii(tmp_path):
    text = "主动公开政府信息，依申请公开，行政复议，行政诉讼。" * 30
    (tmp_path / "z.txt").write_bytes(text.encode("utf-16-le"))
    assert read(tmp_path / "z.txt").text == text


def test_declared_gbk_but_really_utf8_is_read_as_utf8():
    data = "一、总体情况：主动公开4147条".encode("utf-8")
    assert decode(data, "gb2312") == ("一、总体情况：主动公开4147条", "utf-8")


def test_gb18030_characters_beyond_gbk(tmp_path):
    text = "负责人王镕堃，𠀀号文件\n"
    (tmp_path / "g.txt").write_bytes(text.encode("gb18030"))
    assert read(tmp_path / "g.txt").text == text


def test_binary_file_is_refused(tmp_path):
    with pytest.raises(UnreadableFile, match="not"):
        read(random_bytes(tmp_path / "noise.txt"))


def test_pingtan_crawler_text_keeps_its_lines():
    path = shared_path("corpus", "reports", "2021_pingtan.txt")
    doc = read(path)
    raw = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    assert doc.text == raw
    assert_offsets(doc)
    assert any("本年新收政府信息公开申请数量" in doc.block_text(p) for p in doc.paragraphs)


def test_bookmark_markers_of_docx_converters_are_dropped(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("一、总体情况\n[bookmark: _GoBack]2023年，本机关主动公开政府信息12条。\n", encoding="utf-8")
    text = read(path).text
    assert "bookmark" not in text and "\n2023年，本机关主动公开政府信息12条。" in text
