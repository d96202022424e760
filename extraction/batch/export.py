"""Write the batch tables as CSV, Parquet and one SQLite database, streaming from records.jsonl.

Records are read a chunk at a time, so a batch larger than memory exports too. Every column has
a fixed type (nullable integers for counts, so a blank stays blank rather than NaN or 0; doubles
for decimals, figure values and check sides), which keeps the chunks of one file alike and the
three formats in agreement. Every file is written under a temporary name and renamed into
place at the end, so a run killed while exporting leaves no half file. No pandas: csv, pyarrow
and sqlite3 write the rows as they are (importing pandas cost a batch of a few reports more than
writing all its tables); the Parquet files carry pandas' metadata, so `pd.read_parquet` gives
the same nullable types.
"""
from __future__ import annotations

import contextlib
import io
import json
import math
import os
import sqlite3
import warnings
from pathlib import Path

import pyarrow as pa
import pyarrow.json as pa_json
import pyarrow.parquet as pq

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
FLOAT = ({"score", "field_score", "value", "left", "right"} | DECIMAL_KEYS
         | {f"figures.{f}" for f in t.FIGURE_FIELDS})
BOOLEAN = {"approx", "blanks_as_zero"}

# Each column type (named as pandas' nullable dtypes): what fits it, how a value is stored,
# its SQLite and Arrow types, and its pandas type in the Parquet files' pandas metadata.
_FITS = {
    "Int64": lambda v: (not isinstance(v, bool) and isinstance(v, (int, float))
                        and float(v).is_integer() and -2**63 <= v < 2**63),
    "Float64": lambda v: not isinstance(v, bool) and isinstance(v, (int, float)) and math.isfinite(v),
    "boolean": lambda v: isinstance(v, bool),
    "string": lambda v: True,
}
_CAST = {"Int64": int, "Float64": float, "boolean": bool, "string": str}
SQL_TYPES = {"Int64": "INTEGER", "Float64": "REAL", "boolean": "INTEGER", "string": "TEXT"}
ARROW_TYPES = {"Int64": pa.int64(), "Float64": pa.float64(), "boolean": pa.bool_(),
               "string": pa.large_string()}
PANDAS_TYPES = {"Int64": "int64", "Float64": "float64", "boolean": "bool", "string": "object"}


def column_type(column: str) -> str:
    if column in BOOLEAN:
        return "boolean"
    if column in INTEGER:
        return "Int64"
    if column in FLOAT:
        return "Float64"
    return "string"


def typed(column: str, values: list) -> list:
    """The column's values in its fixed type (12.0 in a count column is 12). A value that does
    not fit (a bug upstream: a year that is not a number) is left blank here, with a warning;
    records.jsonl keeps it as it was."""
    dtype = column_type(column)
    fits, cast = _FITS[dtype], _CAST[dtype]
    bad = [v for v in values if v is not None and not fits(v)]
    if bad:
        warnings.warn(f"column {column}: {len(bad)} value(s) not {dtype} left blank in the tables "
                      f"(e.g. {bad[0]!r}); records.jsonl has them as extracted")
    return [None if v is None or not fits(v) else cast(v) for v in values]


def columns_of(rows: list[dict], columns: list[str]) -> dict[str, list]:
    """The rows as typed columns, in the table's column order."""
    return {c: typed(c, [r.get(c) for r in rows]) for c in columns}


def arrow_table(rows: list[dict], schema) -> "pa.Table":
    """The typed rows as an Arrow table, read as JSON lines with the table's schema: exact
    (doubles print and parse back to the same bits), and unlike pa.array it does not import
    pandas (0.3 s) to ask whether a list is a pandas object."""
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    return pa_json.read_json(io.BytesIO(data),
                             read_options=pa_json.ReadOptions(use_threads=False,
                                                              block_size=max(1 << 20, len(data))),
                             parse_options=pa_json.ParseOptions(explicit_schema=schema))


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
        w.append("checks", t.checks_rows([], cross))
        w.append("duplicates", t.duplicates_rows(duplicates))
    return cross


def _write_chunk(w: "TableWriter", records: list[Record]) -> None:
    w.append("values", t.values_rows(records))
    w.append("figures", t.figures_rows(records))
    w.append("checks", t.checks_rows(records))
    w.append("errors", t.errors_rows(records))
    w.append_records(records)


def parquet_schema(columns: list[str]):
    """The Parquet schema of a table: its column types, and pandas' metadata (the format pandas
    documents), so that pandas reads a count column as Int64, with blanks, not as doubles."""
    types = [column_type(c) for c in columns]
    pandas = {"index_columns": [], "column_indexes": [], "attributes": {},
              "creator": {"library": "xxgk"},
              "columns": [{"name": c, "field_name": c, "pandas_type": PANDAS_TYPES[dtype],
                           "numpy_type": dtype, "metadata": None} for c, dtype in zip(columns, types)]}
    return pa.schema([(c, ARROW_TYPES[dtype]) for c, dtype in zip(columns, types)],
                     metadata={b"pandas": json.dumps(pandas).encode()})


class TableWriter:
    """Appends rows to name.csv, name.parquet and a table of batch.sqlite (all temporary until
    close renames them into place), in the columns and types of COLUMNS[name]."""

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self._csv: dict = {}
        self._parquet: dict = {}
        self._tmp: list[tuple[Path, Path]] = []

    def __enter__(self) -> "TableWriter":
        db = self._temp("batch.sqlite")
        self.db = sqlite3.connect(db)
        try:
            # One transaction, no journal: the file is temporary until renamed, after an fsync.
            self.db.execute("PRAGMA journal_mode = OFF")
            self.db.execute("PRAGMA synchronous = OFF")
            self.db.execute("CREATE TABLE records (source TEXT, sha256 TEXT, agency TEXT, "
                            "year INTEGER, format TEXT, template TEXT, error_type TEXT, record TEXT)")
            for name in TABLES:  # every file exists with its columns, even with no rows
                self._open(name)
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

    def _open(self, name: str) -> None:
        columns = COLUMNS[name]
        self._csv[name] = open(self._temp(f"{name}.csv"), "w", encoding="utf-8", newline="")
        write_csv(self._csv[name], [], header=columns)
        self._parquet[name] = pq.ParquetWriter(self._temp(f"{name}.parquet"), parquet_schema(columns))
        self.db.execute(f'CREATE TABLE "{name}" ('
                        + ", ".join(f'"{c}" {SQL_TYPES[column_type(c)]}' for c in columns) + ")")

    def append(self, name: str, rows: list[dict]) -> None:
        if not rows:
            return
        columns = COLUMNS[name]
        data = columns_of(rows, columns)
        values = list(zip(*data.values()))
        write_csv(self._csv[name], values)
        writer = self._parquet[name]
        writer.write_table(arrow_table([dict(zip(columns, v)) for v in values], writer.schema))
        self.db.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(columns))})', values)

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
