"""Table 2 (主动公开政府信息情况) -> `proactive.*` keys, in the 2021 or the 2019 format.

The format is told by the column headers (本年制发件数 … or 本年新制作数量 / 上一年项目数量 …).
Row labels are found anywhere after the table's first header, in any order (a Markdown
conversion may print the 规章 rows last); a row's values follow its label up to the next label
or the first text after them. Table 2 has no rule tying its values together, so a run of digits
that splits more than one way is left blank, with a warning listing the readings.
"""
from __future__ import annotations

from ..document import Document
from ..template import PROACTIVE_2019, PROACTIVE_2021
from .common import Part, describe, put, put_unread, until_text
from .labels import PROACTIVE_2019_MARKS, PROACTIVE_2021_MARKS, PROACTIVE_LABELS, find_label
from .runs import read_row, value_atoms
from .stream import Token, stream_atoms


def parse_proactive(doc: Document, toks: list[Token], start: int, end: int) -> Part:
    part = Part()
    text = doc.text
    anchor = find_label(text, ("第二十条", "信息内容"), start, end)
    if anchor is not None:
        start = anchor[0]
    template = _template(text, start, end)
    rows = PROACTIVE_2021 if template == "2021" else PROACTIVE_2019
    labels = {}
    for key in rows:
        hit = find_label(text, PROACTIVE_LABELS[key], start, end)
        if hit is not None:
            labels[key] = hit
    if not labels:
        return part
    if template is None:
        template = "2021"
    part.found, part.template = True, template
    # Regions run from a label to the next label in print order, whatever the row order.
    order = sorted(labels, key=lambda k: labels[k][0])
    for i, key in enumerate(order):
        a = labels[key][1]
        b = labels[order[i + 1]][0] if i + 1 < len(order) else end
        n = len(rows[key])
        atoms = value_atoms(until_text(stream_atoms(toks, a, b)), n)
        readings = read_row(atoms, n, [])
        keys = [f"{key}.{c}" for c in rows[key]]
        if readings.unique is None:
            put_unread(part, keys, atoms)
            detail = f": {describe(readings)}" if readings.readings else ""
            part.warnings.append(f"table 2: row {key} left blank, {readings.problem}{detail}")
        else:
            put(part, keys, readings.unique.pieces)
    for key in rows:
        if key not in labels:
            put(part, [f"{key}.{c}" for c in rows[key]], None)
            part.warnings.append(f"table 2: row {key} not found")
    return part


def _template(text: str, start: int, end: int) -> str | None:
    if find_label(text, PROACTIVE_2019_MARKS, start, end) is not None:
        return "2019"
    if find_label(text, PROACTIVE_2021_MARKS, start, end) is not None:
        return "2021"
    return None
