"""The three tables from every shape a reader hands over, on invented reports (tests/table_texts.py).

Text shapes go through `document_from_text` (what the TXT and Markdown readers build); grids go
through real DOCX and HTML files read by the project's readers.
"""
from __future__ import annotations

import pytest

from extraction.document import document_from_text
from extraction.readers import read
from extraction.sections import find_sections
from extraction.tables import extract_tables
from make_files import write_docx, write_html
from table_texts import blocks, expected, render, table_rows


def extract_text(text: str):
    doc = document_from_text(text)
    return doc, extract_tables(doc, find_sections(doc))


def assert_cells_index_text(doc, result):
    """A printed (not inferred) value's cell is exactly its text in the document."""
    for key, cell in result.cells.items():
        if not cell.get("inferred"):
            assert doc.text[cell["start"]:cell["end"]] == cell["raw"], key


@pytest.mark.parametrize("shape", ["tab", "cell_lines", "lines", "md"])
@pytest.mark.parametrize("template", ["2021", "2019"])
def test_text_shapes(shape, template):
    single = template == "2019"
    doc, result = extract_text(render(table_rows(template, single), shape))
    assert result.template == template
    assert result.values == expected(template, single)
    assert result.warnings == []
    assert not any(c.get("inferred") for c in result.cells.values())
    assert_cells_index_text(doc, result)


@pytest.mark.parametrize("writer", [write_docx, write_html])
@pytest.mark.parametrize("single", [False, True])
def test_grids_from_real_files(tmp_path, writer, single):
    path = writer(tmp_path / ("r.docx" if writer is write_docx else "r.html"),
                  blocks(table_rows("2021", single)))
    doc = read(path)
    assert doc.tables, "the reader gives grids"
    result = extract_tables(doc, find_sections(doc))
    assert result.values == expected("2021", single)
    assert_cells_index_text(doc, result)


def test_other_row_variants():
    _, sub = extract_text(render(table_rows("2021", False), "tab"))
    _, single = extract_text(render(table_rows("2021", True), "tab"))
    assert sub.values["requests.other.other.natural_person"] == 2
    assert "requests.other.total.total" not in sub.values
    assert single.values["requests.other.total.natural_person"] == 2
    assert not any(k.startswith(("requests.other.other", "requests.other.overdue")) for k in single.values)


def test_blanks_are_null_with_raw_kept(tmp_path):
    t2, t3, t4 = table_rows("2021")
    t3[3 + 0][-7:] = ["15", "—", "", "1", "/", "无", "18"]    # requests.new, five kinds of blank
    t4[-1][5:10] = ["-", "", "", "", ""]
    path = write_docx(tmp_path / "blank.docx", blocks((t2, t3, t4)))
    doc = read(path)
    result = extract_tables(doc, find_sections(doc))
    v, c = result.values, result.cells
    assert [v[f"requests.new.{k}"] for k in ("natural_person", "commercial", "research",
                                            "social_welfare", "legal_services", "other_org", "total")] \
        == [15, None, None, 1, None, None, 18]
    assert c["requests.new.commercial"]["raw"] == "—" and c["requests.new.legal_services"]["raw"] == "/"
    assert c["requests.new.other_org"]["raw"] == "无" and c["requests.new.research"]["raw"] == ""
    assert v["litigation.direct.upheld"] is None and v["litigation.direct.total"] is None
    assert v["litigation.after_review.upheld"] == 0


def test_value_spellings():
    t2, t3, t4 = table_rows("2021")
    t2[-1][1] = "1,234.50"                                  # fees in 万元 with a separator
    next(r for r in t2 if r[0] == "行政许可")[1] = "１２"    # full-width digits
    t3[3][-7:] = ["15 ", "\u00a02", "0", " 1", "0", "0", "1８"]
    _, result = extract_text(render((t2, t3, t4), "tab"))
    assert result.values["proactive.fees.amount_wan_yuan"] == 1234.5
    assert result.values["proactive.licensing.decisions"] == 12
    assert [result.values[f"requests.new.{k}"] for k in ("natural_person", "commercial", "total")] == [15, 2, 18]


