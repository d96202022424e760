"""The document every reader produces: one text, and blocks that index into it.

A reader never hands out its own structures. It builds a `Document` through `DocumentBuilder`,
which appends each paragraph and each table cell to one text and records where it went, so that
every later stage (sections, tables, figures, checks) can say exactly where a number came from:
`doc.text[cell.start:cell.end] == cell.text`.

Tables are grids with row/column spans resolved: a merged cell stands at every grid position it
covers (the same `Cell` object), so row r of a table is always `table.rows[r]`, one entry a column.
In the text a table is written row by row, cells separated by a tab and rows by a newline; a
merged cell's text is written once, at its top-left position.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(eq=False)
class Cell:
    text: str
    start: int
    end: int
    page: int | None = None
    cut: bool = False   # the cell runs past the printed page: what it holds was not printed


@dataclass(eq=False)
class Table:
    rows: list[list[Cell]]
    start: int
    end: int
    page: int | None = None
    # Each cell is one printed cell, a number in it whole (a ruled PDF, DOCX, HTML table); a
    # converter's table (Markdown) may glue cells or rows: its digits may be split by the rules.
    exact_cells: bool = True
    clipped: bool = False   # columns ran past the page's right edge: each row may end early

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass(eq=False)
class Block:
    """A paragraph (one line of text) or a table, in reading order."""

    kind: str  # "paragraph" | "table"
    start: int
    end: int
    page: int | None = None
    table: Table | None = None


@dataclass
class Document:
    text: str
    blocks: list[Block]
    format: str = "txt"
    source: str = ""
    warnings: list[str] = field(default_factory=list)
    # Text read by OCR: (start, end, engine confidence) spans of `text` (empty for other readers).
    ocr_spans: list[tuple[int, int, float]] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [b.table for b in self.blocks if b.table is not None]

    @property
    def paragraphs(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "paragraph"]

    def block_text(self, block: Block) -> str:
        return self.text[block.start:block.end]


def clean_cell_text(text: str) -> str:
    """One line per cell in the document text: inner newlines and tabs become spaces."""
    return " ".join(text.replace("\u00a0", " ").split())


# A GB18030 four-byte character (e.g. the no-break space 81 30 84 32) decoded byte by byte, as
# LibreOffice does a GB18030 page that declares gbk: a C1 control, a digit, a high byte, a digit.
# C1 controls are never text, so the digits are not the page's: the whole is one space.
MISDECODED_GB18030 = re.compile(r"[\x81-\x9f][0-9][\x81-\xfe][0-9]")


class DocumentBuilder:
    """Appends paragraphs and tables to one text, keeping offsets (and pages) for each."""

    def __init__(self, format: str = "txt", source: str = ""):
        self.format = format
        self.source = source
        self._parts: list[str] = []
        self._length = 0
        self.blocks: list[Block] = []
        self.warnings: list[str] = []
        self._misdecoded = 0

    def _undecode(self, text: str) -> str:
        text, n = MISDECODED_GB18030.subn(" ", text)
        if n and not self._misdecoded:
            self.warn("GB18030 characters decoded byte by byte (a control character and digits, "
                      "as LibreOffice reads a GB18030 page declaring gbk) were read as spaces")
        self._misdecoded += n
        return text

    def _append(self, s: str) -> tuple[int, int]:
        start = self._length
        self._parts.append(s)
        self._length += len(s)
        return start, self._length

    def add_paragraph(self, text: str, page: int | None = None) -> Block | None:
        """Add one paragraph; inner line breaks are kept as separate paragraphs."""
        last = None
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            line = self._undecode(line).replace("\u00a0", " ").rstrip()
            if not line.strip():
                continue
            start, end = self._append(line)
            self._append("\n")
            last = Block("paragraph", start, end, page)
            self.blocks.append(last)
        return last

    def add_table(self, rows: list[list[str | None]], page: int | None = None,
                  spans: list[tuple[int, int, int, int]] | None = None,
                  pages: list[int | None] | None = None, cut: set[tuple[int, int]] = frozenset(),
                  exact_cells: bool = True, clipped: bool = False,
                  fill_short_rows: bool = True) -> Block | None:
        """Add a table given as a grid of cell texts.

        `rows[r][c]` is the text at that grid position; a position covered by a merged cell is
        None, and `spans` lists the merges as (row, col, rowspan, colspan) of their top-left cell,
        so that the merged `Cell` is repeated at every position it covers. `pages[r]` gives each
        row's page where a table runs over several pages. `cut` lists the positions of cells
        that run past the printed page; `clipped` says columns may be missing at the right.
        A row shorter than the table is filled out with empty cells, or, with `fill_short_rows`
        False (a converter's table: it wrote no cell there), its last cell runs on to the edge
        (as a merge: no empty cell is made up).
        """
        if not rows:
            return None
        n_cols = max(len(r) for r in rows)
        grid: list[list[Cell | None]] = [[None] * n_cols for _ in rows]
        span_at = {(r, c): (rs, cs) for r, c, rs, cs in (spans or [])}
        table_start = self._length
        for r, row in enumerate(rows):
            row_page = pages[r] if pages else page
            if r:
                self._append("\n")
            first, cell = True, None
            for c in range(n_cols):
                if grid[r][c] is not None:  # covered by a merge from above or the left
                    continue
                if c >= len(row) and not fill_short_rows and cell is not None:
                    grid[r][c] = cell  # the row's last cell runs on to the table's edge
                    continue
                text = row[c] if c < len(row) else ""
                if text is None:
                    text = ""
                text = clean_cell_text(self._undecode(text))
                if not first:
                    self._append("\t")
                first = False
                start, end = self._append(text)
                cell = Cell(text, start, end, row_page, (r, c) in cut)
                rs, cs = span_at.get((r, c), (1, 1))
                for rr in range(r, min(r + rs, len(rows))):
                    for cc in range(c, min(c + cs, n_cols)):
                        if grid[rr][cc] is None:
                            grid[rr][cc] = cell
        table_end = self._length
        self._append("\n")
        table = Table([[c for c in row] for row in grid], table_start, table_end, page,  # type: ignore[misc]
                      exact_cells, clipped)
        block = Block("table", table_start, table_end, page, table)
        self.blocks.append(block)
        return block

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def build(self) -> Document:
        return Document("".join(self._parts), self.blocks, self.format, self.source, self.warnings)


def document_from_text(text: str, format: str = "txt", source: str = "") -> Document:
    """A document whose text is kept as given (line ends normalised): one paragraph a line.

    Used for plain text and Markdown, where tables arrive flattened into lines and the table
    parser needs the lines exactly as they are (blank lines and tab-only lines carry meaning).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            blocks.append(Block("paragraph", pos, end))
        pos = end + 1
    return Document(text, blocks, format, source)
