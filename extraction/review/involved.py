"""Which value keys a check is about, so a failed check can be marked on its cells.

A check names its rule and a key pattern (spec/output.md, extraction/checks.py); the cells it
adds up follow from the rule. A check may also list its keys itself (`"keys": [...]`).
"""
from __future__ import annotations

import re

from ..checks import uses_single_other_row
from ..record import Check
from ..template import (APPLICANT_COLUMNS, OTHER_SINGLE, OTHER_SUBROWS, OUTCOME_ROWS,
                        REVIEW_COLUMNS)


def check_keys(check: Check, values: dict) -> list[str]:
    """The value keys on either side of `check`, in print order."""
    listed = check.extra.get("keys")
    if isinstance(listed, list):
        return [k for k in listed if isinstance(k, str)]
    rule, key = check.rule, check.key or ""
    if rule == "balance" and key.startswith("requests.*."):
        col = key.rsplit(".", 1)[1]
        return [f"requests.{r}.{col}" for r in ("new", "carried_over", "total", "carried_forward")]
    if rule == "row_total" and key.endswith(".*"):
        row = key[:-2]
        return [f"{row}.{c}" for c in APPLICANT_COLUMNS + ("total",)]
    if rule == "outcome_sum" and key.startswith("requests.total."):
        col = key.rsplit(".", 1)[1]
        rows = [r for r in OUTCOME_ROWS if r not in OTHER_SUBROWS]
        rows += [OTHER_SINGLE] if uses_single_other_row(values) else list(OTHER_SUBROWS)
        return [key] + [f"{r}.{col}" for r in rows]
    if rule == "review_total" and key.endswith(".*"):
        return [f"{key[:-2]}.{c}" for c in REVIEW_COLUMNS]
    if key in values:
        return [key]
    if "*" in key:  # an unknown rule with a pattern: '*' stands for one or more key segments
        pattern = re.compile(re.escape(key).replace(r"\*", r"[^.]+(?:\.[^.]+)*") + "$")
        return [k for k in values if pattern.match(k)]
    return []


def failed_cells(checks: list[Check], values: dict) -> dict[str, list[int]]:
    """value key -> indices (into `checks`) of the failed checks that involve it."""
    out: dict[str, list[int]] = {}
    for n, check in enumerate(checks):
        if check.ok is False:
            for key in check_keys(check, values):
                out.setdefault(key, []).append(n)
    return out

