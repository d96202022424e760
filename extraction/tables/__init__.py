"""Table 2, 3 and 4 of the template -> canonical keys (../shared/spec/template.md).

The chain: the document's text and tables -> one stream of cells (`stream`) -> value atoms
(`values`) -> rows found by their labels (`labels`, `table2`/`table3`/`table4`) -> readings of
each row, splitting runs or completing a lost cell where the template's rules leave one way
(`runs`). Each value keeps its raw text and offsets in `cells`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .common import INFERRED, NOT_READ, Part
from .stream import tokens
from .table2 import parse_proactive
from .table3 import parse_requests
from .table4 import parse_reviews


@dataclass
class TableResult:
    template: str | None = None          # "2021" | "2019" | None (no table 2 found)
    values: dict = field(default_factory=dict)   # key -> int | float | None
    cells: dict = field(default_factory=dict)    # key -> {"raw", "page", "start", "end", ["inferred"]}
    warnings: list = field(default_factory=list)
    readings: dict = field(default_factory=dict)  # row key -> ambiguous row's readings (common.readings_of)


def extract_tables(doc, sections) -> TableResult:
    result = TableResult()
    toks = tokens(doc)
    spans = table_spans(doc, sections)
    parts = [
        parse_proactive(doc, toks, *spans[2]),
        parse_requests(doc, toks, *spans[3]),
        parse_reviews(doc, toks, *spans[4], in_section=any(s.number == 4 for s in sections)),
    ]
    if doc.format in GRID_FORMATS:
        grids = [(b.start, b.end) for b in doc.blocks if b.table is not None]
        for part, n in zip(parts, (2, 3, 4)):
            unread_inferred_rows(part, n, grids)
    result.template = parts[0].template
    for part in parts:
        if not part.found:
            continue
        result.values.update(part.values)
        result.cells.update(part.cells)
        result.warnings += part.warnings
        result.readings.update(part.readings)
    return result


def table_spans(doc, sections) -> dict[int, tuple[int, int]]:
    """Where to look for the tables of sections 二, 三 and 四.

    A section's own span where its heading was found; otherwise from the start of the nearest
    section before it to the start of the nearest section after it.
    """
    by_number = {s.number: s for s in sections}
    spans = {}
    for n in (2, 3, 4):
        if n in by_number:
            spans[n] = (by_number[n].start, by_number[n].end)
            continue
        before = [s for s in sections if s.number < n]
        after = [s for s in sections if s.number > n]
        start = max((s.start for s in before), default=0)
        end = min((s.heading_start for s in after if s.heading_start > start), default=len(doc.text))
        spans[n] = (start, end)
    return spans


# Formats that print a table as a grid: there, table text read as plain lines lost its grid.
GRID_FORMATS = ("docx", "doc", "wps", "pdf")


def unread_inferred_rows(part: Part, table: int, grids: list[tuple[int, int]]) -> None:
    """In a Word document or PDF, a row inferred from cells outside any table grid becomes not
    read (nulls, warned). Its table came out as one paragraph per cell (LibreOffice saving some
    DOCX as DOC does this, and prints that DOC without rules; a PDF table without rules whose
    cells could not be rebuilt reads as lines): an empty cell is then no paragraph at all, so
    where a cell was lost is unknown, and the inference may have put a value in its place or
    split one number."""
    def outside(cell: dict) -> bool:
        return cell.get("start") is not None and not any(a <= cell["start"] < b for a, b in grids)

    rows = {key.rsplit(".", 1)[0] for key, cell in part.cells.items()
            if cell.get("status") == INFERRED and outside(cell)}
    for row in sorted(rows):
        for key, cell in part.cells.items():
            if key.rsplit(".", 1)[0] == row:
                part.values[key] = None
                cell.pop("inferred", None)
                cell["status"] = NOT_READ
        part.warnings.append(f"table {table}: row {row} not read: the table has no grid (one "
                             "paragraph per cell), so where a lost empty cell stood is unknown")
