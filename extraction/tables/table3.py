"""Table 3 (收到和处理政府信息公开申请情况) -> `requests.*` keys.

Row labels are found in template order; a row's values are the value atoms between its label and
the next label found. The （六） row is either three sub-rows (2021) or one row (older format,
values under `requests.other.total`). Rows printed run together or with a lost cell are read by
`runs.read_row`; where one row allows several readings, the column rules (rules 1 and 3) choose,
and only a single best choice is kept.

When the labels are not where their values are (a PDF conversion that moves labels out of their
rows), but the table still has exactly one value row per template row, the value rows are taken
in template order, with a warning.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from ..document import Document
from ..template import (OTHER_SINGLE, OTHER_SUBROWS, REQUEST_COLUMNS,
                        REQUEST_ROWS, positions, request_rows, rules)
from .common import Part, describe, put, put_unread, until_text
from .labels import REQUEST_HEADER_ANCHORS, REQUEST_HEADER_WORDS, REQUEST_LABELS, find_label, header_spans
from .runs import Reading, RowReadings, holds, read_row, value_atoms
from .stream import Token, stream_atoms

N = len(REQUEST_COLUMNS)
# Rule 2 in a row's positions: total == sum of the six applicant columns.
ROW_RULE = [positions([f"requests.new.{c}" for c in REQUEST_COLUMNS],
                      next(r for r in rules() if r.key == "requests.new.*"))]
# Rules 1 and 3 (the column rules) of each （六） variant, as (row, column) cells per side.
COLUMN_RULES = {single: [[[(k.rpartition(".")[0], REQUEST_COLUMNS.index(k.rpartition(".")[2])) for k in side]
                          for side in (r.left, r.right)]
                         for r in rules(single) if r.rule in ("balance", "outcome_sum")]
                for single in (False, True)}


@dataclass
class RequestSettings:
    max_joint: int = 4096    # most combinations of ambiguous rows tried against the column rules


def parse_requests(doc: Document, toks: list[Token], start: int, end: int,
                   settings: RequestSettings | None = None) -> Part:
    settings = settings or RequestSettings()
    part = Part()
    text = doc.text
    first = find_label(text, ("本年新收政府信息公开申请数量",) + REQUEST_LABELS["requests.new"], start, end)
    if first is None:
        return part
    part.found = True
    masked = header_spans(text, start, end, REQUEST_HEADER_ANCHORS, REQUEST_HEADER_WORDS)
    labels, single = _find_labels(text, first[0], end, masked)
    rows = request_rows(single)
    readings: dict[str, RowReadings] = {}
    row_atoms: dict[str, list] = {}
    printed: dict[str, int] = {}   # values printed from a row's label to the next label
    found = [k for k in rows if k in labels]
    for i, key in enumerate(found):
        a = labels[key][0]   # from the label's start: its text is dropped, a split label may hold values
        b = labels[found[i + 1]][0] if i + 1 < len(found) else end
        atoms = stream_atoms(toks, a, b)
        if i + 1 == len(found):
            atoms = until_text(atoms)
        row_atoms[key] = value_atoms(atoms, N)
        printed[key] = sum(1 for a in atoms if a.is_value)
        readings[key] = read_row(row_atoms[key], N, ROW_RULE)
        unlabelled = rows[rows.index(key) + 1:rows.index(found[i + 1]) if i + 1 < len(found) else len(rows)]
        if unlabelled and readings[key].unique is None:
            _rows_without_labels(key, unlabelled, atoms, readings, row_atoms, part)
    missing = [k for k in rows if k not in labels]

    if missing or any(r.unique is None for r in readings.values()):
        fallback = _rows_in_order(toks, first[0], _row_end(toks, labels, rows, end), len(rows))
        if fallback is None and found and printed[found[-1]] > N:
            # The labels printed as one block, the value rows after the last one.
            fallback = _rows_in_order(toks, first[0], end, len(rows))
        if fallback is not None:
            part.warnings.append(
                "table 3: row labels are not beside their values (" + _summary(missing, readings)
                + "); the table's value rows were read in template order")
            readings = dict(zip(rows, fallback))
            row_atoms = {}
    _choose_by_column_rules(readings, rows, part, settings)
    for key in rows:
        keys = [f"{key}.{c}" for c in REQUEST_COLUMNS]
        r = readings.get(key)
        if r is None:
            put(part, keys, None)
            part.warnings.append(f"table 3: row {key} not found")
        elif r.unique is None:
            put_unread(part, keys, row_atoms.get(key, []), doc.text)
            detail = f": {describe(r)}" if r.readings else ""
            part.warnings.append(f"table 3: row {key} left blank, {r.problem}{detail}")
        else:
            put(part, keys, r.unique.pieces)
    return part


def _find_labels(text: str, start: int, end: int, masked) -> tuple[dict, bool]:
    """Row key -> (start, end) of its label, searched in template order; and whether （六）
    is a single row."""
    labels: dict[str, tuple[int, int]] = {}
    pos = start
    i_other = REQUEST_ROWS.index(OTHER_SUBROWS[0])
    for key in REQUEST_ROWS[:i_other]:
        pos = _take(labels, key, text, pos, end, masked)
    before_other = pos
    total_at = find_label(text, REQUEST_LABELS["requests.total"], pos, end, masked)
    limit = total_at[0] if total_at else end
    single = find_label(text, REQUEST_LABELS[OTHER_SUBROWS[0]], pos, limit, masked) is None
    if single:
        pos = _take(labels, OTHER_SINGLE, text, pos, limit, masked)
    else:
        for key in OTHER_SUBROWS:
            pos = _take(labels, key, text, pos, limit, masked)
    pos = max(pos, before_other)
    for key in ("requests.total", "requests.carried_forward"):
        pos = _take(labels, key, text, pos, end, masked)
    return labels, single


def _take(labels: dict, key: str, text: str, pos: int, end: int, masked) -> int:
    hit = find_label(text, REQUEST_LABELS[key], pos, end, masked)
    if hit is None:
        return pos
    labels[key] = hit
    return hit[1]


def _row_end(toks: list[Token], labels: dict, rows, end: int) -> int:
    """The end of the row that holds the last label (the table's last row), else `end`."""
    last = labels.get(rows[-1])
    if last is None:
        return end
    row = next((t.row for t in toks if t.start <= last[0] < t.end + 1), None)
    ends = [t.end for t in toks if t.row == row]
    return max(ends) + 1 if ends else end


def _rows_without_labels(key: str, unlabelled: list[str], atoms, readings: dict, row_atoms: dict,
                         part: Part) -> None:
    """A row followed by rows whose labels were lost (a converter dropped them): when the
    values after the label are exactly those of all these rows, whole and each fitting the row
    rule, they are read in template order (marked inferred, with a warning)."""
    keys = [key, *unlabelled]
    vals = value_atoms(atoms, N * len(keys), grid_rows=len(keys))
    if len(vals) != N * len(keys):
        return
    found = [read_row(vals[j * N:(j + 1) * N], N, ROW_RULE) for j in range(len(keys))]
    if any(r.unique is None or r.unique.how != "printed" or not holds(r.unique.values, ROW_RULE)
           for r in found):
        return
    for k, r in zip(keys, found):
        for p in r.unique.pieces:
            p.inferred = True
        readings[k], row_atoms[k] = r, []
    part.warnings.append(f"table 3: {len(unlabelled)} row label(s) after {key} not found "
                         f"({', '.join(unlabelled)}); their values, printed after {key}'s, were "
                         "read in template order")


def _rows_in_order(toks: list[Token], start: int, end: int, n_rows: int) -> list[RowReadings] | None:
    """The table's value rows, if there are exactly as many as the template has rows."""
    atoms = stream_atoms(toks, start, end)
    by_row: dict[int, list] = {}
    for a in atoms:
        by_row.setdefault(a.row, []).append(a)
    found = []
    for row_atoms in by_row.values():
        vals = value_atoms(row_atoms, N)
        # A row of empty cells is the second line of a split label, not a row of blanks.
        if len(vals) == N and any(a.is_value for a in vals):
            found.append(read_row(vals, N, ROW_RULE))
    if not found:  # one value a line, no row breaks: rows of N in order, each fitting the row rule
        values = [a for a in until_text(atoms) if a.is_value]
        if len(values) == n_rows * N:
            found = [read_row(values[i:i + N], N, ROW_RULE) for i in range(0, len(values), N)]
            if not all(r.unique and holds(r.unique.values, ROW_RULE) for r in found):
                return None
    if len(found) != n_rows or any(r.unique is None for r in found):
        return None
    for r in found:
        for p in r.unique.pieces:
            p.inferred = True
    return found


def _summary(missing, readings) -> str:
    bad = [k for k, r in readings.items() if r.unique is None]
    parts = []
    if missing:
        parts.append(f"{len(missing)} labels not found")
    if bad:
        parts.append(f"{len(bad)} rows unreadable beside their labels")
    return ", ".join(parts)


def _choose_by_column_rules(readings: dict[str, RowReadings], rows, part: Part,
                            settings: RequestSettings) -> None:
    """Rows with several readings: keep the combination that satisfies most column rules,
    if exactly one does best."""
    open_rows = [k for k in rows if k in readings and len(readings[k].readings) > 1]
    if not open_rows:
        return
    n_combos = 1
    for k in open_rows:
        n_combos *= len(readings[k].readings)
    if n_combos > settings.max_joint:
        return
    scores = []
    for combo in product(*(readings[k].readings for k in open_rows)):
        chosen = {k: readings[k].unique for k in rows if k in readings and readings[k].unique}
        chosen.update(dict(zip(open_rows, combo)))
        scores.append((_column_score(chosen, rows), combo))
    best = max(s for s, _ in scores)
    winners = [c for s, c in scores if s == best]
    if len(winners) != 1:
        return
    for key, reading in zip(open_rows, winners[0]):
        readings[key] = RowReadings([reading])
        part.warnings.append(
            f"table 3: row {key} printed ambiguously; the reading "
            f"{'/'.join(str(v) for v in reading.values)} is the only one that best fits the column rules")


def _column_score(chosen: dict[str, Reading], rows) -> int:
    """How many column equations (rules 1 and 3) hold, over the columns all rows can give."""
    def cell(row, c):
        r = chosen.get(row)
        return None if r is None else (r.values[c] or 0)
    score = 0
    for left, right in COLUMN_RULES[OTHER_SINGLE in rows]:
        sides = [[cell(*k) for k in left], [cell(*k) for k in right]]
        if None not in sides[0] + sides[1] and sum(sides[0]) == sum(sides[1]):
            score += 1
    return score
