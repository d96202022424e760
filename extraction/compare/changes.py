"""Year-over-year changes of every key an agency's consecutive reports both have.

The previous year is the agency's latest earlier year with a report; across a missing year the
row says so (`gap`). With two reports in one year, every pair is compared, each row naming both
sources (as the cross-year checks do). Flags, ";"-joined:
- `large`: |change| ≥ min_change and (|change / previous| ≥ threshold, or the previous was 0);
- `definition_changed`: the two reports use different table-2 formats and the template prints
  this key under other words in them (e.g. 处理决定数量 / 本年处理决定数量);
- `gap`, `several_reports`, `inferred` (either value was inferred from an ambiguous print),
  `approximate` (a narrative figure printed with 余/多);
- `blank` / `unread`: either side has no number — a printed blank (not a 0) or a print too
  ambiguous to read — so no change is computed.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from .series import Report, definition_changed

CHANGE_COLUMNS = ["agency", "key", "kind", "label", "year", "value", "prev_year", "prev_value", "change",
                  "relative", "flags", "source", "prev_source", "review", "prev_review"]


@dataclass
class Thresholds:
    relative: float = 0.5     # |change| / previous value
    min_change: float = 10    # and at least this much, so that 1 -> 2 is not "large"


def agency_changes(years: dict[int, list[Report]], thresholds: Thresholds) -> list[dict]:
    """Change rows of one agency, from its reports' series rows."""
    out = []
    ordered = sorted(years)
    for prev_year, year in zip(ordered, ordered[1:]):
        several = len(years[prev_year]) > 1 or len(years[year]) > 1
        for prev, cur in product(years[prev_year], years[year]):
            before = {row["key"]: row for row in prev.rows}
            for row in cur.rows:
                old = before.get(row["key"])
                if old is not None:
                    out.append(change_row(old, row, prev, cur, several, thresholds))
    return out


def change_row(old: dict, new: dict, prev: Report, cur: Report, several: bool,
               thresholds: Thresholds) -> dict:
    a, b = old["value"], new["value"]
    flags = []
    change = relative = None
    if a is None or b is None:
        flags += sorted({row["status"] for row in (old, new) if row["value"] is None})
    else:
        change = _round(b - a)
        relative = _round(change / a) if a else None
        if abs(change) >= thresholds.min_change and (not a or abs(relative) >= thresholds.relative):
            flags.append("large")
    if prev.template != cur.template and definition_changed(new["key"]):
        flags.append("definition_changed")
    if cur.year - prev.year > 1:
        flags.append("gap")
    if several:
        flags.append("several_reports")
    flags += sorted({row["status"] for row in (old, new)} & {"inferred", "approximate"})
    return {"agency": cur.agency, "key": new["key"], "kind": new["kind"], "label": new["label"],
            "year": cur.year, "value": b, "prev_year": prev.year, "prev_value": a, "change": change,
            "relative": relative, "flags": ";".join(flags) or None, "source": cur.source,
            "prev_source": prev.source, "review": cur.review, "prev_review": prev.review}


def _round(v):
    return round(v, 6) if isinstance(v, float) else v
