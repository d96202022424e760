"""The one CSV writer: every CSV xxgk writes goes through `write_csv`, which neutralises formulas.

A spreadsheet opening a CSV runs a cell that starts with = + - @ (or a tab / carriage return
before one) as a formula: a report titled `=HYPERLINK("http://…"&A1,"click")` would send the
sheet's data away (CSV injection, OWASP). Such text cells get a leading `'`, which spreadsheets
show as text; numbers are numbers and stay as they are. Parquet and SQLite keep the text as read.
"""
from __future__ import annotations

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value` as a spreadsheet shows it as text (strings only; anything else unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(file, rows, header: list[str] | None = None) -> None:
    """Write `rows` (lists of values) to the open text `file` as CSV, after `header` if given:
    None is a blank, a double prints with %.15g (12, not 12.0; a decimal keeps every digit it
    was read with), and every text cell is made safe (safe_cell)."""
    writer = csv.writer(file, lineterminator="\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)


def _cell(v):
    if v is None:
        return ""
    if isinstance(v, float):
        return "%.15g" % v
    return safe_cell(v)
