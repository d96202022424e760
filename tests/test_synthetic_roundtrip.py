"""The synthetic report generator (extraction/synth.py), and extraction of what it writes.

The generator's files are opened with the real libraries (lxml, python-docx, pdfplumber); then the
property this project promises: for random values in every format and layout, extraction returns
exactly the values printed (blanks as None).
"""
from __future__ import annotations

import math
import re
import random
from dataclasses import replace

import docx
import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from extraction.checks import run_checks
from extraction.pipeline import extract
from extraction.synth import (BLANKS, FORMATS, TITLE_STYLES, TXT_SERIALIZATIONS, Layout, flatten_table,
                              make_report, random_layout, random_values, to_text)
from extraction.template import all_keys


# --------------------------------------------------------------------------- the generator itself

@pytest.mark.parametrize("seed", range(30))
def test_random_values_print_every_key_and_hold_every_rule(seed):
    rng = random.Random(seed)
    layout = random_layout(rng, "txt")
    values = random_values(rng, layout)
    assert set(values) == set(all_keys(layout.table2, layout.single_other))
    checks = run_checks(values, layout.table2)
    assert checks and all(c["ok"] for c in checks)


def test_cell_per_line_text_writes_merged_cells_as_the_seeds_do():
    rows = [["三、本年度办理结果", "（一）予以公开", "1"], [None, "（二）部分公开", "2"]]
    grid = flatten_table(rows, [(0, 0, 2, 1)])
    assert grid == [["三、本年度办理结果", "（一）予以公开", "1"], ["", "（二）部分公开", "2"]]
    text = to_text([("table", rows, [(0, 0, 2, 1)])], "cells")
    assert text == "\t三、本年度办理结果\n\t（一）予以公开\n\t1\n\n\t\n\t（二）部分公开\n\t2\n\n\n"
    tabs = to_text([("table", [["信息内容", "本年处理决定数量", None]], [(0, 1, 1, 2)])], "tabs")
    assert tabs == "信息内容\t本年处理决定数量\t\n\n"


def test_html_has_spans_and_declared_encoding(tmp_path):
    rep = make_report(tmp_path / "a", seed=3, fmt="html", layout=Layout(encoding="gb18030"))
    raw = rep.path.read_bytes()
    assert b'charset=gbk"' in raw  # GB18030 pages declare gbk
    page = lxml_html.fromstring(raw.decode("gb18030"))
    tables = page.findall(".//table")
    assert len(tables) == 3
    assert tables[1].xpath(".//td[@rowspan]") and tables[1].xpath(".//td[@colspan]")
    assert "三、本年度办理结果" in tables[1].text_content()


def test_docx_has_three_tables_with_merged_cells(tmp_path):
    rep = make_report(tmp_path / "a", seed=4, fmt="docx", layout=Layout(vertical_headers=True))
    d = docx.Document(str(rep.path))
    assert len(d.tables) == 3
    t3 = d.tables[1]
    # The label "三、本年度办理结果" is one merged cell spanning the outcome rows.
    assert t3.cell(5, 0)._tc is t3.cell(20, 0)._tc
    assert t3.cell(1, 3).text == "自\n然\n人"
    assert d.paragraphs[0].text == f"{rep.agency}{rep.year}年政府信息公开工作年度报告"


def test_pdf_has_ruled_tables_in_a_cjk_font(tmp_path):
    rep = make_report(tmp_path / "a", seed=5, fmt="pdf", layout=Layout())
    with pdfplumber.open(rep.path) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
        n_tables = sum(len(p.find_tables()) for p in pdf.pages)
    assert "政府信息公开工作年度报告" in text and "行政复议" in text
    assert n_tables >= 3


@pytest.mark.parametrize("serialization", TXT_SERIALIZATIONS)
def test_txt_serializations_print_every_value(tmp_path, serialization):
    layout = Layout(serialization=serialization, blank="无", encoding="gb18030")
    rep = make_report(tmp_path / "a", seed=6, fmt="txt", layout=layout)
    text = rep.path.read_bytes().decode("gb18030")
    blank_cells = re.findall(r"(?<=[\t|\n ])无(?=[\t|\n ])", text)
    assert len(blank_cells) == sum(v is None for v in rep.values.values())
    assert "一、本年新收政府信息公开申请数量" in text


