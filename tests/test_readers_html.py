"""HTML reader: pages written here (GBK and UTF-8, with site noise), and the corpus web page."""
from __future__ import annotations

import pytest
from conftest import shared_path
from make_files import assert_offsets, sample_blocks, table_texts, write_html

from extraction.readers import read
from extraction.readers.html import HtmlSettings, declared_charset, html_to_document

PARAGRAPHS = [b[1] for b in sample_blocks() if b[0] == "p"]


@pytest.mark.parametrize("encoding", ["gbk", "gb2312", "utf-8"])
def test_page_with_site_noise_keeps_only_the_article(tmp_path, encoding):
    path = write_html(tmp_path / "report.htm", sample_blocks(), encoding=encoding, noise=True,
                      title="青禾县示范局2031年政府信息公开工作年度报告")
    doc = read(path)
    assert_offsets(doc)
    assert doc.format == "html"
    texts = [doc.block_text(p) for p in doc.paragraphs]
    # the article's heading, then exactly the article's paragraphs
    assert texts == ["青禾县示范局2031年政府信息公开工作年度报告"] + PARAGRAPHS
    for noise in ("首页", "当前位置", "相关链接", "往年年度报告", "网站标识码", "统计代码", "font-family",
                  "脚本里的标题"):
        assert noise not in doc.text, noise


def test_gbk_page_declared_gb2312_uses_gb18030_only_characters(tmp_path):
    """GB2312 pages carry characters outside GB2312 (镕, 堃): decoded as GB18030."""
    blocks = [("p", "主要负责人：王镕堃；公开条目4147条。")]
    path = write_html(tmp_path / "p.html", blocks, encoding="gb18030")
    path.write_bytes(path.read_bytes().replace(b"charset=gb18030", b"charset=gb2312"))
    assert declared_charset(path.read_bytes()) == "gb2312"
    assert read(path).text == "主要负责人：王镕堃；公开条目4147条。\n"


def test_table_grid_with_rowspan_and_colspan(tmp_path):
    doc = read(write_html(tmp_path / "t.html", sample_blocks(extra_rows=2), encoding="gbk"))
    assert_offsets(doc)
    (table,) = doc.tables
    rows = table_texts(table)
    head = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert rows[0] == [head, head] + ["申请人情况"] * 4
    assert rows[1] == [head, head, "自然人", "法人或其他组织", "法人或其他组织", "总计"]
    assert rows[2] == [head, head, "自然人", "商业企业", "科研机构", "总计"]
    assert rows[4] == ["三、本年度办理结果", "（一）予以公开", "10", "1", "1", "12"]
    assert rows[5][:2] == ["三、本年度办理结果", "（二）部分公开"]
    assert table.rows[0][0] is table.rows[2][1]
    assert table.rows[4][0] is table.rows[5][0]
    assert rows[-1] == ["四、结转下年度继续办理"] * 2 + ["0"] * 4
    # the merged text is written once in the document text
    assert doc.text.count(head) == 1


def test_br_nbsp_block_elements_and_source_line_breaks():
    page = """<html><body><div class="content">
    <p>一、总体情况<br>主动公开&nbsp;政府信息<b>4147</b>条，
    依申请公开23件。</p><div>Annual&nbsp;report<br/>second  line</div>
    <p>　　二、主动公开政府信息情况</p></div></body></html>"""
    doc = html_to_document(page)
    assert [doc.block_text(p) for p in doc.paragraphs] == [
        "一、总体情况", "主动公开政府信息4147条，依申请公开23件。", "Annual report", "second line",
        "二、主动公开政府信息情况"]


def test_nested_layout_table_yields_the_inner_data_table():
    page = """<html><body><table width="100%"><tr><td><a href="/">首页</a></td></tr>
    <tr><td>
      <p>二、主动公开政府信息情况</p>
      <table border="1"><tr><td rowspan="2">信息内容</td><td colspan="2">本年新制作数量</td></tr>
      <tr><td>规章</td><td>规范性文件</td></tr>
      <tr><td>件数</td><td>3</td><td>12</td></tr></table>
      <p>三、收到和处理政府信息公开申请情况</p>
    </td></tr></table></body></html>"""
    doc = html_to_document(page)
    assert_offsets(doc)
    (table,) = doc.tables
    assert table_texts(table) == [["信息内容", "本年新制作数量", "本年新制作数量"],
                                  ["信息内容", "规章", "规范性文件"],
                                  ["件数", "3", "12"]]
    texts = [doc.block_text(b) for b in doc.blocks]
    assert texts[0] == "二、主动公开政府信息情况" and texts[-1] == "三、收到和处理政府信息公开申请情况"


def test_whole_body_when_no_article_stands_out():
    page = "<html><body><p>一、总体情况</p><p>主动公开4147条。</p><p>二、其他</p></body></html>"
    doc = html_to_document(page)
    assert doc.text == "一、总体情况\n主动公开4147条。\n二、其他\n"


def test_ragged_rows_and_bad_spans_do_not_break_the_grid():
    page = """<html><body><table>
    <tr><td>a</td><td colspan="x">b</td><td rowspan="99">c</td></tr>
    <tr><td>d</td></tr></table></body></html>"""
    doc = html_to_document(page)
    assert_offsets(doc)
    assert table_texts(doc.tables[0]) == [["a", "b", "c"], ["d", "", "c"]]


def test_empty_page_warns():
    doc = html_to_document("<html><body><script>var a=1;</script></body></html>")
    assert doc.blocks == [] and doc.warnings


def test_settings_reject_bad_values():
    with pytest.raises(ValueError):
        HtmlSettings(body_share=0.2)


def test_shuyang_page_body_and_tables():
    doc = read(shared_path("corpus", "reports", "shuyang_fgj_2023.html"))
    assert_offsets(doc)
    first = doc.block_text(doc.blocks[0])
    assert first == "沭阳县发展和改革局2023年政府信息公开年度报告"
    assert "繁體版" not in doc.text and "采集时间" not in doc.text  # site header, crawler note
    assert "索引号" not in doc.text  # the page's metadata box sits outside the article
    assert [(len(t.rows), t.n_cols) for t in doc.tables] == [(14, 4), (28, 10), (4, 15)]
    requests = table_texts(doc.tables[1])
    assert requests[3][0] == "一、本年新收政府信息公开申请数量"
    assert requests[3][3:] == ["26", "", "", "", "", "", "26"]
    assert requests[2][4] == "商业企业"  # two <p>s in the cell join without a space
    assert doc.block_text(doc.blocks[-1]) == "2024年1月17日"
