"""PDF tables printed without rules: cells rebuilt from the order the text was drawn in.

An office suite prints a table whose borders were lost (a web page styling them by CSS, a DOC
that lost its table) as text only. Read as lines, such a table mixes its cells up: a label
wrapped over three lines puts its second line between two rows, an empty cell leaves no trace,
and a number wrapped in a narrow column ("2" over "6") becomes two numbers on two lines.

What the print still tells: office suites (and reportlab) draw a table cell by cell, row by row,
each cell's lines one after the other. So, in drawing order:

1. `pieces`: runs of characters on one line with no wide gap;
2. `cells`: a piece continues the cell before it when it is drawn right after it, on the next
   line, in the same column. A number continues a number only at the pitch of the page's wrapped
   text lines (the geometry proves it is one cell's number, "2" over "6" is 26); a number below
   a number, drawn next, at another distance (or on a page with no wrapped text to measure the
   pitch on) is `doubtful`: one wrapped number or two cells, its cell is not read;
3. `rows`: a cell drawn left of the one before starts a new row;
4. a table: two or more consecutive rows of two or more cells side by side.

Rows keep only the cells printed (an empty cell drew nothing): a row shorter than the table is
never completed by position. A page whose text was not drawn this way gives no table and its
text stays lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .pdf_tables import cell_text
from .pdf_text import Line, chars_text, group_lines

NUMBER = re.compile(r"^[\d.,]+$")
# Bytes of a GB18030 character decoded one by one ("\x81 0 \x81 2", LibreOffice's print of a
# GB18030 page declaring gbk), whole or cut by a wrap: no text, a space once the document reads it.
BYTES = re.compile(r"[\x80-\x9f][0-9]?[\x80-\xfe]?[0-9]?")


def plain(text: str) -> str:
    """`text` without mis-decoded bytes, as the document will read it (for telling numbers)."""
    return BYTES.sub("", text).strip()


@dataclass
class Piece(Line):
    """A run of characters on one line with no wide gap: a line of one cell."""
    chars: list[dict] = field(default_factory=list)

    @property
    def numeric(self) -> bool:
        """Digits only (or only mis-decoded bytes: the rest of a number's cell, no text)."""
        text = plain(self.text)
        return NUMBER.match(text) is not None or not text and BYTES.search(self.text) is not None


@dataclass
class UCell:
    pieces: list[Piece]
    doubtful: bool = False  # a number whose wrap the geometry does not prove: not read
    cut: bool = False       # glyphs of its line ran past the page's edge: not all printed
    cellwise: bool = False  # its lines prove the text drawn cell by cell (see `cells_of`)

    @property
    def unknown(self) -> bool:
        return self.doubtful or self.cut

    @property
    def has_digits(self) -> bool:
        """Digits beyond a label's numbering ("1.属于…" has none, "…信息8" has)."""
        return any(ch.isdigit() for ch in LIST_START.sub("", self.text, count=1))

    @property
    def glued(self) -> bool:
        """Digits touching a blank mark ("0无", "—3"): two cells run together, not one value."""
        text = self.text
        return len(text) <= 12 and GLUED.search(text) is not None  # (not a document number)

    @property
    def value(self) -> bool:
        return self.unknown and self.numeric or VALUE.match(plain(self.text)) is not None

    @property
    def x0(self) -> float:
        return min(p.x0 for p in self.pieces)

    @property
    def x1(self) -> float:
        return max(p.x1 for p in self.pieces)

    @property
    def top(self) -> float:
        return min(p.top for p in self.pieces)

    @property
    def bottom(self) -> float:
        return max(p.bottom for p in self.pieces)

    @property
    def text(self) -> str:
        """Its lines top to bottom, each left to right (a quote mark drawn after its line is put
        in its place), page by page; lines of digits only are one wrapped number."""
        pages: dict = {}
        for p in self.pieces:
            for ch in p.chars:
                pages.setdefault(ch.get("page_number"), []).append(ch)
        return cell_text([chars_text(line, tab_gap=None) for chars in pages.values()
                          for line in group_lines(chars)])

    @property
    def numeric(self) -> bool:
        return all(p.numeric for p in self.pieces)


@dataclass
class UnruledTable:
    rows: list[list[UCell | None]]   # None: an empty cell (no text drawn) placed by `place_blanks`
    page: int
    wrapped: int = 0   # numbers joined over two or more lines
    doubts: int = 0    # cells not read: a number below a number the geometry cannot place
    glued: int = 0     # cells holding digits run together with a blank mark: rows not read
    cellwise: bool = False  # some cell's lines were drawn one after the other (see `find_unruled`)
    linewise: bool = False  # in a document not proven drawn cell by cell: no value read
    pages: list[int] = field(default_factory=list)
    row_pages: list[int] = field(default_factory=list)

    def __post_init__(self):
        self.row_pages = self.row_pages or [self.page] * len(self.rows)

    @property
    def top(self) -> float:
        return min(c.top for c in self.rows[0] if c)

    @property
    def chars(self) -> list[dict]:
        return [ch for row in self.rows for c in row if c for p in c.pieces for ch in p.chars]

    @property
    def clipped(self) -> bool:
        return any(c.cut for row in self.rows for c in row if c)


def _value_edge(ch: dict) -> bool:
    return ch["text"][:1].isdigit() or ch["text"] in VALUE_MARKS


VALUE_MARKS = set("—–-－/／.,")
# Text that broke inside a code of digits and dashes (a document number "014314799/2024-"):
# its next line continues it even when it is all digits.
BROKEN_CODE = re.compile(r"^[\x21-\x7e]*[\d/-]$")
GLUED = re.compile(r"\d\s*[无—／/]|[无—／/]\s*\d")
# A value as a cell prints it: a number (any width) or a blank mark.
VALUE = re.compile(r"^(?:-?\d(?:[\d.,，．]*\d)?(?:万元|元)?|—+|-+|–|/|／|－|无)$")


def pieces_of(chars: list[dict], gap: float = 1.0, value_gap: float = 0.15) -> list[Piece]:
    """Characters in drawing order -> runs on one line with no gap wider than `gap` sizes; a
    digit, dash or 无 is set apart from a digit, dash or lone 无 before it by any visible gap
    (`value_gap`): the cells of a narrow column stand closer than a character's width, the
    digits of a number touch."""
    runs: list[list[dict]] = []
    for ch in chars:
        if ch["text"].isspace():
            continue
        prev = runs[-1][-1] if runs else None
        size = ch.get("size") or 10
        if prev is not None:
            space = ch["x0"] - prev["x1"]
            alone = "".join(c["text"] for c in runs[-1]) == "无"  # a blank mark, then a cell
            blank_after = ch["text"] == "无" and prev["text"][:1].isdigit()
            # A digit after text is a value's start where any gap parts them (a label then the
            # next column's number: "…信息" "8"); a label's own digits touch their text.
            digit_after = ch["text"][:1].isdigit() and not _value_edge(prev)
            # (无 after "4." is a label's text: "4.无正当理由…")
            mark = _value_edge(ch) or ch["text"] == "无" and prev["text"] not in ".,．"
            limit = value_gap if mark and (_value_edge(prev) or alone) or blank_after or digit_after else gap
            if (abs((ch["top"] + ch["bottom"]) - (prev["top"] + prev["bottom"])) / 2 < 0.4 * size
                    and -0.2 * size <= space <= limit * size):
                runs[-1].append(ch)
                continue
        runs.append([ch])
    out = []
    for run in runs:
        sizes = sorted(c.get("size") or 10 for c in run)
        out.append(Piece(chars_text(run, tab_gap=None), min(c["x0"] for c in run),
                         max(c["x1"] for c in run), min(c["top"] for c in run),
                         max(c["bottom"] for c in run), sizes[len(sizes) // 2],
                         run[0].get("page_number", 0), run))
    return out


def _next_line(a: Piece, b: Piece, leading: float = 1.6) -> bool:
    """Is `b` on the line right below `a` (within `leading` sizes)?"""
    return b.top >= a.top + 0.5 * a.size and b.top - a.bottom <= leading * a.size


def _same_column(cell: UCell, b: Piece) -> bool:
    """Does `b` stand in the column of `cell`: overlapping it, aligned left, centre or right?"""
    tol = b.size
    if b.x0 >= cell.x1 or b.x1 <= cell.x0:
        return False
    return (abs(b.x0 - cell.x0) <= tol or abs(b.x1 - cell.x1) <= tol
            or abs((b.x0 + b.x1) - (cell.x0 + cell.x1)) / 2 <= tol)


def line_pitch(pieces: list[Piece]) -> float | None:
    """The distance between the lines of wrapped text: tops of text pieces drawn one after the
    other, left-aligned, on consecutive lines (the commonest such distance)."""
    steps: dict[float, int] = {}
    for a, b in zip(pieces, pieces[1:]):
        if not (a.numeric or b.numeric) and _next_line(a, b) and abs(a.x0 - b.x0) <= 0.5 * a.size:
            step = round(b.top - a.top, 1)
            steps[step] = steps.get(step, 0) + 1
    if not steps:
        return None
    best = max(steps.values())
    return min(s for s, n in steps.items() if n == best)


def _on_its_lines(cell: UCell, p: Piece) -> bool:
    """Is `p` on a line of `cell`, within or touching its text?"""
    return any(abs((q.top + q.bottom) - (p.top + p.bottom)) / 2 < 0.4 * p.size
               and p.x0 <= q.x1 + 0.2 * p.size and p.x1 >= q.x0 - 0.2 * p.size for q in cell.pieces)


def _followed_on_line(pieces: list[Piece]) -> set[int]:
    """ids of the pieces with another piece to their right on their line."""
    lines: dict[int, list[Piece]] = {}
    for p in pieces:
        lines.setdefault(round((p.top + p.bottom) / 4), []).append(p)
    out = set()
    for p in pieces:
        key = round((p.top + p.bottom) / 4)
        near = lines.get(key - 1, []) + lines.get(key, []) + lines.get(key + 1, [])
        if any(q.x0 > p.x1 and abs((q.top + q.bottom) - (p.top + p.bottom)) / 2 < 0.4 * p.size
               for q in near):
            out.add(id(p))
    return out


def cells_of(pieces: list[Piece]) -> list[UCell]:
    pitch = line_pitch(pieces)
    followed = _followed_on_line(pieces)
    cells: list[UCell] = []
    for p in pieces:
        cell = cells[-1] if cells else None
        last = cell.pieces[-1] if cell else None
        if cell is not None and id(last) in followed and _next_line(last, p) and _same_column(cell, p):
            # Drawn next, on the next line, though text stands right of the line before: the
            # producer draws cell by cell (line by line, that text would come between).
            cell.cellwise = True
        if cell is not None and not (p.numeric or cell.numeric) and _on_its_lines(cell, p):
            cell.pieces.append(p)  # text drawn out of order on a line of the cell (a quote mark)
            continue
        if (cell is not None and not (p.numeric or cell.numeric) and _same_column(cell, p)
                and _next_line(last, p, max(2.5, (2 * pitch - p.size) / p.size if pitch else 0))):
            cell.pieces.append(p)  # a wrapped label (its lines may stand a blank line apart)
            continue
        if cell is not None and _next_line(last, p) and _same_column(cell, p):
            if not (p.numeric and cell.numeric):
                if p.numeric and BROKEN_CODE.match(cell.text):
                    cell.pieces.append(p)   # a code broken at a dash ("2024-" / "00002")
                    continue
            elif pitch is not None and abs(p.top - last.top - pitch) <= 0.15 * p.size:
                cell.pieces.append(p)       # a number wrapped in a narrow column
                continue
            else:  # a number drawn right below a number: one wrapped or two cells, unknown
                cell.pieces.append(p)
                cell.doubtful = True
                continue
        cells.append(UCell([p]))
    return cells


def rows_of(cells: list[UCell]) -> list[list[UCell]]:
    """Cells in drawing order -> rows: a cell left of the one before starts a new row."""
    rows: list[list[UCell]] = []
    for c in cells:
        if rows and c.x0 >= rows[-1][-1].x1 - 0.5 * c.pieces[0].size and _beside(rows[-1], c):
            rows[-1].append(c)
            continue
        # A number right below a number of this row, not drawn next to it (a producer drawing
        # line by line): the rest of a wrapped number or the next row's, unknown.
        above = next((u for u in rows[-1] if u.numeric and _same_column(u, c.pieces[0])
                      and _next_line(u.pieces[-1], c.pieces[0])), None) if rows and c.numeric else None
        if above is not None:
            above.pieces += c.pieces
            above.doubtful = True
            continue
        rows.append([c])
    return rows


def _beside(row: list[UCell], c: UCell) -> bool:
    """Does `c` stand beside the row's cells (sharing some height with the row)?"""
    top = min(x.top for x in row)
    bottom = max(x.bottom for x in row)
    return c.top < bottom + 2 * c.pieces[0].size and c.bottom > top - 2 * c.pieces[0].size


def tabular(row: list[UCell], gap: float = 1.0) -> bool:
    """A table row: two cells or more, two of them apart by a character's width at least (the
    pieces of a justified line of text stand closer)."""
    size = max(c.pieces[0].size for c in row)
    xs = sorted((c.x0, c.x1) for c in row)
    return len(row) >= 2 and any(b[0] - a[1] >= gap * size for a, b in zip(xs, xs[1:]))


def find_unruled(chars: list[dict], page: int, outside: list[dict] = (),
                 min_rows: int = 2) -> list[UnruledTable]:
    """The unruled tables among `chars` (a page's text outside ruled tables, in drawing order;
    `outside`: the glyphs past the page's edges)."""
    cells = cells_of(pieces_of(chars))
    rows = rows_of(cells)
    tables: list[UnruledTable] = []
    run: list[list[UCell]] = []

    def close():  # one row alone is a table when it holds values (a row after a page's header)
        if len(run) >= min_rows or (run and sum(1 for c in run[0] if c.value) >= 2):
            tables.append(UnruledTable(list(run), page, pages=[page]))
        run.clear()

    for i, row in enumerate(rows):
        # A lone number is a row of the table when it opens the page's first table (the rest of
        # a number the page break cut, "1" / "3") or stands between two table rows.
        lone = (len(row) == 1 and row[0].value and i + 1 < len(rows) and tabular(rows[i + 1])
                and (not tables and not run and all(not tabular(r) for r in rows[:i]) or run))
        if tabular(row) or lone:
            run.append(row)
        else:
            close()
    close()
    for t in tables:
        t.cellwise = any(c.cellwise for row in t.rows for c in row)
        t.wrapped = sum(1 for row in t.rows for c in row if c.numeric and len(c.pieces) > 1
                        and not c.doubtful)
        t.doubts = sum(1 for row in t.rows for c in row if c.doubtful)
        t.glued = sum(1 for row in t.rows for c in row if c.glued)
    mark_cut(tables, outside)
    return tables


def mark_cut(tables: list[UnruledTable], outside: list[dict]) -> None:
    """A glyph past the page's right edge belongs to the cell printed last on its line (a
    number cut by the edge, "12" of 1234 inside) or to a column not printed at all: the cell
    before it on its line is cut, its text unknown."""
    for ch in outside:
        mid = (ch["top"] + ch["bottom"]) / 2
        line = [c for t in tables for row in t.rows for c in row
                if c.top <= mid <= c.bottom and c.x1 <= ch["x0"] + 1]
        if line:
            max(line, key=lambda c: c.x1).cut = True


def place_blanks(table: UnruledTable, tol: float = 1.5) -> set[int]:
    """Put an empty cell (None) where a row printed nothing in a value column; the rows placed.

    A stretch of rows holding values (a header row ends it) has value columns, found one of two
    ways; a row is placed when its values stand one a column and its labels left of the first:
    its other columns held nothing (an empty cell draws nothing). Other rows keep their cells.

    - Left-aligned: the values of each column start at one x, and so does a header cell above
      it; every header cell over the values starts at such an x or between columns. Then each
      x where a header cell starts is a column, values or not (a column left all empty).
    - Otherwise the columns are the bands the value cells stand in (overlapping cells are one
      column), taken only when some row has a value in every band (one row's columns).
    """
    placed: set[int] = set()
    stretch: list[int] = []
    header: list[int] = []
    for r in range(len(table.rows) + 1):
        if r < len(table.rows) and any(c and c.value for c in table.rows[r]):
            stretch.append(r)
            continue
        if stretch:
            placed |= _place(table, stretch, header, tol)
            stretch, header = [], []
        if r < len(table.rows):
            header.append(r)
    return placed


def _value_bands(values: list[UCell]) -> list[list[float]]:
    bands: list[list[float]] = []
    for c in sorted(values, key=lambda c: c.x0):
        if bands and c.x0 < bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], c.x1)
        else:
            bands.append([c.x0, c.x1])
    return bands