# --------------------------------------------------------------------------- extraction round trip

def same_values(got: dict, want: dict) -> list[str]:
    """Differences between extracted and printed values ([] when they are the same)."""
    diffs = []
    for key in sorted(set(got) | set(want)):
        a, b = got.get(key, "absent"), want.get(key, "absent")
        if a is None or b is None or isinstance(a, str) or isinstance(b, str):
            ok = a == b
        else:
            ok = math.isclose(float(a), float(b), abs_tol=1e-6)
        if not ok:
            diffs.append(f"{key}: got {a!r}, printed {b!r}")
    return diffs


def ambiguous_runs(rep, record) -> set[str]:
    """Keys of table-2 rows printed run together ("12517") that the record leaves unread, as it
    may where the run splits several ways: then the printed values are among its readings (or it
    lists none: a run with a thousands separator in it)."""
    out = set()
    for row, keys in rep.run_rows.items():
        if all(record.cells[k].status == "not_read" for k in keys):
            readings = (record.readings or {}).get(row)
            if readings is None or [rep.values[k] for k in keys] in readings.values:
                out |= set(keys)
    return out


def assert_round_trip(rep) -> None:
    """Extraction gives back exactly the values `rep` printed (and its table-2 format)."""
    record = extract(rep.path, figures=False)
    assert record.error is None, record.error
    # Cells not on the printed page are not read: null, status not_read, never a value.
    unprinted = rep.unprinted | ambiguous_runs(rep, record)
    diffs = same_values(record.values, {k: None if k in unprinted else v for k, v in rep.values.items()})
    status = {k: c.status for k, c in record.cells.items()}
    diffs += [f"{k}: not printed, yet status {status.get(k)!r}"
              for k in sorted(unprinted) if status.get(k) != "not_read"]
    diffs += [f"{c.key}: check failed" for c in record.checks if c.ok is False]
    if record.template != rep.layout.table2:
        diffs.insert(0, f"template: got {record.template!r}, printed {rep.layout.table2!r}")
    if (record.agency, record.year) != (rep.agency, rep.year):
        diffs.insert(0, f"agency, year: got {record.agency!r} {record.year!r}, "
                        f"printed {rep.agency!r} {rep.year!r}")
    shown = "\n".join(diffs[:12] + record.warnings[:4])
    assert not diffs, f"{len(diffs)} values differ in {rep.path.name}:\n{shown}"


TARGETS = [("txt", s) for s in TXT_SERIALIZATIONS] + [(f, "cells") for f in FORMATS if f != "txt"]
VARIANTS = {
    "plain": {},
    "table2_2019": dict(table2="2019"),
    "single_other": dict(single_other=True),
    "split_labels": dict(split_labels=True),
    "vertical_headers": dict(vertical_headers=True),
    "stray_spaces": dict(stray_spaces=True),
    "fullwidth": dict(fullwidth=True),
    "thousands": dict(thousands=True),
    "blank_slash": dict(blank="/"),
    "blank_wu": dict(blank="无"),
    "blank_dash": dict(blank="-"),
    "blank_empty": dict(blank=""),
    "repeat_header": dict(repeat_header=True),   # PDF: header rows again on the next page
    "layout_table": dict(layout_table=True),     # HTML, DOCX: article inside a page-layout table
    "group_labels_across_rows": dict(group_labels_across_rows=True),  # "（四）无" / "法提供"
    "wide_tables": dict(wide_tables=True),       # PDF: the last columns past the page's edge
    "narrow_columns": dict(narrow_columns=True, thousands=True),  # PDF: "1,2" over "34"
    "split_rows": dict(split_rows=True, narrow_columns=True),  # PDF: a row's digits run on a page
    "broken_markdown": dict(broken_markdown=True),  # Markdown: rows glued, a label lost
    "markdown_runs": dict(markdown_runs=True),   # Markdown: table 2's values run together
    "table4_lines": dict(table4_lines=True),     # table 4's values in three lines below its header
    "labels_apart": dict(labels_apart=True),     # table 3's labels in one block, values in another
}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("fmt,serialization", TARGETS, ids=[f"{f}-{s}" for f, s in TARGETS])
def test_each_layout_round_trips(tmp_path, fmt, serialization, variant):
    """One layout feature at a time, so a failure names the feature and the format."""
    layout = Layout(serialization=serialization, **VARIANTS[variant])
    if layout.blank == "" and serialization == "blank_lines":
        pytest.skip("an empty cell cannot be printed when blank lines separate the cells")
    rep = make_report(tmp_path / f"{variant}", seed=100, fmt=fmt, layout=layout)
    assert_round_trip(rep)


