"""PDF tables printed without rules, numbers wrapped in narrow columns.

A table whose borders were lost prints as text only; a number too wide for its column wraps
("12" over "34"). Real PDFs made by reportlab (drawn here, and the generator's reports with
`Layout.unruled`) and by LibreOffice (a python-docx report with borderless, narrow value
columns, printed to PDF) are read back: a wrapped number whole where the drawing proves it one
cell's number, else not read with a warning; never two numbers, never a wrong one.
Agencies and numbers are invented.
"""
from __future__ import annotations

import math
import random
import shutil
import subprocess

import pytest

from extraction.pipeline import extract
from extraction.readers import read
from extraction.synth import make_report, random_layout
from extraction.synth_writers import FONT, register_font

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SIZE, PITCH = 10, 14


def differences(record, want: dict) -> tuple[list, list]:
    """(wrong, unread) keys of `record` against the values the report printed."""
    wrong, unread = [], []
    for key, value in want.items():
        cell = record.cells.get(key)
        if cell is not None and cell.status == "not_read":
            unread.append(key)
            continue
        got = record.values.get(key, "absent")
        same = (got == value if got is None or value is None or got == "absent"
                else math.isclose(float(got), float(value)))
        if not same:
            wrong.append(f"{key}: read {got!r}, printed {value!r}")
    return wrong, unread