def _left_columns(values: list[UCell], heads: list[UCell], bands, tol: float) -> list[float] | None:
    """The x where each column starts, when values and headers are left-aligned (else None)."""
    starts = []
    for a, b in bands:
        xs = [c.x0 for c in values if a <= c.x0 < b]
        if max(xs) - min(xs) > tol or not any(abs(h.x0 - min(xs)) <= tol for h in heads):
            return None
        starts.append(min(xs))
    over = [h for h in heads if h.x0 >= starts[0] - tol]
    if any(a + tol < h.x0 < b for h in over for a, b in bands):
        return None  # a header starting inside a value column: not aligned as the values
    columns: list[float] = []
    for x in sorted(starts + [h.x0 for h in over]):
        if not columns or x - columns[-1] > tol:
            columns.append(x)
    return columns


def _place(table: UnruledTable, stretch: list[int], header: list[int], tol: float) -> set[int]:
    values = [c for r in stretch for c in table.rows[r] if c.value]
    bands = _value_bands(values)
    heads = [c for r in header for c in table.rows[r] if c is not None]
    columns = _left_columns(values, heads, bands, tol) if bands else None
    if columns is not None:
        def column(c: UCell) -> int | None:
            return next((i for i, x in enumerate(columns) if abs(c.x0 - x) <= tol), None)
        first, n = columns[0], len(columns)
    elif len(bands) >= 2:
        def column(c: UCell) -> int | None:
            return next((i for i, (a, b) in enumerate(bands) if c.x0 < b and c.x1 > a), None)
        first, n = bands[0][0], len(bands)
    else:
        return set()
    slots = {}
    for r in stretch:
        row = table.rows[r]
        labels = [c for c in row if not c.value]
        at = [column(c) for c in row if c.value]
        if None in at or len(set(at)) < len(at):
            if columns is None:
                return set()   # two values in one band: the bands are not this table's columns
            continue
        if any(c.x1 > first + tol for c in labels):
            continue        # text among the values (a unit, a note): left as printed
        slots[r] = labels + [next((c for c in row if c.value and column(c) == i), None)
                             for i in range(n)]
    if columns is None and not any(None not in s[-n:] for s in slots.values()):
        return set()       # no row fills every band: nothing proves them one row's columns
    for r, s in slots.items():
        table.rows[r] = s
    return set(slots)


