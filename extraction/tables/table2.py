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
from .common import Part, describe, put, put_unread, readings_of, until_text
from .labels import PROACTIVE_2019_MARKS, PROACTIVE_2021_MARKS, PROACTIVE_LABELS, find_label
from .runs import read_row, value_atoms
from .stream import Token, stream_atoms


def parse_proactive(doc: Document, toks: list[Token], start: int, end: int) -> Part:
    part = Part()
    text = doc.text
    # No header, no table: a "规章" in the narrative is not a row.
    anchor = find_label(text, ("信息内容",) + PROACTIVE_2021_MARKS + PROACTIVE_2019_MARKS, start, end)
    if anchor is None:
        return part
    start = anchor[0]
    labels = {}
    for key in PROACTIVE_LABELS:
        hit = find_label(text, PROACTIVE_LABELS[key], start, end)
        if hit is not None:
            labels[key] = hit
    if not labels:
        return part
    table_format = _format(text, start, end) or "2021"
    formats = {key: _row_format(text, key, labels[key][0], start) or table_format for key in labels}
    template = "2019" if "2019" in formats.values() else "2021"
    part.found, part.template = True, template
    if len(set(formats.values())) > 1:
        part.warnings.append("table 2: headers mix the 2019 and 2021 formats; each row is read "
                             "with the columns its own header names")
    # Regions run from a label to the next label in print order, whatever the row order.
    order = sorted(labels, key=lambda k: labels[k][0])
    for i, key in enumerate(order):
        columns = (PROACTIVE_2019 if formats[key] == "2019" else PROACTIVE_2021)[key]
        a = labels[key][0]   # from the label's start: its text is dropped, a split label may hold values
        b = labels[order[i + 1]][0] if i + 1 < len(order) else end
        n = len(columns)
        atoms = value_atoms(until_text(stream_atoms(toks, a, b)), n, blanks_first_at_start=True)
        readings = read_row(atoms, n, [])
        keys = [f"{key}.{c}" for c in columns]
        if readings.unique is None:
            put_unread(part, keys, atoms, doc.text)
            detail = ""
            if readings.readings:
                readings.readings.sort(key=lambda r: (implausible(dict(zip(columns, r.values))),
                                                      longest(r.values)))
                detail = f", likeliest first: {describe(readings)}"
                part.readings[key] = readings_of(keys, readings, RANKED_BY)
            part.warnings.append(f"table 2: row {key} left blank, {readings.problem}{detail}")
        else:
            put(part, keys, readings.unique.pieces)
    rows = PROACTIVE_2019 if template == "2019" else PROACTIVE_2021
    for key in rows:
        if key not in labels:
            put(part, [f"{key}.{c}" for c in rows[key]], None)
            part.warnings.append(f"table 2: row {key} not found")
    return part


RANKED_BY = "plausibility, digits"  # implausible(), then longest()


def implausible(row: dict) -> int:
    """How many usual relations a reading of a table-2 row breaks (0 first when ranking): the
    documents in force include at least this year's; fewer are repealed than issued; in the 2019
    format, no more published than made public in total. A ranking only: nothing is filled."""
    def v(name):
        return row.get(name) or 0
    broken = 0
    if "in_force" in row:
        broken += (v("in_force") < v("issued")) + (v("in_force") < v("repealed")) + (v("repealed") > v("issued"))
    if "total_published" in row:
        broken += (v("total_published") < v("new_published")) + (v("new_published") > v("new_made"))
    return broken


def longest(values) -> int:
    """Digits of a reading's longest count: a run is likelier cut into numbers of like length
    (88/55/698) than into a few digits and one long number (8/8/55698)."""
    return max((len(str(abs(int(v)))) for v in values if v is not None), default=0)


# Column headers of one format (their first match decides a row's columns).
_COLUMNS_2019 = ("本年新制作", "本年新公开", "对外公开总数量", "上一年项目", "本年增", "采购项目")
_COLUMNS_2021 = ("本年制发", "本年废止", "现行有效", "处理决定数量", "收费金额")
_ONLY_2019 = ("proactive.other_services", "proactive.procurement")


def _row_format(text: str, key: str, label_start: int, table_start: int) -> str | None:
    """The format named by the header just above a row (from its last "信息内容")."""
    header_at = text.rfind("信息内容", table_start, label_start)
    if header_at < 0:
        return "2019" if key in _ONLY_2019 else None
    if find_label(text, _COLUMNS_2019, header_at, label_start) is not None:
        return "2019"
    if find_label(text, _COLUMNS_2021, header_at, label_start) is not None:
        return "2021"
    return "2019" if key in _ONLY_2019 else None


def _format(text: str, start: int, end: int) -> str | None:
    """The format the whole table's headers name."""
    if find_label(text, PROACTIVE_2019_MARKS, start, end) is not None:
        return "2019"
    if find_label(text, PROACTIVE_2021_MARKS, start, end) is not None:
        return "2021"
    return None
