"""Markdown reader: pipe tables (whole and broken apart), wrapped lines, the corpus conversion."""
from __future__ import annotations

from conftest import shared_path
from make_files import assert_offsets, sample_blocks, table_texts, write_markdown

from extraction.readers import read
from extraction.readers.markdown import markdown_to_document


def test_written_markdown_round_trips(tmp_path):
    doc = read(write_markdown(tmp_path / "r.md", sample_blocks()))
    assert_offsets(doc)
    assert doc.format == "md"
    assert [doc.block_text(p) for p in doc.paragraphs] == [b[1] for b in sample_blocks() if b[0] == "p"]
    rows = table_texts(doc.tables[0])
    assert rows[3] == ["一、本年新收政府信息公开申请数量", "", "18", "3", "2", "23"]
    assert len(rows) == 7  # the |---| separator is not a row


def test_broken_tables_keep_rows_and_loose_labels_in_order():
    text = """## 表三：收到和处理政府信息公开申请情况
| 业 | 构 | 益组织 |
|---|---|---|
| 一、本年新收政府信息公开申请数量 | 32 | 34 |
| 三、 | （一）予以公开 | 9 |
| 0 | 0 | 0 |
|---|---|---|

（二）部分公开（区分处理的，只
度办
| 1.属于国家秘密 | 0 | 0 |
|:---|---:|:---:|
| a \\| b | <br>2<br>3 |
"""
    doc = markdown_to_document(text)
    assert_offsets(doc)
    seq = [("t", table_texts(b.table)) if b.table else ("p", doc.block_text(b)) for b in doc.blocks]
    assert seq == [
        ("p", "表三：收到和处理政府信息公开申请情况"),
        ("t", [["业", "构", "益组织"], ["一、本年新收政府信息公开申请数量", "32", "34"],
               ["三、", "（一）予以公开", "9"]]),
        ("t", [["0", "0", "0"]]),  # the row before a separator heads a new table
        ("p", "（二）部分公开（区分处理的，只"),
        ("p", "度办"),
        # A short row has no cell past its end: its last cell runs on (as a merge), no empty
        # cell is made up (it would read as a blank).
        ("t", [["1.属于国家秘密", "0", "0"], ["a | b", "2 3", "2 3"]]),
    ]
    last = doc.tables[-1].rows[1]
    assert last[2] is last[1]


def test_a_short_row_run_together_is_not_read_as_a_value_and_blanks():
    """"| 规章 | 12517 |" under four columns: one run of three values, never 12517 / — / —."""
    from extraction.tables import extract_tables
    from extraction.sections import find_sections
    text = ("二、主动公开政府信息情况\n| 第二十条第（一）项 | | | |\n|---|---|---|---|\n"
            "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| 规章 | 12517 |\n"
            "| 行政规范性文件 | 3-8 |\n三、收到和处理政府信息公开申请情况\n")
    doc = markdown_to_document(text)
    result = extract_tables(doc, find_sections(doc))
    assert [result.values[f"proactive.rules.{c}"] for c in ("issued", "repealed", "in_force")] == [None] * 3
    assert result.cells["proactive.rules.issued"]["status"] == "not_read"
    assert [12, 5, 17] in result.readings["proactive.rules"]["values"]
    # "3-8" for three columns: 3 / — / 8 (the dash a blank cell), or 3 / -8 with a cell lost:
    # listed, not filled in.
    assert [result.values[f"proactive.normative_docs.{c}"] for c in ("issued", "repealed", "in_force")] == [None] * 3
    assert result.readings["proactive.normative_docs"]["values"] == [[3, None, 8]]


def test_wrapped_lines_join_into_paragraphs_but_short_lines_stay():
    line = "市科委积极做好政府信息主动公开工作，通过部门网站当年发布政府"
    text = f"一、总体情况\n{line}\n信息 393 件，其中包括规范性文件。\n申请人情况\n自然人总计\n"
    doc = markdown_to_document(text)
    assert [doc.block_text(p) for p in doc.paragraphs] == [
        "一、总体情况", line + "信息 393 件，其中包括规范性文件。", "申请人情况", "自然人总计"]


def test_html_table_inside_markdown():
    text = ("前言\n<table><tr><td rowspan=\"2\">信息内容</td><td>规章</td></tr>"
            "<tr><td>3</td></tr></table>\n结语\n")
    doc = markdown_to_document(text)
    assert table_texts(doc.tables[0]) == [["信息内容", "规章"], ["信息内容", "3"]]
    assert doc.tables[0].rows[0][0] is doc.tables[0].rows[1][0]
    assert [doc.block_text(p) for p in doc.paragraphs] == ["前言", "结语"]


def test_kewei_conversion():
    doc = read(shared_path("corpus", "reports", "kewei_2024.md"))
    assert_offsets(doc)
    texts = [doc.block_text(p) for p in doc.paragraphs]
    # a paragraph wrapped over nine lines in the Markdown is one paragraph
    assert any(t.startswith("根据《中华人民共和国政府信息公开条例》") and t.endswith("下载。") for t in texts)
    assert "行政许可 97" in texts and "（二）部分公开（区分处理的，只" in texts
    first = table_texts(doc.tables[0])
    assert first == [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                     ["规章", "0", "0", "0"], ["规范性文件", "13", "0", "55"]]
    rows = [r for t in doc.tables for r in table_texts(t)]
    assert ["一、本年新收政府信息公开申请数量", "32", "2", "0", "0", "0", "0", "34", ""] in rows
    assert ["（七）总计", "33", "2", "0", "0", "0", "0", "35"] in rows
    assert "|" not in doc.text and "---" not in doc.text