def test_repeated_header_row_on_a_new_page_is_not_data():
    t2, t3, t4 = table_rows("2021")
    header = [list(r) for r in t3[:3]]
    at_other = next(i for i, r in enumerate(t3) if r[-8:-7] == ["3.其他"])
    t3 = t3[:at_other] + header + t3[at_other:at_other + 1] + header + t3[at_other + 1:]
    for shape in ("tab", "cell_lines", "lines"):
        _, result = extract_text(render((t2, t3, t4), shape))
        assert result.values == expected("2021"), shape
        assert result.warnings == []


def test_split_labels_and_vertical_headers():
    t2, t3, t4 = table_rows("2021")
    t2[1][3] = "本年度止件数"                                # a header typo
    t3[5][1] = "（二）部分公开（区分处理的，只"                # label split over two lines,
    t3[4][0] = "三、本年度办"                                # the group label too
    t3.insert(6, ["理结果", "计这一情形，不计其他情形）", "", "", ""])
    t3[8][2] = "2.其他法律行政止公开"                         # a label typo
    t4[1] = ["结 果 维 持", "结 果 纠 正", "其 他 结 果", "尚 未 审 结", "总 计", "未经复议直接起诉", "复议后起诉"]
    t4[2] = ["", "", "", "", ""] + ["结 果 维 持", "结 果 纠 正", "其 他 结 果", "尚 未 审 结", "总 计"] * 2
    for shape in ("tab", "cell_lines"):
        _, result = extract_text(render((t2, t3, t4), shape))
        assert result.values == expected("2021"), shape


def test_table2_with_headers_of_both_formats():
    # (一) headed the 2019 way, the other rows the 2021 way: each row takes its own header's columns.
    t2, t3, t4 = table_rows("2021")
    t2[1] = ["信息内容", "本年新\n制作数量", "本年新\n公开数量", "对外公开总数量"]
    _, result = extract_text(render((t2, t3, t4), "cell_lines"))
    assert result.template == "2019"
    assert [result.values[f"proactive.normative_docs.{c}"] for c in ("new_made", "new_published",
                                                                    "total_published")] == [3, 1, 12]
    assert result.values["proactive.licensing.decisions"] == 45
    assert result.values["proactive.fees.amount_wan_yuan"] == 12.5
    assert any("mix the 2019 and 2021 formats" in w for w in result.warnings)


def test_pipes_broken_over_lines():
    # A web page's table flattened to "| \n 规章  | \n 0  | …": the pipes are borders, not text.
    t2, t3, t4 = table_rows("2021")
    text = render((t2, t3, t4), "tab")
    table2 = "\n".join("| \n " + "  | \n ".join(r) + "  | " for r in t2)
    text = text.replace("\n".join("\t".join(r) for r in t2), table2)
    _, result = extract_text(text)
    assert {k: v for k, v in result.values.items() if k.startswith("proactive")} == \
        {k: v for k, v in expected("2021").items() if k.startswith("proactive")}


def test_prose_about_table_items_is_not_a_table():
    # Section 二 written as a sentence: no table header, no values read.
    text = render(table_rows("2021"), "tab")
    start = text.index("二、主动公开政府信息情况") + len("二、主动公开政府信息情况\n")
    end = text.index("三、收到和处理")
    prose = ("本年出台行政规范性文件：制发件数2件，废止件数1件，现行有效件数22件。"
             "行政许可2031年处理决定数量450项，行政处罚2项。\n")
    _, result = extract_text(text[:start] + prose + text[end:])
    assert not any(k.startswith("proactive") and v is not None for k, v in result.values.items())
    assert result.values["requests.new.total"] == 18