def table_rows(table: UnruledTable) -> tuple[list[list[str]], set[tuple[int, int]]]:
    """(rows of cell texts, (row, col) of the cells not read) for the document builder: empty
    cells placed where a value column printed nothing; cut cells not read, nor any value of a
    row holding a doubtful number or cells run together or, in a table cut by the page's edge,
    of a row not placed (where its cells stand is unknown)."""
    placed = place_blanks(table)
    rows = [["" if c is None else c.text for c in row] for row in table.rows]
    unknown = set()
    for r, row in enumerate(table.rows):
        # A doubtful number leaves its row's reading open (one number or two, which column):
        # none of the row's values is read. Cut cells end a placed row (read up to them).
        doubt = table.linewise or any(c is not None and (c.doubtful or c.glued) for c in row)
        unplaced = table.clipped and r not in placed
        unknown |= {(r, i) for i, c in enumerate(row) if c is not None
                    and (c.cut or (doubt or unplaced) and (c.value or c.unknown or c.has_digits))}
    return rows, unknown


def table_warnings(table: UnruledTable) -> list[str]:
    """What the record should say about how the table was read."""
    where = f"a table printed without rules (page {', '.join(map(str, table.pages))})"
    said = [
        (table.doubts, f"{where} has {table.doubts} number(s) printed over two lines that may be "
                       "one wrapped number or two cells: not read"),
        (table.linewise, f"{where}: nothing in the document shows its text drawn cell by cell, so "
                         "its rows cannot be told from their wrapped lines: its values are not read"),
        (table.glued, f"{where} has {table.glued} cell(s) whose digits run into a blank mark (cells "
                      "too close to tell apart): their rows are not read"),
        (table.clipped, f"{where} runs past the page's right edge: its cells there were not "
                        "printed whole and are not read"),
        (table.wrapped, f"{where}: {table.wrapped} number(s) wrapped over lines in a narrow column "
                        "were read whole (drawn one after the other, at the pitch of the page's lines)"),
    ]
    return [message for when, message in said if when]


