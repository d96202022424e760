"""The comparison's tables as CSV and Parquet, with fixed column types (a blank stays blank).

The CSV goes through csv_safe like every CSV xxgk writes (an agency or item text starting with
= is not run as a formula); Parquet keeps every text as read."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..csv_safe import write_csv

INTEGER = {"year", "prev_year"}
FLOAT = {"value", "prev_value", "change", "relative", "left", "right"}
BOOLEAN = {"ok", "blanks_as_zero"}


def column_type(column: str) -> str:
    return "Int64" if column in INTEGER else "Float64" if column in FLOAT else \
        "boolean" if column in BOOLEAN else "string"


def write_table(out_dir: Path, name: str, rows: list[dict], columns: list[str]) -> None:
    """name.csv and name.parquet, each written under a temporary name and renamed into place."""
    df = pd.DataFrame({c: pd.array([r.get(c) for r in rows], dtype=column_type(c)) for c in columns},
                      columns=columns)
    csv, parquet = out_dir / f"{name}.csv", out_dir / f"{name}.parquet"
    with open(f"{csv}.tmp", "w", encoding="utf-8", newline="") as f:
        write_csv(f, [[r.get(c) for c in columns] for r in rows], columns)
    df.to_parquet(f"{parquet}.tmp", index=False)
    os.replace(f"{csv}.tmp", csv)
    os.replace(f"{parquet}.tmp", parquet)
