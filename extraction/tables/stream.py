"""A stretch of a document -> one ordered stream of cells (tokens), grouped in rows.

Readers hand tables over in different shapes, and the table parsers should not care which:

- a grid (`doc.tables`: DOCX, HTML, PDF): a row is a grid row; a merged cell is read once, where
  it starts; a cut cell (past the printed page), and the end of each row of a clipped table
  (whose columns ran past the page), is a LOST atom: a cell that was not printed, not a blank;
- a text line split on tabs (a table pasted as text) or on pipes (Markdown): a line is a row;
- a cell-per-line text (each cell a line starting with a tab, rows separated by blank lines);
- anything else: the line is one token (a crawler text with the whole table on one line).

Each token keeps its offsets in `doc.text`, so that every value found in it can say where it is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Document
from .values import Atom, EMPTY, LOST, atoms


@dataclass
class Token:
    text: str
    start: int
    end: int
    page: int | None
    row: int
    is_cell: bool   # a real cell (grid cell, tab/pipe field, cell line), not a whole line of text
    exact: bool = False   # a grid cell printed as one cell: a number in it is whole, never split
    cut: bool = False     # a cell that was not printed (past the page's edge)


_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def tokens(doc: Document, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of the blocks that overlap [start, end), in reading order."""
    end = len(doc.text) if end is None else end
    lines = _Lines()
    for block in doc.blocks:
        if block.end <= start or block.start >= end:
            continue
        if block.table is not None:
            lines.table(block)
            continue
        # Whitespace-only lines are not blocks, but in a cell-per-line text a "\t" line is an
        # empty cell and a line with nothing on it ends a row.
        if lines.last_end is not None:
            gap_start = lines.last_end
            for line in doc.text[gap_start:block.start].split("\n")[1:-1]:
                gap_start = doc.text.index("\n", gap_start) + 1
                lines.line(line, gap_start, block.page)
        lines.line(doc.text[block.start:block.end], block.start, block.page)
        lines.last_end = block.end
    return lines.out


class _Lines:
    """Turns lines (and grids) into tokens, numbering rows as it goes."""

    def __init__(self):
        self.out: list[Token] = []
        self.row = 0
        self.in_cells = False      # the previous line was a cell line, with no blank line since
        self.last_end: int | None = None

    def table(self, block) -> None:
        table = block.table
        seen: set[int] = set()
        for grid_row in table.rows:
            self.row += 1
            last = None
            for cell in grid_row:
                if cell is None or id(cell) in seen:
                    continue
                seen.add(id(cell))
                last = Token(cell.text, cell.start, cell.end, cell.page, self.row, True,
                             table.exact_cells, cell.cut)
                self.out.append(last)
            if table.clipped and last is not None and not last.cut:  # columns lost past the edge
                self.out.append(Token("", last.end, last.end, last.page, self.row, True, True, True))
        self.in_cells = False
        self.last_end = None

    def line(self, line: str, offset: int, page) -> None:
        if not line.strip() and "\t" not in line:   # a blank line ends a row
            self.in_cells = False
            return
        cell_line = line.startswith("\t") and line.count("\t") == 1
        if not (cell_line and self.in_cells):
            self.row += 1
        self.out += _line_tokens(line, offset, page, self.row, cell_line)
        self.in_cells = cell_line


def _line_tokens(line: str, offset: int, page, row: int, cell_line: bool) -> list[Token]:
    if cell_line:  # "\t12": one cell, the tab only marks it as a cell
        return [_field(line[1:], offset + 1, page, row)]
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        if _MD_SEPARATOR.match(line):
            return []
        first = line.index("|")
        last = line.rindex("|")
        return _split(line[first + 1:last], offset + first + 1, "|", page, row)
    if "\t" in line:
        return _split(line, offset, "\t", page, row)
    return [Token(line, offset, offset + len(line), page, row, False)]


def _split(text: str, offset: int, sep: str, page, row: int) -> list[Token]:
    out = []
    pos = 0
    for part in text.split(sep):
        out.append(_field(part, offset + pos, page, row))
        pos += len(part) + 1
    return out


def _field(text: str, offset: int, page, row: int) -> Token:
    """A cell, its offsets trimmed to the text without surrounding spaces."""
    lead = len(text) - len(text.lstrip())
    core = text.strip()
    return Token(core, offset + lead, offset + lead + len(core), page, row, True)


def stream_atoms(toks: list[Token], start: int, end: int) -> list[Atom]:
    """The atoms of the tokens inside [start, end), a token cut where the span cuts it.

    An empty cell counts (it may be a blank value) only when the whole cell lies in the span.
    """
    out: list[Atom] = []
    for i, t in enumerate(toks):
        if t.end < start or t.start >= end:
            continue
        if t.cut:
            if start <= t.start <= end:
                out.append(Atom(LOST, "", t.start, t.end, t.page, t.row, i, ""))
            continue
        a, b = max(t.start, start), min(t.end, end)
        inside = t.start >= start and t.end <= end
        if a >= b or not t.text[a - t.start:b - t.start].strip():
            if t.is_cell and inside and not t.text.strip():
                out.append(Atom(EMPTY, "", t.start, t.end, t.page, t.row, i, t.text))
            continue
        found = atoms(t.text[a - t.start:b - t.start], a, t.page, t.row, i)
        if t.exact:
            for atom in found:
                atom.whole = True
        out += found
    return out
