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
# "未收到…申请" / "无依申请公开": a statement of none. Not "无法提供…申请" (an outcome).
_NEG = r"(?:未|没有|均未|尚未)"
_NONE = r"(?:无(?!法)|暂无|没有)"
_GAP = r"[^。；，,;\n]{0,16}?"
# "未发生因政府信息公开申请引起的行政复议" speaks of reviews, not of requests.
_NOT_A_CAUSE = r"(?![^。；，,;\n]{0,6}(?:引起|引发|导致|提起)|的?(?:行政)?(?:复议|诉讼))"
# "未发生…行政复议被纠错" says none was lost, not that there was none.
_NOT_QUALIFIED = r"(?![^。；，,;\n]{0,4}(?:被纠错|纠错|败诉|被撤销|被确认违法))"
ZERO_STATEMENTS = {
    "requests_received": re.compile(
        r"(?:" + _NEG + r"(?:收到|受理|接到|接收|有)" + _GAP + r"(?:依申请公开|信息公开申请|公开申请|申请公开)"
        r"|" + _NONE + r"(?:依申请公开|政府信息公开申请|信息公开申请))" + _NOT_A_CAUSE),
    "review_cases": re.compile(
        r"(?:" + _NEG + r"(?:发生|收到|产生|出现|有|涉及)" + _GAP + r"行政复议|" + _NONE + _GAP + r"行政复议)"
        + _NOT_QUALIFIED),
    "litigation_cases": re.compile(
        r"(?:" + _NEG + r"(?:发生|收到|产生|出现|有|涉及)" + _GAP + r"行政诉讼|" + _NONE + _GAP + r"行政诉讼)"
        + _NOT_QUALIFIED),
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
