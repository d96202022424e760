"""Comparing two batch output folders: records, CSV, Parquet and SQLite must all be equal."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd

from extraction.batch.store import RECORDS

TABLES = ("values", "figures", "checks", "errors", "duplicates")


def assert_same_outputs(a: Path, b: Path) -> None:
    assert (a / RECORDS).read_bytes() == (b / RECORDS).read_bytes()
    for name in TABLES:
        assert (a / f"{name}.csv").read_bytes() == (b / f"{name}.csv").read_bytes(), name
        pd.testing.assert_frame_equal(pd.read_parquet(a / f"{name}.parquet"),
                                      pd.read_parquet(b / f"{name}.parquet"))
    ca, cb = sqlite3.connect(a / "batch.sqlite"), sqlite3.connect(b / "batch.sqlite")
    try:
        for name in TABLES + ("records",):
            q = f'SELECT * FROM "{name}" ORDER BY 1, 2'
            assert ca.execute(q).fetchall() == cb.execute(q).fetchall(), name
    finally:
        ca.close()
        cb.close()
