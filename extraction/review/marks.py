"""The report text as HTML, with the record's spans marked: QTY and ITEM figures, table cells.

Spans may overlap (a cell inside a figure's item, two figures sharing one ITEM), so the text is
cut at every span boundary and each piece is wrapped once, carrying the ids of every span that
covers it (`data-ids="q3 i1"`); the page's script finds a span's pieces with `[data-ids~=id]`.
Offsets are checked against the text: a span outside it is dropped, a span whose text differs
from what the record says is still marked but listed as a problem (exact or flagged).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from ..record import Record


@dataclass
class Mark:
    start: int
    end: int
    id: str        # "q<n>" a figure's QTY, "i<n>" an ITEM, "c<n>" a table cell
    kind: str      # "qty" | "item" | "cell"
    title: str     # the hover text
    extra: str = ""  # more CSS classes (e.g. "fail")


@dataclass
class MarkedText:
    html: str
    qty_item: dict[str, str] = field(default_factory=dict)       # "q3" -> "i1"
    item_qtys: dict[str, list[str]] = field(default_factory=dict)  # "i1" -> ["q3", "q4"]
    cell_ids: dict[str, str] = field(default_factory=dict)       # value key -> "c<n>"
    problems: list[str] = field(default_factory=list)
    mark_ids: set[str] = field(default_factory=set)              # every id marked in the text


def figure_marks(figures: list[dict], text: str, problems: list[str]) -> tuple[list[Mark], dict, dict]:
    """Marks for each figure's QTY and (shared, deduplicated) ITEM, and the links between them."""
    marks: list[Mark] = []
    qty_item: dict[str, str] = {}
    item_qtys: dict[str, list[str]] = {}
    item_ids: dict[tuple[int, int], str] = {}
    for n, fig in enumerate(figures):
        q = f"q{n}"
        if _valid(fig.start, fig.end, text, f"figure {n} ({fig.qty!r})", problems):
            _compare(text, fig.start, fig.end, fig.qty, f"figure {n} QTY", problems)
            marks.append(Mark(fig.start, fig.end, q, "qty", qty_title(fig)))
        s, e = fig.item_start, fig.item_end
        if s is None and e is None:
            continue  # a QTY with no named item links to nothing
        if not _valid(s, e, text, f"figure {n} ITEM ({fig.item!r})", problems):
            continue
        if (s, e) not in item_ids:
            i = item_ids[(s, e)] = f"i{len(item_ids)}"
            _compare(text, s, e, fig.item, f"figure {n} ITEM", problems)
            marks.append(Mark(s, e, i, "item", f"ITEM {fig.item or text[s:e]}"))
        qty_item[q] = item_ids[(s, e)]
        item_qtys.setdefault(item_ids[(s, e)], []).append(q)
    return marks, qty_item, item_qtys


def cell_marks(cells: dict, values: dict, text: str, failed_keys: set[str],
               problems: list[str]) -> tuple[list[Mark], dict[str, str]]:
    marks: list[Mark] = []
    ids: dict[str, str] = {}
    for n, (key, cell) in enumerate(sorted(cells.items())):
        s, e = cell.start, cell.end
        if s is None and e is None:
            continue  # a value with no place in the text (e.g. only a page) is shown but not linked
        if not _valid(s, e, text, f"cell {key}", problems, empty_ok=True):
            continue
        raw = cell.raw
        if raw and text[s:e] != raw and not cell.inferred:
            problems.append(f"cell {key}: record says raw {raw!r}, text[{s}:{e}] is {text[s:e]!r}")
        ids[key] = f"c{n}"
        title = f"cell {key} = {_show(values.get(key))} (raw {raw!r})"
        if cell.inferred:
            title += " · inferred"
        marks.append(Mark(s, e, f"c{n}", "cell", title, "fail" if key in failed_keys else ""))
    return marks, ids


def qty_title(fig: dict) -> str:
    approx = " (approx)" if fig.approx else ""
    score = fig.score
    score = f"{score:.2f}" if isinstance(score, (int, float)) else "–"
    sure = fig.field_score  # the field classifier's probability of its decision, where it decided
    sure = f" (field score {sure:.2f})" if isinstance(sure, (int, float)) else ""
    return (f"QTY {fig.qty or ''} → value {_show(fig.value)} {fig.unit or ''}"
            f"{approx} · field {fig.field or '–'}{sure} · score {score} · by {fig.by or '–'}"
            f" · item {fig.item or '–'}")


def render_marked(text: str, marks: list[Mark]) -> str:
    """`text` as escaped HTML, each piece covered by marks wrapped in one <span>.

    An empty mark (a blank table cell, start == end) becomes an empty <span> at its place, so a
    click on the blank can still find it.
    """
    spans = sorted((m for m in marks if m.start < m.end), key=lambda m: (m.start, m.end))
    anchors: dict[int, list[Mark]] = {}
    for m in marks:
        if m.start == m.end:
            anchors.setdefault(m.start, []).append(m)
    cuts = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    out: list[str] = []
    open_marks: list[Mark] = []
    i = 0
    for a, b in zip(cuts, cuts[1:]):
        out += [_span("", [m], "empty") for m in anchors.get(a, [])]
        while i < len(spans) and spans[i].start <= a:
            open_marks.append(spans[i])
            i += 1
        open_marks = [m for m in open_marks if m.end > a]
        covering = [m for m in open_marks if m.start <= a and m.end >= b]
        out.append(_span(text[a:b], covering) if covering else escape(text[a:b]))
    out += [_span("", [m], "empty") for m in anchors.get(len(text), [])]
    return "".join(out)


def _span(piece: str, covering: list[Mark], extra: str = "") -> str:
    classes = {"m"} | {m.kind for m in covering} | {c for m in covering for c in m.extra.split()}
    classes |= set(extra.split())
    ids = " ".join(m.id for m in covering)
    title = "\n".join(m.title for m in covering)
    return (f'<span class="{" ".join(sorted(classes))}" data-ids="{ids}" '
            f'title="{escape(title)}">{escape(piece)}</span>')


def mark_text(text: str, record: Record, failed_keys: set[str]) -> MarkedText:
    problems: list[str] = []
    fmarks, qty_item, item_qtys = figure_marks(record.figures or [], text, problems)
    cmarks, cell_ids = cell_marks(record.cells or {}, record.values or {}, text,
                                  failed_keys, problems)
    html = render_marked(text, fmarks + cmarks)
    ids = {m.id for m in fmarks + cmarks}
    return MarkedText(html, qty_item, item_qtys, cell_ids, problems, ids)


def _valid(start, end, text: str, what: str, problems: list[str], empty_ok: bool = False) -> bool:
    """True when start/end are a span of the text (an empty one only for a blank table cell)."""
    if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text) and \
            (start < end or empty_ok):
        return True
    problems.append(f"{what}: offsets {start}–{end} are not a span of the text "
                    f"({len(text)} characters); not marked")
    return False


def _compare(text: str, start: int, end: int, expected, what: str, problems: list[str]) -> None:
    if expected and text[start:end] != expected:
        problems.append(f"{what}: record says {expected!r}, text[{start}:{end}] is {text[start:end]!r}")


def _show(v) -> str:
    return "blank" if v is None else str(v)
