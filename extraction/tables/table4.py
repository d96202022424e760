"""Table 4 (行政复议、行政诉讼情况) -> `review.*` and `litigation.*`: 15 values in print order.

The values follow the header (行政复议 / 行政诉讼, 结果维持 … 总计, possibly broken into single
characters). They are the first value atoms after the header, up to the first text. A run of
digits is split by the group rule (total = upheld + corrected + other + pending, three times).
"""
from __future__ import annotations

from ..document import Document
from ..template import positions, rules, table4_keys
from .common import Part, describe, put, put_unread
from .labels import REVIEW_ANCHORS, find_label
from .runs import read_row, value_atoms
from .stream import Token, stream_atoms
from .values import LOST, TEXT

STRICT_ANCHORS = ("结果维持", "果维持")   # outside section 四: the column header itself
N = 15
GROUP_RULES = [positions(table4_keys(), r) for r in rules() if r.rule == "review_total"]  # rule 4


def parse_reviews(doc: Document, toks: list[Token], start: int, end: int,
                  in_section: bool = True) -> Part:
    """`in_section`: the span is section 四 itself; outside it only a full header counts."""
    part = Part()
    anchor = find_label(doc.text, REVIEW_ANCHORS if in_section else STRICT_ANCHORS, start, end)
    if anchor is None:
        return part
    atoms = stream_atoms(toks, anchor[0], end)
    values = []
    for a in atoms:
        if a.kind == TEXT:  # header words before the values; any text after them ends the table
            if any(v.is_value for v in values):
                break
            continue
        values.append(a)   # empty cells too: the first or last cell of the row may be a blank
    if not any(v.is_value or v.kind == LOST for v in values):  # (cells not printed: found, unread)
        return part
    part.found = True
    values = value_atoms(values, N)
    readings = read_row(values, N, GROUP_RULES)
    if readings.unique is None:
        put_unread(part, table4_keys(), values, doc.text)
        detail = f": {describe(readings)}" if readings.readings else ""
        part.warnings.append(f"table 4: left blank, {readings.problem}{detail}")
    else:
        put(part, table4_keys(), readings.unique.pieces)
    return part
