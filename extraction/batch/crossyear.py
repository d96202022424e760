"""Checks across years: the same agency's reports for consecutive years in one batch.

- `requests.carried_over.total` (t) = `requests.carried_forward.total` (t−1): what one year
  carries forward, the next year says it carried over.
- 2021 format, 规章 and 行政规范性文件: `in_force` (t) = `in_force` (t−1) + `issued` (t) −
  `repealed` (t). (Documents that lapse without a repeal also break it; a failure is a lead
  to read, not a proof of a wrong number.)

As in a report's own checks, a blank counts as 0 and the check says so, a check with no number
on either side is not made, and no value is changed. A cell that was not read (status
`not_read`) is unknown, not blank: a check that needs it is `ok: null` with `not_checked` saying
which. Where that cell's table-2 row was left unread because its digits split several ways
(`record.readings`), the in-force rule ranks the readings: those with which the rule holds come
first (`ranked`, and `not_checked` names them). That is a ranking, never a value: nothing is
filled in, so the rule is not made to hold, and a reading breaking it may still be the print. An agency is matched by its name exactly
as extracted; where one agency has two reports for a year (the same report in two formats),
every pair of consecutive-year reports is checked, each row naming both sources. More than two
reports of one agency for one year means the agency name is not telling reports apart (e.g. a
generic "人民政府办公室"): that year is not paired, and `skipped` lists it.
"""
from __future__ import annotations

from itertools import product

from ..record import Record

NOT_READ = "not_read"  # a cell's status (tables.common): unknown, not blank

MAX_REPORTS_PER_YEAR = 2
IN_FORCE_ROWS = ("proactive.rules", "proactive.normative_docs")
KEYS = ("requests.carried_over.total", "requests.carried_forward.total") + tuple(
    f"{row}.{col}" for row in IN_FORCE_ROWS for col in ("issued", "repealed", "in_force"))


def slim(record: Record) -> dict:
    """What the cross-year checks read of a record (so a big batch need not keep whole records)."""
    out = {k: getattr(record, k) for k in ("source", "sha256", "agency", "year", "template", "error")}
    out["values"] = {k: v for k, v in (record.values or {}).items() if k in KEYS}
    cells = record.cells or {}
    out["unread"] = sorted(k for k in KEYS if k in cells and cells[k].status == NOT_READ)
    out["readings"] = {row: r.to_json() for row, r in (record.readings or {}).items()
                       if row in IN_FORCE_ROWS}
    return out


def cross_year_checks(records: list[dict], skipped: list | None = None) -> list[dict]:
    """Every cross-year check the records allow; (agency, year, n) of unpaired years -> skipped."""
    by_agency_year: dict[tuple[str, int], list[dict]] = {}
    for r in records:
        if r.get("error") or not r.get("agency") or not isinstance(r.get("year"), int):
            continue
        by_agency_year.setdefault((r["agency"].strip(), r["year"]), []).append(r)
    checks = []
    too_many = {k for k, v in by_agency_year.items() if len(v) > MAX_REPORTS_PER_YEAR}
    if skipped is not None:
        skipped += [(a, y, len(by_agency_year[(a, y)])) for a, y in sorted(too_many)]
    for (agency, year), current in sorted(by_agency_year.items()):
        if {(agency, year), (agency, year - 1)} & too_many:
            continue
        for prev, cur in product(by_agency_year.get((agency, year - 1), []), current):
            checks += pair_checks(prev, cur, agency)
    return checks


def pair_checks(prev: dict, cur: dict, agency: str) -> list[dict]:
    pv, cv = prev.get("values") or {}, cur.get("values") or {}
    y0, y1 = prev["year"], cur["year"]
    carried_over = cv.get("requests.carried_over.total")
    carried_forward = pv.get("requests.carried_forward.total")
    unread = _unread(cur, ["requests.carried_over.total"]) + _unread(prev, ["requests.carried_forward.total"])
    out = [_not_checked("carried_over_cross_year", "requests.carried_over.total", unread) if unread else
           _check("carried_over_cross_year", "requests.carried_over.total",
                  [carried_over], [carried_forward],
                  f"carried_over {y1} = {_show(carried_over)}; "
                  f"carried_forward {y0} = {_show(carried_forward)}")]
    if prev.get("template") == "2021" and cur.get("template") == "2021":
        for row in IN_FORCE_ROWS:
            out.append(in_force_check(prev, cur, row))
    context = {"agency": agency, "year": y1, "source": cur.get("source"),
               "sha256": cur.get("sha256"), "prev_year": y0,
               "prev_source": prev.get("source"), "prev_sha256": prev.get("sha256")}
    return [dict(c, **context) for c in out if c is not None]


