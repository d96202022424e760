"""Rows printed run together, or with a cell lost (extraction/tables/runs.py and the parsers)."""
from __future__ import annotations

import pytest

from extraction.document import document_from_text
from extraction.sections import find_sections
from extraction.tables import extract_tables
from extraction.tables.runs import read_row
from extraction.tables.values import atoms
from table_texts import expected, render, table_rows

ROW_RULE = [(6, (0, 1, 2, 3, 4, 5))]


def row(text: str):
    return [a for a in atoms(text, 0) if a.kind != "text"]


def test_unique_split_of_a_run_is_inferred():
    r = read_row(row("15130000154"), 7, ROW_RULE)
    assert r.unique is not None and r.unique.values == (151, 3, 0, 0, 0, 0, 154)
    assert all(p.inferred for p in r.unique.pieces)
    # Each value points at its digits in the run.
    assert [(p.start, p.end) for p in r.unique.pieces][:2] == [(0, 3), (3, 4)]


def test_spaces_in_a_run_are_cell_boundaries():
    r = read_row(row("230 000023"), 7, ROW_RULE)
    assert r.unique.values == (23, 0, 0, 0, 0, 0, 23)


def test_a_forced_split_needs_no_rule():
    r = read_row(row("0000000"), 7, [])
    assert r.unique.values == (0,) * 7


def test_ambiguous_run_gives_no_reading_but_says_why():
    r = read_row(row("3112"), 3, [])          # 3/1/12, 3/11/2 or 31/1/2: table 2 has no rule
    assert r.unique is None
    assert {x.values for x in r.readings} == {(3, 1, 12), (3, 11, 2), (31, 1, 2)}
    assert "3 readings" in r.problem


def test_lost_cell_completed_where_the_rules_leave_one_answer():
    r = read_row(row("0\t0\t0\t0\t0\t0"), 7, ROW_RULE)
    assert r.unique.values == (0,) * 7 and r.unique.how == "completed"
    assert all(p.inferred for p in r.unique.pieces)
    assert sum(p.raw == "" for p in r.unique.pieces) == 1


def test_lost_cell_with_two_answers_is_not_guessed():
    # Lost total -> 3/1/0/0/0/4/8; lost other_org -> 3/1/0/0/0/0/4; and more.
    r = read_row(row("3\t1\t0\t0\t0\t4"), 7, ROW_RULE)
    assert r.unique is None
    assert {(3, 1, 0, 0, 0, 4, 8), (3, 1, 0, 0, 0, 0, 4)} <= {x.values for x in r.readings}


def test_table4_groups_split_by_their_totals():
    r = read_row(row("10203120001200000"), 15, [(4, (0, 1, 2, 3)), (9, (5, 6, 7, 8)), (14, (10, 11, 12, 13))])
    assert r.unique.values == (1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0)


def crawler(template="2021", single=False, values=None):
    doc = document_from_text(render(table_rows(template, single, values), "crawler"))
    assert "\n" not in doc.text.strip()
    return doc, extract_tables(doc, find_sections(doc))


def test_crawler_text_tables_3_and_4():
    doc, result = crawler()
    want = expected("2021")
    got3 = {k: v for k, v in result.values.items() if not k.startswith("proactive")}
    assert got3 == {k: v for k, v in want.items() if not k.startswith("proactive")}
    # Run-together values are inferred; each points into the run it came from.
    cell = result.cells["requests.new.natural_person"]
    assert cell["inferred"] and doc.text[cell["start"]:cell["end"]] == "15"


def test_crawler_table2_ambiguous_rows_left_blank_with_a_warning():
    doc, result = crawler()
    # "0 0 2" runs to "002": one reading. "3 1 12" runs to "3112": three readings.
    assert [result.values[f"proactive.rules.{c}"] for c in ("issued", "repealed", "in_force")] == [0, 0, 2]
    assert result.values["proactive.normative_docs.issued"] is None
    assert result.cells["proactive.normative_docs.issued"]["raw"] == "3112"
    assert any("proactive.normative_docs left blank" in w and "3/1/12" in w for w in result.warnings)
    assert result.values["proactive.licensing.decisions"] == 45


def test_crawler_row_ambiguous_alone_is_settled_by_the_column_rules():
    # requests.new 15/2/0/1/0/0/18 runs to "152010018", which also reads 1/5/2/0/10/0/18 under
    # the row rule; only the first keeps rules 1 and 3 in every column.
    doc, result = crawler()
    assert [result.values[f"requests.new.{c}"] for c in ("natural_person", "commercial", "total")] == [15, 2, 18]
    assert any("requests.new printed ambiguously" in w and "15/2/0/1/0/0/18" in w for w in result.warnings)