layouts = st.builds(
    Layout,
    table2=st.sampled_from(("2021", "2019")),
    single_other=st.booleans(),
    serialization=st.sampled_from(TXT_SERIALIZATIONS),
    split_labels=st.booleans(),
    vertical_headers=st.booleans(),
    stray_spaces=st.booleans(),
    fullwidth=st.booleans(),
    thousands=st.booleans(),
    blank=st.sampled_from(BLANKS),
    encoding=st.sampled_from(("utf-8", "gb18030")),
    title_style=st.sampled_from(TITLE_STYLES),
    repeat_header=st.booleans(),
    layout_table=st.booleans(),
    group_labels_across_rows=st.booleans(),
    wide_tables=st.booleans(),
    narrow_columns=st.booleans(),
    split_rows=st.booleans(),
    broken_markdown=st.booleans(),
    markdown_runs=st.booleans(),
    table4_lines=st.booleans(),
    labels_apart=st.booleans(),
)


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fmt=st.sampled_from(FORMATS), layout=layouts, seed=st.integers(0, 10**6))
def test_random_reports_round_trip(tmp_path, fmt, layout, seed):
    if fmt not in ("txt", "html"):
        layout = replace(layout, encoding="utf-8")
    rep = make_report(tmp_path / f"r{seed}", seed=seed, fmt=fmt, layout=layout)
    assert_round_trip(rep)


def test_shipped_samples_are_what_the_generator_writes(tmp_path):
    """extraction/samples/ must not drift from `python -m extraction.synth --samples`."""
    import json
    from pathlib import Path

    from extraction.synth import write_samples

    shipped = Path(__file__).resolve().parent.parent / "extraction" / "samples"
    write_samples(tmp_path)
    assert (tmp_path / "expected.jsonl").read_text("utf-8") == (shipped / "expected.jsonl").read_text("utf-8")
    for line in (shipped / "expected.jsonl").read_text("utf-8").splitlines():
        name = json.loads(line)["source"]
        if not name.endswith(".docx"):  # a .docx zip stamps the time it was written
            assert (tmp_path / name).read_bytes() == (shipped / name).read_bytes(), name


@pytest.mark.parametrize("table2", ["2021", "2019"])
@pytest.mark.parametrize("fmt,serialization", TARGETS, ids=[f"{f}-{s}" for f, s in TARGETS])
def test_empty_cells_at_the_start_and_end_of_rows(tmp_path, fmt, serialization, table2):
    """An empty cell is a blank even first or last in its row (table 4's values, table 2's
    procurement row, table 3's 自然人 and 总计 columns): the columns must not shift."""
    layout = Layout(serialization=serialization, table2=table2,
                    blank="—" if serialization == "blank_lines" else "")
    values = {k: 0 for k in all_keys(table2)}
    for key in ("requests.granted", "requests.total", "requests.new"):
        values[f"{key}.commercial"] = values[f"{key}.total"] = 3
    values.update({"review.corrected": 2, "review.total": 2, "litigation.direct.pending": 1,
                   "litigation.direct.total": 1})
    for key in ("review.upheld", "litigation.after_review.total", "requests.carried_over.natural_person",
                "requests.carried_over.total", "requests.carried_forward.total"):
        values[key] = None
    first_key = next(iter(values))
    values[first_key] = None  # table 2's first value cell
    if table2 == "2019":
        values["proactive.procurement.items"] = None
        values["proactive.procurement.amount"] = 12.5
    assert all(c["ok"] for c in run_checks(values, table2))
    rep = make_report(tmp_path / "edges", seed=7, fmt=fmt, layout=layout, values=values)
    assert_round_trip(rep)
