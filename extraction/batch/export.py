"""Write the batch tables as CSV, Parquet and one SQLite database, streaming from records.jsonl.

Records are read a chunk at a time, so a batch larger than memory exports too. Every column has
a fixed type (nullable integers for counts, so a blank stays blank rather than NaN or 0; doubles
for decimals, figure values and check sides), which keeps the chunks of one file alike and the
three formats in agreement. Every file is written under a temporary name and renamed into
place at the end, so a run killed while exporting leaves no half file.
"""
from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import warnings
from pathlib import Path

import pandas as pd

from ..csv_safe import write_csv
from ..record import Record
from ..template import DECIMAL_KEYS
from . import tables as t
from .crossyear import cross_year_checks, slim
from .store import records_in

TABLES = ("values", "figures", "checks", "errors", "duplicates")
COLUMNS = {"values": t.values_columns(), "figures": t.FIGURE_COLUMNS, "checks": t.CHECK_COLUMNS,
           "errors": t.ERROR_COLUMNS, "duplicates": t.DUPLICATE_COLUMNS}
CHUNK = 1000  # records per chunk

_COUNTS = set(t.value_keys()) - DECIMAL_KEYS
INTEGER = {"year", "prev_year", "n", "n_figures", "n_failed_checks", "n_not_checked",
           "cells_read", "cells_expected", "n_warnings", "start", "end",
           "item_start", "item_end"} | _COUNTS
FLOAT = ({"score", "value", "left", "right"} | DECIMAL_KEYS
         | {f"figures.{f}" for f in t.FIGURE_FIELDS})
BOOLEAN = {"approx", "blanks_as_zero"}


def column_type(column: str) -> str:
    if column in BOOLEAN:
        return "boolean"
    if column in INTEGER:
        return "Int64"
    if column in FLOAT:
        return "Float64"
    return "string"


def frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: typed(c, [r.get(c) for r in rows]) for c in columns}, columns=columns)


def typed(column: str, values: list):
    """The column's values in its fixed type. A value that does not fit (a bug upstream: a year
    that is not a number) is left blank here, with a warning; records.jsonl keeps it as it was."""
    dtype = column_type(column)
    try:
        return pd.array(values, dtype=dtype)
    except (TypeError, ValueError):
        fits = _FITS[dtype]
        bad = [v for v in values if v is not None and not fits(v)]
        warnings.warn(f"column {column}: {len(bad)} value(s) not {dtype} left blank in the tables "
                      f"(e.g. {bad[0]!r}); records.jsonl has them as extracted")
        return pd.array([v if v is None or fits(v) else None for v in values], dtype=dtype)


_FITS = {
    "Int64": lambda v: not isinstance(v, bool) and isinstance(v, (int, float)) and float(v).is_integer(),
    "Float64": lambda v: not isinstance(v, bool) and isinstance(v, (int, float)),
    "boolean": lambda v: isinstance(v, bool),
    "string": lambda v: True,
}


def export(records_path: Path, out_dir: Path, duplicates, chunk: int = CHUNK,
           skipped: list | None = None) -> list[dict]:
    """Write every table from records.jsonl (in its order); returns the cross-year checks.

    `skipped` receives the (agency, year, n) that cross-year checks could not pair.
    """
    slims = []
    with TableWriter(out_dir) as w:
        batch: list[dict] = []
        for record in records_in(records_path):
            batch.append(record)
            slims.append(slim(record))
            if len(batch) >= chunk:
                _write_chunk(w, batch)
                batch = []
        _write_chunk(w, batch)
        cross = cross_year_checks(slims, skipped)
        w.append("checks", frame(t.checks_rows([], cross), COLUMNS["checks"]))
        w.append("duplicates", frame(t.duplicates_rows(duplicates), COLUMNS["duplicates"]))
    return cross


def _write_chunk(w: "TableWriter", records: list[Record]) -> None:
    w.append("values", frame(t.values_rows(records), COLUMNS["values"]))
    w.append("figures", frame(t.figures_rows(records), COLUMNS["figures"]))
    w.append("checks", frame(t.checks_rows(records), COLUMNS["checks"]))
    w.append("errors", frame(t.errors_rows(records), COLUMNS["errors"]))
    w.append_records(records)


class TableWriter:
    """Appends data frames to name.csv, name.parquet and a table of batch.sqlite (all temporary
    until close renames them into place)."""

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self._csv: dict = {}
        self._parquet: dict = {}
        self._tmp: list[tuple[Path, Path]] = []

    def __enter__(self) -> "TableWriter":
        db = self._temp("batch.sqlite")
        self.db = sqlite3.connect(db)
        try:
            self.db.execute("CREATE TABLE records (source TEXT, sha256 TEXT, agency TEXT, "
                            "year INTEGER, format TEXT, template TEXT, error_type TEXT, record TEXT)")
            for name in TABLES:  # every file exists with its columns, even with no rows
                self.append(name, frame([], COLUMNS[name]))
        except BaseException as e:  # e.g. a full disk already: clean up as a failed run does
            self.__exit__(type(e), e, None)
            raise
        return self

    def _temp(self, name: str) -> Path:
        final = self.out_dir / name
        tmp = final.with_name(name + ".tmp")
        if tmp.exists():
            tmp.unlink()
        self._tmp.append((tmp, final))
        return tmp

    def append(self, name: str, df: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if name not in self._csv:
            self._csv[name] = open(self._temp(f"{name}.csv"), "w", encoding="utf-8", newline="")
            write_csv(df, self._csv[name])
            table = pa.Table.from_pandas(df, preserve_index=False)
            self._parquet[name] = pq.ParquetWriter(self._temp(f"{name}.parquet"), table.schema)
            self._parquet[name].write_table(table)
            df.to_sql(name, self.db, index=False)
            return
        if df.empty:
            return
        # %.15g: whole doubles print as 12, not 12.0; decimals keep every digit they were read with
        write_csv(df, self._csv[name], header=False, float_format="%.15g")
        self._parquet[name].write_table(pa.Table.from_pandas(df, schema=self._parquet[name].schema,
                                                             preserve_index=False))
        df.to_sql(name, self.db, index=False, if_exists="append")

    def append_records(self, records: list[Record]) -> None:
        self.db.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
            (r.source, r.sha256, r.agency, r.year, r.format, r.template,
             r.error.type if r.error else None,
             json.dumps(r.to_json(), ensure_ascii=False)) for r in records])

    def __exit__(self, exc_type, *exc) -> None:
        try:
            for f in [*self._csv.values(), *self._parquet.values()]:
                f.close()
            if exc_type is None:
                for name in ("values", "figures", "checks", "records"):
                    self.db.execute(f'CREATE INDEX "{name}_agency_year" ON "{name}" (agency, year)')
                self.db.execute('CREATE INDEX "records_sha256" ON records (sha256)')
                self.db.commit()
            self.db.close()
            if exc_type is None:
                for tmp, final in self._tmp:
                    with open(tmp, "rb+") as f:
                        os.fsync(f.fileno())
                    os.replace(tmp, final)
        except BaseException:  # a full disk fails the closing too: the run fails all the same
            exc_type = exc_type or OSError
            raise
        finally:
            if exc_type is not None:  # no half table is left behind
                for f in [*self._csv.values(), *self._parquet.values(), self.db]:
                    with contextlib.suppress(Exception):
                        f.close()
                for tmp, _ in self._tmp:
                    tmp.unlink(missing_ok=True)