def draw_table(path, rows, order="cells"):
    """An unruled table drawn by reportlab: rows of cells, each cell a list of (x, line offset)
    texts; a line offset of 1.5 stands one and a half lines below the cell's first line.
    `order`: "cells" draws cell by cell (as office suites do), "lines" line by line."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    register_font()
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont(FONT, SIZE)
    c.drawString(60, 780, "示例表（单位：件）")
    y, draws = 740, []
    for row in rows:
        for cell in row:
            for x, dy, text in cell:
                draws.append((y - dy * PITCH, x, text))
        y -= (max(dy for cell in row for _, dy, _ in cell) + 2) * PITCH
    if order == "lines":
        draws.sort(key=lambda d: (-d[0], d[1]))
    for y, x, text in draws:
        c.drawString(x, y, text)
    c.showPage()
    c.save()
    return path


LABEL = (60, 0, "一、本年新收申请"), (60, 1, "数量合计")  # a label wrapped at the line pitch


def table_of(path):
    doc = read(path)
    tables = [b.table for b in doc.blocks if b.table is not None]
    assert len(tables) == 1, doc.text
    return tables[0], doc


def test_number_wrapped_in_a_narrow_column_is_read_whole(tmp_path):
    """"12" drawn over "34" right after it, at the line pitch of the wrapped label: 1234."""
    path = draw_table(tmp_path / "wrapped.pdf", [
        [list(LABEL), [(200, 0, "12"), (200, 1, "34")], [(240, 0, "5")], [(270, 0, "1239")]],
        [[(60, 0, "二、上年结转申请"), (60, 1, "数量")], [(200, 0, "6")], [(240, 0, "7")], [(270, 0, "13")]],
    ])
    table, doc = table_of(path)
    assert [[c.text for c in row] for row in table.rows] == [
        ["一、本年新收申请数量合计", "1234", "5", "1239"], ["二、上年结转申请数量", "6", "7", "13"]]
    assert not any(c.cut for row in table.rows for c in row)
    assert any("1 number(s) wrapped" in w and "read whole" in w for w in doc.warnings)


DOUBT = [
    [list(LABEL), [(200, 0, "12")], [(240, 0, "5")], [(270, 0, "17")]],
    [[(60, 0, "二、上年结转申请"), (60, 1, "数量")], [(200, 0, "6")], [(240, 0, "7"), (240, 1.5, "8")],
     [(270, 0, "84")]],
]


def test_number_below_a_number_not_proven_one_is_not_read(tmp_path):
    """"7" with "8" below it, drawn right after it but a line and a half down (not the text's
    pitch): one wrapped 78 or two numbers, unknown. No value of that row is read, warned."""
    table, doc = table_of(draw_table(tmp_path / "doubt.pdf", DOUBT))
    row = table.rows[-1]
    assert [c.text for c in row][:2] == ["二、上年结转申请数量", "6"]
    assert all(c.cut for c in row[1:])  # every value of the row
    assert not any(c.cut for c in table.rows[0])
    assert any("may be one wrapped number or two cells" in w for w in doc.warnings)


def test_table_drawn_line_by_line_is_not_read(tmp_path):
    """The same table drawn line by line (no cell's lines drawn one after the other): a row's
    second line ("数量", "8") looks like a row of its own, so cells cannot be told apart; no
    value is read, and the warning says why."""
    table, doc = table_of(draw_table(tmp_path / "lines.pdf", DOUBT, order="lines"))
    values = [c for row in table.rows for c in row if c.text[:1].isdigit()]
    assert values and all(c.cut for c in values)
    assert any("nothing in the document shows its text drawn cell by cell" in w for w in doc.warnings)


def test_narrow_columns_hold_apart_values_close_together(tmp_path):
    """Values in adjacent narrow columns stand closer than a character's width: still cells of
    their own (not "00", not "——3"), and an empty cell (nothing drawn) is placed as empty where
    a full row proves the columns."""
    xs = [200, 212, 224, 236]
    path = draw_table(tmp_path / "narrow.pdf", [
        [list(LABEL)] + [[(x, 0, t)] for x, t in zip(xs, ["0", "—", "3", "3"])],
        [[(60, 0, "二、上年结转申请"), (60, 1, "数量")]] + [[(x, 0, t)] for x, t in zip([200, 224, 236], ["1", "2", "3"])],
    ])
    table, _ = table_of(path)
    assert [[c.text for c in row] for row in table.rows] == [
        ["一、本年新收申请数量合计", "0", "—", "3", "3"], ["二、上年结转申请数量", "1", "", "2", "3"]]


# Generated reports, tables without rules (reportlab); even seeds with one-digit-wide value
# columns, so every number of two digits or more wraps a digit a line.
SEEDS_READ_WHOLE = [700, 702, 704, 708]


def unruled_report(tmp_path, seed: int):
    layout = random_layout(random.Random(seed), "pdf")
    layout.unruled, layout.narrow_columns = True, seed % 2 == 0
    return make_report(tmp_path / f"unruled{seed}", seed=seed, fmt="pdf", layout=layout)


@pytest.mark.parametrize("seed", SEEDS_READ_WHOLE)
def test_generated_report_without_rules_reads_as_printed(tmp_path, seed):
    rep = unruled_report(tmp_path, seed)
    record = extract(rep.path, figures=False)
    assert differences(record, rep.values) == ([], [])
    assert not record.failed_checks()
    if rep.layout.narrow_columns:
        assert any("wrapped over lines in a narrow column were read whole" in w for w in record.warnings)


def test_generated_reports_without_rules_read_no_wrong_value(tmp_path):
    """Random layouts (blanks printed as empty cells, split labels, vertical headers, full-width
    digits, tables over pages): every value read is the printed one; each cell not read is
    warned about, by its row or its table."""
    for seed in range(720, 732):
        rep = unruled_report(tmp_path, seed)
        record = extract(rep.path, figures=False)
        wrong, unread = differences(record, rep.values)
        assert not wrong, f"seed {seed}: " + "\n".join(wrong)
        for key in unread:
            row, table = key.rsplit(".", 1)[0], {"proactive": 2, "requests": 3}.get(key.split(".")[0], 4)
            assert any(f"row {row} " in w or f"table {table}: left blank" in w for w in record.warnings), key
        assert not record.failed_checks(), seed


# LibreOffice: a report written by python-docx, its tables' borders removed and table 3's value
# columns made narrow, printed to PDF as a user would.

def borderless_narrow_docx(path, width_cm: float) -> None:
    import docx
    from docx.shared import Cm
    document = docx.Document(str(path))
    for table in document.tables:
        table.style = document.styles["Normal Table"]  # no borders
        if len(table.columns) == 10:                    # table 3: three label columns, seven values
            table.autofit = False
            for i, column in enumerate(table.columns):
                column.width = Cm(width_cm) if i >= 3 else Cm(2.0)
                for cell in column.cells:
                    cell.width = column.width
    document.save(str(path))


@pytest.fixture(scope="module")
def office_prints(tmp_path_factory):
    """{seed: (PDF printed by LibreOffice, the values the report holds)}."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed here")
    from extraction.synth import Layout
    root = tmp_path_factory.mktemp("unruled_office")
    reports = {}
    for seed, blank in ((902, "—"), (905, "")):
        rep = make_report(root / f"r{seed}", seed=seed, fmt="docx", layout=Layout(blank=blank))
        borderless_narrow_docx(rep.path, 0.6)
        reports[seed] = rep
    subprocess.run([SOFFICE, f"-env:UserInstallation={(root / 'profile').as_uri()}", "--headless",
                    "--norestore", "--convert-to", "pdf", "--outdir", str(root),
                    *(str(r.path) for r in reports.values())], check=True, timeout=600, capture_output=True)
    return {seed: (rep.path.with_suffix(".pdf"), rep.values) for seed, rep in reports.items()}


def test_office_print_wraps_numbers_and_reads_them_whole(office_prints):
    """LibreOffice wraps table 3's numbers (two digits a line) and draws no rule: read exactly."""
    pdf, values = office_prints[902]
    record = extract(pdf, figures=False)
    assert differences(record, values) == ([], [])
    assert any("wrapped over lines in a narrow column were read whole" in w for w in record.warnings)


def test_office_print_row_split_over_a_page_with_its_label_is_not_read(office_prints):
    """Blanks printed as empty cells, and a row LibreOffice splits over a page break, its label
    and wrapped numbers running on ("2" at the page's foot, "3" atop the next): those numbers
    are not read, warned; all else read exactly."""
    pdf, values = office_prints[905]
    record = extract(pdf, figures=False)
    wrong, unread = differences(record, values)
    assert not wrong, "\n".join(wrong)
    assert unread and len(unread) <= 40
    assert any("may be one wrapped number or two cells" in w for w in record.warnings)
    assert not record.failed_checks()
