"""Checks across years: the same agency's reports for consecutive years in one batch.

- `requests.carried_over.total` (t) = `requests.carried_forward.total` (t−1): what one year
  carries forward, the next year says it carried over.
- 2021 format, 规章 and 行政规范性文件: `in_force` (t) = `in_force` (t−1) + `issued` (t) −
  `repealed` (t). (Documents that lapse without a repeal also break it; a failure is a lead
  to read, not a proof of a wrong number.)

As in a report's own checks, a blank counts as 0 and the check says so, a check with no number
on either side is not made, and no value is changed. An agency is matched by its name exactly
as extracted; where one agency has two reports for a year (the same report in two formats),
every pair of consecutive-year reports is checked, each row naming both sources. More than two
reports of one agency for one year means the agency name is not telling reports apart (e.g. a
generic "人民政府办公室"): that year is not paired, and `skipped` lists it.
"""
from __future__ import annotations

from itertools import product

from ..record import Record

MAX_REPORTS_PER_YEAR = 2
IN_FORCE_ROWS = ("proactive.rules", "proactive.normative_docs")
KEYS = ("requests.carried_over.total", "requests.carried_forward.total") + tuple(
    f"{row}.{col}" for row in IN_FORCE_ROWS for col in ("issued", "repealed", "in_force"))


def slim(record: Record) -> dict:
    """What the cross-year checks read of a record (so a big batch need not keep whole records)."""
    out = {k: getattr(record, k) for k in ("source", "sha256", "agency", "year", "template", "error")}
    out["values"] = {k: v for k, v in (record.values or {}).items() if k in KEYS}
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
    out = [_check("carried_over_cross_year", "requests.carried_over.total",
                  [carried_over], [carried_forward],
                  f"carried_over {y1} = {_show(carried_over)}; "
                  f"carried_forward {y0} = {_show(carried_forward)}")]
    if prev.get("template") == "2021" and cur.get("template") == "2021":
        for row in IN_FORCE_ROWS:
            now, before = cv.get(f"{row}.in_force"), pv.get(f"{row}.in_force")
            issued, repealed = cv.get(f"{row}.issued"), cv.get(f"{row}.repealed")
            out.append(_check("in_force_cross_year", f"{row}.in_force",
                              [now], [before, issued, _neg(repealed)],
                              f"in_force {y1} = {_show(now)}; in_force {y0} + issued {y1} - "
                              f"repealed {y1} = {_show(before)} + {_show(issued)} - {_show(repealed)}"))
    context = {"agency": agency, "year": y1, "source": cur.get("source"),
               "sha256": cur.get("sha256"), "prev_year": y0,
               "prev_source": prev.get("source"), "prev_sha256": prev.get("sha256")}
    return [dict(c, **context) for c in out if c is not None]


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
