"""Records -> flat rows: one table each for values, figures, failed checks, errors, duplicates.

Columns are fixed (every key of both table-2 formats and both （六） variants, every figure
field), so files from different batches line up. Rows come in source order, so the same
records always give the same tables, whatever order the workers finished in.
"""
from __future__ import annotations

from ..figures.fields import FIELDS
from ..template import DECIMAL_KEYS, OTHER_SINGLE, REQUEST_COLUMNS, table2_keys, table3_keys, table4_keys
from ..record import Check, Figure, Record

# The figure fields of spec/annotation.md, in its order: one values column each.
FIGURE_FIELDS: tuple[str, ...] = FIELDS

REPORT_COLUMNS = ["source", "sha256", "format", "title", "agency", "year", "template"]
FIGURE_COLUMNS = ["source", "sha256", "agency", "year", "n", "field", "item", "qty", "value",
                  "unit", "approx", "score", "by", "start", "end", "item_start", "item_end",
                  "field_score"]
CHECK_COLUMNS = ["scope", "rule", "key", "left", "right", "detail", "blanks_as_zero", "source",
                 "sha256", "agency", "year", "prev_source", "prev_year"]
ERROR_COLUMNS = ["source", "sha256", "type", "message"]
DUPLICATE_COLUMNS = ["path", "sha256", "same_as"]


def value_keys() -> list[str]:
    """Every template key of every format, each once, in print order."""
    keys = table2_keys("2021") + [k for k in table2_keys("2019") if k not in table2_keys("2021")]
    keys += table3_keys(single_other=False)
    keys += [f"{OTHER_SINGLE}.{c}" for c in REQUEST_COLUMNS]  # the older single （六） row
    return keys + table4_keys()


def values_columns() -> list[str]:
    return (REPORT_COLUMNS + value_keys() + [f"figures.{f}" for f in FIGURE_FIELDS]
            + ["value_notes", "figures_notes", "n_figures", "n_failed_checks", "n_not_checked",
               "cells_read", "cells_expected", "n_warnings"])


def is_error(record: Record) -> bool:
    return record.error is not None


def values_rows(records: list[Record]) -> list[dict]:
    """One row per report that was read (error records are in errors_rows instead)."""
    keys = value_keys()
    rows = []
    for r in records:
        if is_error(r):
            continue
        row = {c: getattr(r, c) for c in REPORT_COLUMNS}
        cells, value_notes = table_cells(r.values or {}, keys)
        row.update(cells)
        row["value_notes"] = "; ".join(value_notes) or None
        totals, notes = figure_totals(r.figures or [])
        row.update({f"figures.{f}": totals.get(f) for f in FIGURE_FIELDS})
        row["figures_notes"] = "; ".join(notes) or None
        row["n_figures"] = len(r.figures or [])
        row["n_failed_checks"] = len(r.failed_checks())
        row["n_not_checked"] = sum(c.ok is None for c in r.all_checks())
        row["cells_read"] = r.coverage.read if r.coverage else None
        row["cells_expected"] = r.coverage.expected if r.coverage else None
        row["n_warnings"] = len(r.warnings or [])
        rows.append(row)
    return rows


def table_cells(values: dict, keys: list[str]) -> tuple[dict, list[str]]:
    """The values of `keys` as table cells: counts as integers (12.0 is the count 12).

    A count key holding something that is not a whole number is left blank in the tables and
    noted; records.jsonl keeps it exactly as read.
    """
    cells, notes = {}, []
    for k in keys:
        v = values.get(k)
        if k in DECIMAL_KEYS or v is None:
            cells[k] = v
        elif _is_count(v):
            cells[k] = int(v)
        else:
            cells[k] = None
            notes.append(f"{k}: {v!r} is not a count, left blank here (records.jsonl has it as read)")
    return cells, notes


def figure_totals(figures: list[dict]) -> tuple[dict, list[str]]:
    """A report's figure for each field, and notes wherever that took a decision.

    The rule: the figures of one field count distinct things the report tallies (two websites'
    counts, two kinds of training), so they are summed; the same number stated again (in 一 and
    again in 六) is one statement, counted once. Whenever a field has more than one figure the
    row's `figures_notes` says what was done, so a reader can check; figures of one field in
    different units are not added up: the field is left blank and noted.
    """
    by_field: dict[str, list[Figure]] = {}
    for f in figures:
        if f.field and f.value is not None:
            by_field.setdefault(f.field, []).append(f)
    totals, notes = {}, []
    for field, figs in by_field.items():
        units = {f.unit for f in figs}
        if len(units) > 1:
            notes.append(f"{field}: figures in different units ({', '.join(sorted(map(str, units)))}), left blank")
            continue
        distinct = list(dict.fromkeys(f.value for f in figs))
        total = sum(distinct)
        totals[field] = round(total, 6) if isinstance(total, float) else total
        if len(figs) > 1:
            shown = " + ".join(_fmt(v) for v in distinct)
            repeats = len(figs) - len(distinct)
            notes.append(f"{field}: {len(figs)} figures, {shown} = {_fmt(totals[field])}"
                         + (f" ({repeats} repeated value(s) counted once)" if repeats else ""))
    return totals, notes


def figures_rows(records: list[Record]) -> list[dict]:
    rows = []
    for r in records:
        for n, f in enumerate(r.figures or []):
            row = {"source": r.source, "sha256": r.sha256, "agency": r.agency, "year": r.year, "n": n}
            row.update({c: getattr(f, c) for c in FIGURE_COLUMNS[5:]})
            rows.append(row)
    return rows


def checks_rows(records: list[Record], cross_year: list[dict] = ()) -> list[dict]:
    """One row per failed check: the report's own rules, then the cross-year ones."""
    rows = []
    for r in records:
        for c in r.failed_checks():
            rows.append(_check_row("report", c, r.source, r.sha256, r.agency, r.year))
    for c in cross_year:  # crossyear.py's checks: a check's keys plus the two reports'
        if c.get("ok") is False:
            row = _check_row("cross_year", Check.from_json(c), c["source"], c.get("sha256"),
                             c["agency"], c["year"])
            row.update(prev_source=c["prev_source"], prev_year=c["prev_year"])
            rows.append(row)
    return rows


def _check_row(scope, c: Check, source, sha256, agency, year) -> dict:
    return {"scope": scope, "rule": c.rule, "key": c.key, "left": c.left, "right": c.right,
            "detail": c.detail, "blanks_as_zero": c.blanks_as_zero, "source": source, "sha256": sha256,
            "agency": agency, "year": year, "prev_source": None, "prev_year": None}


def errors_rows(records: list[Record]) -> list[dict]:
    return [{"source": r.source, "sha256": r.sha256, "type": r.error.type,
             "message": r.error.message} for r in records if is_error(r)]


def duplicates_rows(duplicates) -> list[dict]:
    """(path, sha256, same_as) for each input whose bytes were already extracted under another name."""
    return [{"path": p, "sha256": h, "same_as": same} for p, h, same in sorted(duplicates)]


def _is_count(v) -> bool:
    if v is None:
        return True
    if isinstance(v, bool):
        return False
    return isinstance(v, int) or isinstance(v, float) and v.is_integer()


def _fmt(v) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