def in_force_check(prev: dict, cur: dict, row: str) -> dict | None:
    """in_force (t) = in_force (t−1) + issued (t) − repealed (t); where a side's row was not
    read, the rule ranks that row's readings (if it has any) instead of being checked."""
    y0, y1 = prev["year"], cur["year"]
    key = f"{row}.in_force"
    cols = ("issued", "repealed", "in_force")
    before = _options(prev, row, ("in_force",))
    now = _options(cur, row, cols)
    detail = f"in_force {y1} = in_force {y0} + issued {y1} - repealed {y1}"
    if before is None or now is None:  # a cell not read, and no readings to rank
        unread = _unread(prev, [key]) + _unread(cur, [f"{row}.{c}" for c in cols])
        return _not_checked("in_force_cross_year", key, unread)
    if not (_ranked(prev, row) or _ranked(cur, row)):
        (b,), (issued, repealed, n) = before[0], now[0]
        return _check("in_force_cross_year", key, [n], [b, issued, _neg(repealed)],
                      f"in_force {y1} = {_show(n)}; in_force {y0} + issued {y1} - "
                      f"repealed {y1} = {_show(b)} + {_show(issued)} - {_show(repealed)}")
    fits = [(i, j) for i, (b,) in enumerate(before) for j, (issued, repealed, n) in enumerate(now)
            if abs(_sum([n]) - _sum([b, issued, _neg(repealed)])) < 1e-6]
    ranked, said = [], []
    for record, index in ((prev, 0), (cur, 1)):  # index: the side's place in a pair of `fits`
        if not _ranked(record, row):
            continue
        fit = sorted({pair[index] for pair in fits})
        readings = record["readings"][row]["values"]
        order = fit + [i for i in range(len(readings)) if i not in fit]
        ranked.append({"year": record["year"], "source": record.get("source"), "row": row,
                       "keys": record["readings"][row]["keys"],
                       "readings": [readings[i] for i in order], "fit": len(fit)})
        shown = ", ".join("/".join(_show(v) for v in readings[i]) for i in fit[:4])
        said.append(f"{row} of {record['year']} not read ({len(readings)} readings): "
                    + (f"{len(fit)} fit this rule, ranked first: {shown}" if fit
                       else "none fits this rule"))
    check = _not_checked("in_force_cross_year", key, [])
    check.update(detail=detail, not_checked="; ".join(said) + " (a ranking: nothing is filled in)",
                 ranked=ranked)
    return check


def _unread(record: dict, keys: list[str]) -> list[str]:
    return [k for k in keys if k in (record.get("unread") or ())]


def _ranked(record: dict, row: str) -> bool:
    """Is `row` unread in `record` with readings to rank?"""
    cols = ("issued", "repealed", "in_force")
    return bool(_unread(record, [f"{row}.{c}" for c in cols])) and row in (record.get("readings") or {})


def _options(record: dict, row: str, cols: tuple) -> list[tuple] | None:
    """The values of `row`'s `cols` as one option, or one per reading where the row was left
    unread with readings; None where a cell was not read and there is nothing to rank."""
    keys = [f"{row}.{c}" for c in cols]
    values = record.get("values") or {}
    if not _unread(record, keys):
        return [tuple(values.get(k) for k in keys)]
    if not _ranked(record, row):
        return None
    readings = record["readings"][row]
    at = [readings["keys"].index(k) for k in keys]
    return [tuple(r[i] for i in at) for r in readings["values"]]


def _not_checked(rule: str, key: str, unread: list[str]) -> dict:
    return {"rule": rule, "key": key, "ok": None, "left": None, "right": None, "detail": None,
            "blanks_as_zero": None, "not_checked": f"not read: {', '.join(unread)}"}


def _check(rule: str, key: str, left: list, right: list, detail: str) -> dict | None:
    if all(v is None for v in left + right):
        return None
    lsum, rsum = _sum(left), _sum(right)
    return {"rule": rule, "key": key, "ok": abs(lsum - rsum) < 1e-6, "left": lsum, "right": rsum,
            "detail": detail, "blanks_as_zero": any(v is None for v in left + right)}


def _neg(v):
    return None if v is None else -v


def _sum(vals):
    total = sum(v for v in vals if v is not None)
    return round(total, 6) if isinstance(total, float) else total


def _show(v) -> str:
    if v is None:
        return "blank"
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
