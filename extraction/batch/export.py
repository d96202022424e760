"""Write the batch tables as CSV, Parquet and one SQLite database, from the same data frames.

Each table gets explicit column types (nullable integers, so a blank stays blank rather than
turning into NaN or 0), which keeps the three formats in agreement. Every file is written to a
temporary name and renamed into place, so a run killed while exporting leaves no half file.
"""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pandas as pd

from ..template import DECIMAL_KEYS
from . import tables as t

TABLES = ("values", "figures", "checks", "errors", "duplicates")

INTEGER = {"year", "prev_year", "n", "n_figures", "n_failed_checks", "n_warnings", "start", "end",
           "item_start", "item_end"}
FLOAT = {"score"} | DECIMAL_KEYS
BOOLEAN = {"approx", "blanks_as_zero"}
NUMBER = {"value", "left", "right"} | {f"figures.{f}" for f in t.FIGURE_FIELDS}  # int or decimal


def build_frames(records: list[dict], cross_year: list[dict], duplicates) -> dict[str, pd.DataFrame]:
    rows = {
        "values": (t.values_rows(records), t.values_columns()),
        "figures": (t.figures_rows(records), t.FIGURE_COLUMNS),
        "checks": (t.checks_rows(records, cross_year), t.CHECK_COLUMNS),
        "errors": (t.errors_rows(records), t.ERROR_COLUMNS),
        "duplicates": (t.duplicates_rows(duplicates), t.DUPLICATE_COLUMNS),
    }
    value_keys = set(t.value_keys())
    return {name: frame(r, cols, value_keys) for name, (r, cols) in rows.items()}


def frame(rows: list[dict], columns: list[str], value_keys: set[str] = frozenset()) -> pd.DataFrame:
    data = {c: pd.array([r.get(c) for r in rows], dtype=column_type(c, [r.get(c) for r in rows],
                                                                  value_keys))
            for c in columns}
    return pd.DataFrame(data, columns=columns)


def column_type(column: str, values: list, value_keys: set[str]) -> str:
    if column in BOOLEAN:
        return "boolean"
    if column in FLOAT:
        return "Float64"
    if column in INTEGER:
        return "Int64"
    if column in NUMBER or column in value_keys:
        # Counts are integers; a column holding a decimal (or a stray float) stays exact as Float64.
        integral = all(v is None or isinstance(v, int) and not isinstance(v, bool) for v in values)
        return "Int64" if integral else "Float64"
    return "string"


def write_all(frames: dict[str, pd.DataFrame], records: list[dict], out_dir: Path) -> None:
    for name, df in frames.items():
        _atomic(out_dir / f"{name}.csv", lambda p, df=df: df.to_csv(p, index=False))
        _atomic(out_dir / f"{name}.parquet", lambda p, df=df: df.to_parquet(p, index=False))
    _atomic(out_dir / "batch.sqlite", lambda p: write_sqlite(frames, records, p))


def write_sqlite(frames: dict[str, pd.DataFrame], records: list[dict], path: Path) -> None:
    """Tables values/figures/checks/errors/duplicates/records, indexed by agency and year."""
    con = sqlite3.connect(path)
    try:
        for name, df in frames.items():
            df.to_sql(name, con, index=False)
        con.execute("CREATE TABLE records (source TEXT, sha256 TEXT, agency TEXT, year INTEGER, "
                    "format TEXT, template TEXT, error_type TEXT, record TEXT)")
        con.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
            (r.get("source"), r.get("sha256"), r.get("agency"), r.get("year"), r.get("format"),
             r.get("template"), (r.get("error") or {}).get("type"),
             json.dumps(r, ensure_ascii=False)) for r in records])
        for name in ("values", "figures", "checks", "records"):
            con.execute(f'CREATE INDEX "{name}_agency_year" ON "{name}" (agency, year)')
        con.execute('CREATE INDEX "records_sha256" ON records (sha256)')
        con.commit()
    finally:
        con.close()


def _atomic(path: Path, write) -> None:
    tmp = path.with_name(path.name + ".tmp")
    if tmp.exists():
        tmp.unlink()
    write(tmp)
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)