LIST_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])")


def join_unruled(prev: UnruledTable, nxt: UnruledTable) -> UnruledTable:
    """`nxt` (at the top of the next page) continuing `prev`. Its first row is the rest of the
    row the page break split when it holds only digits, each below a number of that row ("10" /
    "9": 109), or only text, each below a label of that row (not a new numbered label): joined.
    Anything else there is a row of its own; but, unless it starts with a numbered label, where
    its values stand below values of that row and not below every one of them (a label and numbers running on, or a new row: the print
    does not tell), those numbers on both sides are doubtful, not read."""
    last, first = prev.rows[-1], nxt.rows[0]
    texts = [c.text for c in first]
    ups = [next((u for u in last if _same_column(u, c.pieces[0])), None) for c in first]
    digits = [c.numeric for c in first]
    numbered = any(LIST_START.match(t) for t in texts)  # a new numbered row label: a new row
    joined = (None not in ups and not numbered
              and (all(digits) and all(u.numeric for u in ups)
                   or not any(digits) and not any(u.numeric for u in ups)))
    rows = nxt.rows
    doubts = 0
    below = [(u, c) for u, c in zip(ups, first) if u is not None and u.value and c.value]
    if not joined and not numbered and below and not all(any(_same_column(u, c.pieces[0]) for c in first if c.value)
                                        for u in last if u.value):
        for u, c in below:
            doubts += (not u.doubtful) + (not c.doubtful)
            u.doubtful = c.doubtful = True
    if joined:
        for u, c in zip(ups, first):
            u.pieces += c.pieces
            u.doubtful = u.doubtful or c.doubtful
        rows = rows[1:]
    out = UnruledTable(prev.rows + rows, prev.page, prev.wrapped + nxt.wrapped,
                       prev.doubts + nxt.doubts + doubts, prev.glued + nxt.glued,
                       prev.cellwise or nxt.cellwise, False, prev.pages + nxt.pages)
    out.row_pages = prev.row_pages + nxt.row_pages[len(nxt.rows) - len(rows):]
    if joined and all(digits):
        out.wrapped += len(first)
    return out
