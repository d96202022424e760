"""Consistency rules (勾稽关系) 1–4 of spec/template.md (`template.rules`), checked on
extracted values.

Each check is a dict (spec/output.md):
`{"rule", "key", "ok", "left", "right", "detail", "blanks_as_zero"}`.
A blank (None) counts as 0, and the check then says `blanks_as_zero: true`; a check with no
number on either side (a table or row the report does not have) is not listed. Values are
only read, never changed: a failed rule is reported with both sides, not repaired.

A cell that was not read (lost, cut off at the page's edge, ambiguous) is not a blank: a check
that needs one is listed as not checked — `"ok": null` and `"not_checked"` giving the reason
(which cells) — never as failed, never as passed.
"""
from __future__ import annotations

from .template import OTHER_SINGLE, OTHER_SUBROWS, REQUEST_COLUMNS, Rule, rules


def run_checks(values: dict, template: str | None = None, unread=()) -> list[dict]:
    """Every evaluable check of rules 1–4, in a stable order (rule, then print order).

    `template` (table 2's format) does not change rules 1–4: table 2 has no rule (rule 5).
    `unread`: the keys of cells that were not read; checks needing one are not checked.
    """
    checks = [_check(rule, values) for rule in rules(uses_single_other_row(values))]
    unread = set(unread)
    out = []
    for c in checks:
        missing = [k for k in c.pop("_keys") if k in unread]
        empty = c.pop("_empty")
        if missing:
            c.update(ok=None, left=None, right=None, blanks_as_zero=False,
                     not_checked=f"needs cells that were not read: {', '.join(missing)}")
        elif empty:
            continue  # nothing printed on either side: the report lacks this row or table
        out.append(c)
    return out


def cells_not_read(cells: dict) -> set[str]:
    """The keys whose cell was not read (status `not_read`)."""
    return {k for k, c in cells.items() if c.get("status") == "not_read"}


def uses_single_other_row(values: dict) -> bool:
    """True when （六）其他处理 is the older single row (`requests.other.total.*`).

    Gold files and records may hold both variants' keys with nulls, so the variant is the one
    that carries a number; with none on either, the 2021 sub-rows (all blank anyway).
    """
    has = lambda rows: any(values.get(f"{r}.{c}") is not None for r in rows for c in REQUEST_COLUMNS)
    return has([OTHER_SINGLE]) and not has(OTHER_SUBROWS)


def _check(rule: Rule, values: dict) -> dict:
    left_vals = [values.get(k) for k in rule.left]
    right_vals = [values.get(k) for k in rule.right]
    empty = all(v is None for v in left_vals + right_vals)  # none printed: a row/table lacking
    blanks = any(v is None for v in left_vals + right_vals)
    left, right = _sum(left_vals), _sum(right_vals)
    return {
        "rule": rule.rule,
        "key": rule.key,
        "ok": _equal(left, right),
        "left": left,
        "right": right,
        "detail": f"{rule.left_name} = {_terms(left_vals)}; {rule.right_name} = {_terms(right_vals)}",
        "blanks_as_zero": blanks,
        "_keys": rule.left + rule.right,   # taken off by run_checks
        "_empty": empty,
    }


def _sum(vals):
    total = sum(v for v in vals if v is not None)
    return round(total, 6) if isinstance(total, float) else total


def _equal(a, b) -> bool:
    return abs(a - b) < 1e-6


def _terms(vals) -> str:
    """'12 + 0' — a blank is written 'blank' so the reader sees what counted as 0."""
    return " + ".join("blank" if v is None else _fmt(v) for v in vals)


def _fmt(v) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
