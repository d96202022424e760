"""DOCX reader: documents written by python-docx (merged cells, list numbering, tracked changes)."""
from __future__ import annotations

import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from make_files import assert_offsets, sample_blocks, table_texts, write_docx

from extraction.errors import UnreadableFile
from extraction.readers import read
from extraction.readers.numbering import chinese_count, format_number

HEAD = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def test_paragraphs_and_table_in_document_order(tmp_path):
    doc = read(write_docx(tmp_path / "r.docx", sample_blocks()))
    assert_offsets(doc)
    assert doc.format == "docx"
    kinds = [b.kind for b in doc.blocks]
    assert kinds == ["paragraph"] * 4 + ["table"] + ["paragraph"] * 2
    texts = [doc.block_text(p) for p in doc.paragraphs]
    assert texts == [b[1] for b in sample_blocks() if b[0] == "p"]


def test_merged_cells_from_gridspan_and_vmerge(tmp_path):
    doc = read(write_docx(tmp_path / "r.docx", sample_blocks(extra_rows=3)))
    (table,) = doc.tables
    rows = table_texts(table)
    assert rows[0] == [HEAD, HEAD] + ["申请人情况"] * 4
    assert rows[1] == [HEAD, HEAD, "自然人", "法人或其他组织", "法人或其他组织", "总计"]
    assert rows[2] == [HEAD, HEAD, "自然人", "商业企业", "科研机构", "总计"]
    assert rows[4] == ["三、本年度办理结果", "（一）予以公开", "10", "1", "1", "12"]
    assert rows[6] == ["（三）不予公开1.其他情形1"] * 2 + ["1", "0", "1", "2"]
    assert table.rows[0][0] is table.rows[2][1]   # 3 rows x 2 columns, one cell
    assert table.rows[1][5] is table.rows[2][5]   # vMerge down
    assert table.rows[4][0] is table.rows[5][0]
    assert table.rows[4][1] is not table.rows[5][1]
    assert doc.text.count(HEAD) == 1


def _add_numbering(document, fmt: str, text: str, num_id: int = 77) -> None:
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}"><w:lvl w:ilvl="0">'
        f'<w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        f'<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        f'<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                               f'<w:abstractNumId w:val="{num_id}"/></w:num>'))


def _numbered(paragraph, num_id: int, ilvl: int = 0) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/>'
                         f'<w:numId w:val="{num_id}"/></w:numPr>'))


def test_word_list_numbers_are_written_into_the_text(tmp_path):
    """Headings numbered by Word ("一、" comes from numbering.xml, not the text) keep their numbers."""
    d = docx.Document()
    _add_numbering(d, "chineseCounting", "%1、")
    for title, level in [("总体情况", 0), ("主动公开情况", 1), ("依申请公开情况", 1),
                         ("主动公开政府信息情况", 0), ("平台建设", 1)]:
        _numbered(d.add_paragraph(title), 77, level)
    d.add_paragraph("正文段落，无编号。")
    path = tmp_path / "n.docx"
    d.save(str(path))
    doc = read(path)
    assert [doc.block_text(p) for p in doc.paragraphs] == [
        "一、总体情况", "（一）主动公开情况", "（二）依申请公开情况", "二、主动公开政府信息情况",
        "（一）平台建设", "正文段落，无编号。"]


def test_tracked_deletions_are_not_text_and_insertions_are(tmp_path):
    d = docx.Document()
    p = d.add_paragraph("主动公开政府信息")
    p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="x"><w:r>'
                          f'<w:delText>3000</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="x"><w:r><w:t>4147</w:t>'
                          f'</w:r></w:ins>'))
    p.add_run("条")
    path = tmp_path / "t.docx"
    d.save(str(path))
    assert read(path).text == "主动公开政府信息4147条\n"


def test_table_in_content_control_and_row_with_grid_before(tmp_path):
    d = docx.Document()
    table = d.add_table(rows=2, cols=3)
    for r, row in enumerate([["项目", "本年", "上年"], ["申请", "23", "19"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    body = d.element.body
    sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtContent/></w:sdt>')
    body.insert(list(body).index(table._tbl), sdt)
    sdt[0].append(table._tbl)
    # the second row starts one grid column in, its first cell missing
    tr = sdt[0][0].findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tr")[1]
    tr.remove(tr.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tc")[0])
    tr.insert(0, parse_xml(f'<w:trPr {nsdecls("w")}><w:gridBefore w:val="1"/></w:trPr>'))
    path = tmp_path / "s.docx"
    d.save(str(path))
    doc = read(path)
    assert_offsets(doc)
    assert table_texts(doc.tables[0]) == [["项目", "本年", "上年"], ["", "23", "19"]]


def test_html_embedded_as_alt_chunk_is_read_in_place(tmp_path):
    """Web editors save a report as a DOCX wrapping an HTML part (w:altChunk)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    d = docx.Document()
    d.add_paragraph("青禾县示范局2031年政府信息公开工作年度报告")
    html = ("<html><body><p>一、总体情况</p><table><caption>表一</caption>"
            "<tr><td colspan='2'>信息内容</td></tr><tr><td>规章</td><td>3</td></tr></table>"
            "</body></html>").encode("gbk")
    part = Part(PackURI("/word/chunk1.htm"), "text/html", html, d.part.package)
    rid = d.part.relate_to(part, RT.A_F_CHUNK)
    body = d.element.body
    body.insert(len(body) - 1, parse_xml(f'<w:altChunk {nsdecls("w", "r")} r:id="{rid}"/>'))
    d.add_paragraph("六、其他需要报告的事项")
    path = tmp_path / "alt.docx"
    d.save(str(path))
    doc = read(path)
    assert_offsets(doc)
    texts = [table_texts(b.table) if b.table else doc.block_text(b) for b in doc.blocks]
    assert texts == ["青禾县示范局2031年政府信息公开工作年度报告", "一、总体情况", "表一",
                     [["信息内容", "信息内容"], ["规章", "3"]], "六、其他需要报告的事项"]
    assert doc.tables[0].rows[0][0] is doc.tables[0].rows[0][1]


def test_damaged_docx_raises_unreadable(tmp_path):
    path = tmp_path / "bad.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a word document")
    with pytest.raises(UnreadableFile):
        read(path)
    good = write_docx(tmp_path / "good.docx", sample_blocks())
    half = tmp_path / "half.docx"
    half.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(UnreadableFile):
        read(half)


def test_number_formats():
    assert [chinese_count(n) for n in (1, 10, 12, 20, 21, 99, 105, 110)] == [
        "一", "十", "十二", "二十", "二十一", "九十九", "一百零五", "一百一十"]
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(2, "ideographTraditional") == "乙"
    assert format_number(4, "upperRoman") == "IV"
    assert format_number(28, "lowerLetter") == "bb"
    assert format_number(1, "no-such-format") is None
