"""Narrative figures against the template tables, where the meaning is exactly the same.

- requests_received  <->  requests.new.total
- review_cases       <->  review.total
- litigation_cases   <->  litigation.direct.total + litigation.after_review.total

Only exact (non-approximate) figures are compared. A plain statement that there were none
("本年度未收到依申请公开事项", "未发生…行政复议") counts as an exact 0: a report whose text says
it received no requests while its table says 51 must fail. Each comparison is a check with both
sides; nothing is changed to make it pass.
"""
from __future__ import annotations

import re

TABLE_KEYS = {
    "requests_received": ("requests.new.total",),
    "review_cases": ("review.total",),
    "litigation_cases": ("litigation.direct.total", "litigation.after_review.total"),
}
_NONE = r"(?:未|没有|无|均未|尚未|暂无|不存在)"
ZERO_STATEMENTS = {
    "requests_received": re.compile(_NONE + r"(?:收到|受理|接到|接收|发生|产生)?[^。；，,;\n]{0,16}?"
                                     r"(?:依申请公开|信息公开申请|公开申请|申请公开)"),
    "review_cases": re.compile(_NONE + r"(?:发生|收到|产生|出现)?[^。；，,;\n]{0,24}?行政复议"),
    "litigation_cases": re.compile(_NONE + r"(?:发生|收到|产生|出现)?[^。；，,;\n]{0,24}?行政诉讼"),
}


def zero_statements(text: str, regions: list[tuple[int, int]] | None = None) -> list[dict]:
    """Statements that a count was zero, as {"field", "value": 0, "start", "end", "text"}."""
    regions = regions if regions is not None else [(0, len(text))]
    out = []
    for field, rx in ZERO_STATEMENTS.items():
        for a, b in regions:
            for m in rx.finditer(text, a, b):
                out.append({"field": field, "value": 0, "approx": False, "start": m.start(),
                            "end": m.end(), "qty": m.group()})
    return out


def narrative_vs_table(figures: list[dict], values: dict, text: str | None = None,
                       regions: list[tuple[int, int]] | None = None) -> list[dict]:
    """One check per field of TABLE_KEYS that both the narrative and the table give."""
    stated = [f for f in figures if f.get("field") in TABLE_KEYS and not f.get("approx")]
    if text is not None:
        stated += zero_statements(text, regions)
    checks = []
    for field, keys in TABLE_KEYS.items():
        mine = sorted((f for f in stated if f["field"] == field), key=lambda f: f["start"])
        table = [values.get(k) for k in keys]
        if not mine or any(v is None for v in table):
            continue
        right = sum(table)
        first = mine[0]
        left = first["value"]
        others = sorted({f["value"] for f in mine} - {left})
        detail = (f"narrative {first.get('qty')!r} at {first['start']}-{first['end']} says {left}; "
                  f"table {' + '.join(keys)} = {right}")
        if others:
            detail += f"; the narrative also gives {others}"
        checks.append({"rule": "narrative_vs_table", "key": field, "ok": left == right,
                       "left": left, "right": right, "detail": detail,
                       "start": first["start"], "end": first["end"], "table_keys": list(keys)})
    return checks


def crosscheck(figures: list[dict], values: dict, text: str | None = None,
               regions: list[tuple[int, int]] | None = None) -> list[dict]:
    """The narrative-vs-table checks; pass the document text (and its narrative regions) so
    that statements of none ("未收到…申请") are compared too."""
    return narrative_vs_table(figures, values, text, regions)