def test_lost_cells_in_a_tab_text():
    t2, t3, t4 = table_rows("2021")
    for r in t3:
        if r[-8:-7] == ["（一）予以公开"] or r[-8:-7] == ["2.重复申请"]:
            del r[-2]                                   # the conversion lost one cell
    doc = document_from_text(render((t2, t3, t4), "tab"))
    result = extract_tables(doc, find_sections(doc))
    want = expected("2021")
    # 重复申请 1/0/0/0/0/[lost]/1 and 予以公开 7/1/0/0/0/[lost]/8 each read several ways under
    # the row rule; the column rules keep one reading of both rows, marked inferred.
    assert [result.values[f"requests.not_processed.duplicate.{c}"] for c in ("natural_person", "total")] == [1, 1]
    assert result.cells["requests.not_processed.duplicate.other_org"]["inferred"]
    assert result.values["requests.granted.total"] == 8
    assert {k: v for k, v in result.values.items() if v != want[k]} == {}


def test_labels_moved_out_of_their_rows_value_rows_taken_in_order():
    t2, t3, t4 = table_rows("2021")
    # Every label of the （三） group printed after the group's values, as a PDF conversion does.
    body = t3[3:]
    moved = [r for r in body if r[-8:-7] and r[-8].startswith(("2.", "3.", "4."))]
    for r in moved:
        r[-8] = ""
    text = render((t2, t3, t4), "md").replace("| 四、结转下年度继续办理", "| 2.其他法律\n| 四、结转下年度继续办理")
    doc = document_from_text(text)
    result = extract_tables(doc, find_sections(doc))
    want = expected("2021")
    assert {k: (result.values.get(k), v) for k, v in want.items() if result.values.get(k) != v} == {}
    assert any("read in template order" in w for w in result.warnings)


# ------------------------------------------------------------ grids a rule cannot complete (issue 19)

def grid_row(text: str, cut_at_end: bool = False):
    """A row as a trustworthy grid gives it: each atom printed alone in its cell."""
    out = row(text)
    for a in out:
        a.whole = True
    if cut_at_end:
        from extraction.tables.values import LOST, Atom
        out.append(Atom(LOST, "", len(text), len(text)))
    return out


def test_a_number_alone_in_a_table_cell_is_never_split():
    # Six cells for seven columns: as text, "26" would split into 2/6 (the one way to make 7).
    r = read_row(grid_row("26\t—\t—\t—\t—\t—"), 7, ROW_RULE)
    assert r.unique is None and "a column is missing" in r.problem
    assert read_row(row("26\t—\t—\t—\t—\t—"), 7, ROW_RULE).unique is not None  # text: split


def test_a_grid_row_with_a_lost_cell_is_not_completed():
    r = read_row(grid_row("0\t0\t0\t0\t0\t0"), 7, ROW_RULE)
    assert r.unique is None


def test_a_row_cut_at_the_page_edge_reads_what_was_printed_and_no_more():
    r = read_row(grid_row("26\t—\t—\t—\t—", cut_at_end=True), 7, ROW_RULE)
    assert r.unique.values == (26, None, None, None, None, None, None)
    assert [p.unread for p in r.unique.pieces] == [False] * 5 + [True] * 2
    assert not any(p.inferred for p in r.unique.pieces)
    # Printed whole (seven cells), the edge adds nothing.
    full = read_row(grid_row("1\t0\t0\t0\t0\t0\t1", cut_at_end=True), 7, ROW_RULE)
    assert full.unique.values == (1, 0, 0, 0, 0, 0, 1) and not any(p.unread for p in full.unique.pieces)


def test_readings_of_an_ambiguous_table2_row_are_ranked_likeliest_first():
    # "46 5 713" runs to "465713": in force at least this year's issued, fewer repealed than
    # issued, and numbers of like length make 46/5/713 the likeliest — shown first, not filled.
    doc, result = crawler(values={"proactive.normative_docs": ["46", "5", "713"]})
    assert result.values["proactive.normative_docs.issued"] is None
    (warning,) = [w for w in result.warnings if "proactive.normative_docs left blank" in w]
    assert "likeliest first: 46/5/713," in warning


@pytest.mark.parametrize("run,readings", [
    ("5—17", [(5, None, 17)]),                 # a blank mark run in is a blank cell, not text
    ("013-", [(0, 13, None)]),
    ("无260", [(None, 2, 60), (None, 26, 0)]),
    ("-160", [(None, 1, 60), (None, 16, 0), (-1, 6, 0)]),  # "-": a blank mark or a minus sign
    ("0-5", [(0, None, 5)]),                  # or 0 / -5 and a lost cell: listed, not filled in
    ("12-917,094", []),                       # where a number with separators starts: unknown
    ("2012,73214", []),                       # digits the number pattern left are not dropped
])
def test_runs_with_blank_marks_signs_and_separators_never_read_wrong(run, readings):
    from extraction.tables.runs import value_atoms
    got = read_row(value_atoms(atoms(run, 0), 3, True), 3, [])
    assert {r.values for r in got.readings} == set(readings)
    # Filled in only where the print is sure: a dash glued after a number or between two is a
    # blank; one before a number may be its minus sign.
    assert (got.unique is not None) == (run in ("5—17", "013-"))
