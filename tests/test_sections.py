"""Section headings 一 … 六 (extraction/sections.py), on texts written for these tests."""
from __future__ import annotations

import pytest

from extraction.document import document_from_text
from extraction.sections import find_sections

PREAMBLE = ("本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
            "政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。")
TITLES = ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
          "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"]
NUMERALS = "一二三四五六"


def report(heading, sep="\n", body="青石镇今年公开信息12条。"):
    parts = ["青石镇人民政府2023年政府信息公开工作年度报告", PREAMBLE]
    for i, title in enumerate(TITLES):
        parts += [heading(NUMERALS[i], title), body]
    return sep.join(parts)


def found(text):
    doc = document_from_text(text)
    return [(s.number, doc.text[s.heading_start:s.start].strip()) for s in find_sections(doc)], doc


@pytest.mark.parametrize("heading", [
    lambda n, t: f"{n}、{t}", lambda n, t: f"{n}．{t}", lambda n, t: f"{n}. {t}",
    lambda n, t: f"  {n} 、 {t}", lambda n, t: f"## {n}、{t}",
])
def test_numbered_headings_and_their_variants(heading):
    got, doc = found(report(heading))
    assert [n for n, _ in got] == [1, 2, 3, 4, 5, 6]
    sections = find_sections(doc)
    # Sections tile the text after the first heading; each starts after its heading line.
    for a, b in zip(sections, sections[1:]):
        assert a.end == b.heading_start
    assert sections[1].title.startswith("主动公开政府信息")
    assert doc.text[sections[0].start:sections[0].end].strip() == "青石镇今年公开信息12条。"


def test_preamble_listing_is_not_a_section_start():
    text = report(lambda n, t: f"{n}、{t}")
    doc = document_from_text(text)
    first = find_sections(doc)[0]
    assert first.heading_start > text.index("本报告包括")
    assert text[first.heading_start:].startswith("一、总体情况")


def test_headings_without_numerals():
    got, _ = found(report(lambda n, t: t))
    assert [n for n, _ in got] == [1, 2, 3, 4, 5, 6]


def test_repeated_heading_starts_the_section_once():
    text = report(lambda n, t: f"{n}、{t}" + (f"\n{n}、{t}" if n == "一" else ""))
    doc = document_from_text(text)
    sections = find_sections(doc)
    assert [s.number for s in sections] == [1, 2, 3, 4, 5, 6]
    assert sections[0].heading_start == text.index("一、总体情况")


def test_headings_run_into_one_line_of_text():
    text = report(lambda n, t: f"{n}、{t}", sep="", body="今年共公开信息12条。")
    assert "\n" not in text
    doc = document_from_text(text)
    sections = find_sections(doc)
    assert [s.number for s in sections] == [1, 2, 3, 4, 5, 6]
    # A run-on heading: the section starts right after its wording, on the same line.
    assert text[sections[1].start:].startswith("今年共公开信息12条。")


def test_subheadings_and_table_rows_are_not_sections():
    text = "\n".join([
        "一、总体情况", "（一）主动公开情况", "（二）依申请公开情况", "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量\t3",
        "三、本年度办理结果", "四、结转下年度继续办理\t0", "四、政府信息公开行政复议、行政诉讼情况",
    ])
    doc = document_from_text(text)
    sections = find_sections(doc)
    assert [(s.number, s.heading_start) for s in sections] == [
        (1, 0), (2, text.index("二、主动")), (3, text.index("三、收到")), (4, text.index("四、政府"))]


def test_own_numbering_then_renumbered_template_sections():
    # A body that numbers its narrative parts 一…六 itself and then prints the template tables
    # as "一、主动公开政府信息情况", "二、收到和处理…", "三、…复议…": the wording decides.
    text = "\n".join([
        "一、总体情况", "概况正文。", "二、工作机制保障", "正文。", "三、主动公开工作情况", "正文。",
        "四、政府信息公开申请情况", "正文。", "一、主动公开政府信息情况", "表二",
        "二、收到和处理政府信息公开申请情况", "表三", "三、政府信息公开行政复议、行政诉讼情况", "表四",
        "（一）主要问题", "正文。", "五、其他需要报告的事项", "无。",
    ])
    doc = document_from_text(text)
    by_number = {s.number: s for s in find_sections(doc)}
    assert sorted(by_number) == [1, 2, 3, 4, 6]
    assert text[by_number[2].heading_start:].startswith("一、主动公开政府信息情况")
    assert text[by_number[3].heading_start:].startswith("二、收到和处理")
    assert text[by_number[2].start:by_number[2].end].strip() == "表二"
    assert text[by_number[1].start:by_number[1].end].count("正文。") == 4


def test_no_headings_no_sections():
    assert find_sections(document_from_text("今年公开信息12条。\n没有标题。")) == []
