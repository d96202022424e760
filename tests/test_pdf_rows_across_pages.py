"""A table row split by a page break, as office suites print a row too tall for the page.

Generated reports (invented agency and numbers) written by reportlab with one-digit-wide value
columns, so a number wraps a digit a line and the break can fall inside it ("10" at the foot of
one page, "9" atop the next). Such a row is read whole when its labels were printed whole above
the break; when its label runs on over the break too, the numbers running on are `not_read`
with a warning (a label and numbers on the new page cannot be told from a new row) — never a
wrong value.
"""
from __future__ import annotations

import random

import pdfplumber

from extraction.pipeline import extract
from extraction.synth import Layout, _pdf_narrow_widths, random_values, report_blocks
from extraction.synth_writers import write_pdf


def write(path, seed: int, split_rows, split_labels: bool = False) -> dict:
    """A report whose numbers have four digits or more (four lines in a narrow column)."""
    rng = random.Random(seed)
    layout = Layout(narrow_columns=True, split_labels=split_labels)
    values = {k: v * 1111 if isinstance(v, int) else v for k, v in random_values(rng, layout).items()}
    blocks, _ = report_blocks(values, layout, "示例县样本局", 2023, rng)
    write_pdf(path, blocks, font_size=10.5, cell_font_size=7.5, margin=50, footer=False,
              col_widths=_pdf_narrow_widths, split_rows=split_rows)
    return values


def pages_starting_inside_a_row(path) -> list[int]:
    """Pages whose first line is the rest of a row: digits (and blank marks) only, no label."""
    found = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[1:]:
            top = min(c["top"] for c in page.chars)
            first = "".join(c["text"] for c in page.chars if abs(c["top"] - top) < 2)
            if first.strip() and all(ch.isdigit() or ch in "—-/ " for ch in first):
                found.append(page.page_number)
    return found


def test_row_whose_numbers_run_on_over_the_break_reads_whole(tmp_path):
    for seed in (101, 105):
        path = tmp_path / f"split{seed}.pdf"
        values = write(path, seed, split_rows=True)
        assert pages_starting_inside_a_row(path), "the generator printed no row across a break"
        record = extract(path, figures=False)
        assert record.values == values, seed
        assert all(c.status in ("read", "blank") for c in record.cells.values())


def test_row_whose_label_and_numbers_run_on_is_not_read_never_wrong(tmp_path):
    path = tmp_path / "mixed.pdf"
    values = write(path, 105, split_rows="all", split_labels=True)
    record = extract(path, figures=False)
    unread = {k for k, c in record.cells.items() if c.status == "not_read"}
    # Only the numbers running on over the break ("7" above, "777" below: under some numbers
    # of the row but not all, so maybe a new row) are not read; the row's other cells are.
    assert unread and all(k.startswith("requests.partially_granted.") for k in unread)
    assert all(values[k] is not None for k in unread)
    assert all(record.values[k] is None for k in unread)
    assert {k: v for k, v in record.values.items() if k not in unread} == \
        {k: v for k, v in values.items() if k not in unread}
    assert any("requests.partially_granted" in w for w in record.warnings)
    assert not record.failed_checks()
    assert any(c.ok is None and c.not_checked for c in record.checks)
