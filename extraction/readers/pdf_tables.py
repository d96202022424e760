"""PDF tables from ruling lines: find them on a page, read their cells, join them across pages.

A chain of small steps, each a plain function:

1. `ruling_page`: drop filled rectangles that are shading, not rules (office exports put a white
   or tinted box behind every line of text; as edges they turn whole pages into "tables").
2. `frame_edges`: close each group of rules with its bounding frame, so that a table cut by a
   page break (no bottom or top border) still has closed cells.
3. `find_tables`: pdfplumber's lattice finder on the rules, kept when at least two columns wide.
4. `PdfTable`: the cells with their text; `grid` turns cells into rows and spans.
5. `can_join` / `join`: a table continued on the next page becomes one table; a row split by
   the page break (its label's last line on the new page, no value there) is one row again.

An office suite prints a table wider than the page as it is: the columns past the right edge
are not printed at all, and the cell the edge crosses only in part. Such a cell is `cut` (what
it holds is unknown, not blank); a table reaching the edge is `clipped` (each row may lack
columns at its end).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .pdf_text import chars_text, group_lines
from .cjk import join_pieces


@dataclass
class PdfCell:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    page: int
    cut: bool = False   # crossed by the page's right edge: its content was not all printed


@dataclass
class PdfTable:
    cells: list[PdfCell]
    page: int
    top: float       # on its first page, for reading order
    bottom: float    # on its last page
    last_page: int = 0
    pages: list[int] = field(default_factory=list)

    clipped: bool = False  # it reaches the page's right edge: columns past it were not printed
    spill: list = field(default_factory=list)  # glyphs spilling past its right rule (`overflow`)

    @property
    def x0(self) -> float:
        return min(c.x0 for c in self.cells)

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.cells)


def ruling_page(page, min_size: float = 2.0):
    """The page without filled rectangles thicker than `min_size` both ways (shading)."""
    def keep(obj) -> bool:
        if obj.get("object_type") == "rect" and not obj.get("stroke"):
            return min(obj["width"], obj["height"]) < min_size
        return True
    return page.filter(keep)


def frame_edges(edges: list[dict], tol: float = 3.0) -> list[dict]:
    """A closing frame (four edges) around each connected group of ruling edges."""
    edges = [e for e in edges if max(e["width"], e["height"]) > tol]
    parent = list(range(len(edges)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(edges):
        for j in range(i + 1, len(edges)):
            b = edges[j]
            if (a["x0"] - tol <= b["x1"] and b["x0"] - tol <= a["x1"]
                    and a["top"] - tol <= b["bottom"] and b["top"] - tol <= a["bottom"]):
                parent[find(i)] = find(j)
    groups: dict[int, list[dict]] = {}
    for i, e in enumerate(edges):
        groups.setdefault(find(i), []).append(e)
    frames = []
    for group in groups.values():
        n_v = sum(1 for e in group if e["orientation"] == "v")
        n_h = sum(1 for e in group if e["orientation"] == "h")
        if n_v < 2 or n_h < 1:
            continue
        x0 = min(e["x0"] for e in group)
        x1 = max(e["x1"] for e in group)
        top = min(e["top"] for e in group)
        bottom = max(e["bottom"] for e in group)
        for o, (ex0, ex1, et, eb) in (("h", (x0, x1, top, top)), ("h", (x0, x1, bottom, bottom)),
                                     ("v", (x0, x0, top, bottom)), ("v", (x1, x1, top, bottom))):
            frames.append({"object_type": "explicit_edge", "orientation": o, "x0": ex0, "x1": ex1,
                           "top": et, "bottom": eb, "width": ex1 - ex0, "height": eb - et})
    return frames


def find_tables(page, page_no: int, chars: list[dict], min_cols: int = 2,
                background_min_size: float = 2.0, outside: list[dict] = (),
                edge_tol: float = 1.0) -> list[PdfTable]:
    """The ruled tables of a page, with each cell's text read from `chars` (those on the page;
    `outside`: those past its edges, dropped) and the cells the right edge cuts marked."""
    ruled = ruling_page(page, background_min_size)
    frames = frame_edges(ruled.edges)
    settings = {
        "vertical_strategy": "lines", "horizontal_strategy": "lines",
        "explicit_vertical_lines": [f for f in frames if f["orientation"] == "v"],
        "explicit_horizontal_lines": [f for f in frames if f["orientation"] == "h"],
    }
    out = []
    for t in ruled.find_tables(settings):
        cells = [PdfCell(x0, top, x1, bottom, "", page_no) for x0, top, x1, bottom in t.cells]
        if not cells or n_columns(cells) < min_cols:
            continue
        fill_cells(cells, chars)
        edge = float(page.width) - edge_tol
        mark_cut(cells, edge, outside)
        spill = overflow(cells, chars)
        if spill:  # cut at its own right edge (by the cell of a page-layout table around it)
            mark_cut(cells, max(c.x1 for c in cells) - edge_tol, spill)
        out.append(PdfTable(cells, page_no, t.bbox[1], t.bbox[3], page_no, [page_no],
                            any(c.x1 >= edge for c in cells) or bool(spill), spill))
    return out


def overflow(cells: list[PdfCell], chars: list[dict], glued: float = 4.0) -> list[dict]:
    """Glyphs printed on past the table's right rule, in its rows, the first of them right at the
    rule (within a cell's padding): text running out of the last printed column. An office
    suite prints a table nested in a narrower cell (a web page's layout table) so: its columns
    past the cell are not printed, and the last printed one spills over ("5" inside the rule,
    "4" of 54 past it). A table whose text stays inside its cells spills nothing."""
    x1 = max(c.x1 for c in cells)
    top, bottom = min(c.top for c in cells), max(c.bottom for c in cells)
    near = [ch for ch in chars if (ch["x0"] + ch["x1"]) / 2 > x1
            and top <= (ch["top"] + ch["bottom"]) / 2 <= bottom]  # a glyph across the rule too
    if not any(ch["x0"] <= x1 + glued for ch in near):  # a cell's padding at most: not text beside
        return []
    # The run of glyphs from the rule on, line by line (text further right is not the table's).
    spill = []
    for line in group_lines(near):
        x = x1
        for ch in sorted(line, key=lambda c: c["x0"]):
            if ch["x0"] > x + glued:
                break
            spill.append(ch)
            x = ch["x1"]
    return spill


def mark_cut(cells: list[PdfCell], edge: float, outside: list[dict]) -> None:
    """Mark the cells that reach the page's right edge `edge` and were not printed whole.

    Such a column was printed when some cell of it shows text on the page (its text stands
    inside the page): its cells are read, empty ones as blanks. A column with no text on the
    page lies beyond the edge (its text was not printed): its cells are cut. So is a cell with
    glyphs past the edge in its line band (a number or label printed in part).
    """
    at_edge = [c for c in cells if c.x1 >= edge]
    printed = {round(c.x0) for c in at_edge if c.text.strip()}
    for c in at_edge:
        beyond = any(c.top <= (ch["top"] + ch["bottom"]) / 2 <= c.bottom and ch["x1"] > c.x0
                     for ch in outside)
        if round(c.x0) not in printed or beyond:
            c.cut, c.text = True, ""


def fill_cells(cells: list[PdfCell], chars: list[dict]) -> None:
    """Give each cell the text of the characters whose middle lies inside it."""
    inside: list[list[dict]] = [[] for _ in cells]
    for ch in chars:
        mx, my = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        for i, c in enumerate(cells):
            if c.x0 <= mx <= c.x1 and c.top <= my <= c.bottom:
                inside[i].append(ch)
                break
    for cell, cs in zip(cells, inside):
        cell.text = cell_text([chars_text(line, tab_gap=None) for line in group_lines(cs)])


DIGITS = re.compile(r"^[\d.,]+$")


# C1 control characters are no text: bytes of a GB18030 character decoded one by one (LibreOffice
# prints a GB18030 page declaring gbk so, "\x81 0 \x81 2"). A gap or a line wrap next to one is
# no space either, so that the document finds the four bytes together and reads them as a space.
C1_SPACING = re.compile(r"\s*([\x80-\x9f])\s*")


def cell_text(lines: list[str]) -> str:
    """A cell's lines as one text. Lines of digits only are one number wrapped in a narrow
    column ("2" over "6" is 26): joined without a space, so the number stays whole."""
    if len(lines) > 1 and all(DIGITS.match(x.strip()) for x in lines if x.strip()):
        return "".join(x.strip() for x in lines)
    return C1_SPACING.sub(r"\1", join_pieces(lines))


def in_any(ch: dict, tables: list[PdfTable]) -> bool:
    mx, my = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
    return any(c.x0 <= mx <= c.x1 and c.top <= my <= c.bottom for t in tables for c in t.cells)


def cluster(values: list[float], tol: float) -> list[float]:
    """Sorted distinct positions, values within `tol` of the previous one merged."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(bounds: list[float], v: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


def n_columns(cells: list[PdfCell], tol: float = 3.0) -> int:
    return len(cluster([c.x0 for c in cells] + [c.x1 for c in cells], tol)) - 1


def column_bounds(cells: list[PdfCell], tol: float = 3.0) -> list[float]:
    return cluster([c.x0 for c in cells] + [c.x1 for c in cells], tol)


def grid(table: PdfTable, tol: float = 3.0):
    """(rows, spans, row_pages, cut): the table's cells placed on the grid their edges make;
    `cut` holds the (row, col) of cut cells."""
    xs = column_bounds(table.cells, tol)
    ys = cluster([c.top for c in table.cells] + [c.bottom for c in table.cells], tol)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    rows: list[list[str | None]] = [[""] * n_cols for _ in range(n_rows)]
    row_pages: list[int | None] = [None] * n_rows
    spans = []
    covered: set[tuple[int, int]] = set()
    cut: set[tuple[int, int]] = set()
    origins: list[int | None] = [None] * n_rows  # page of the cells that start in a row
    for cell in sorted(table.cells, key=lambda c: (c.top, c.x0)):
        r0, r1 = _index(ys, cell.top), _index(ys, cell.bottom)
        c0, c1 = _index(xs, cell.x0), _index(xs, cell.x1)
        if r1 <= r0 or c1 <= c0 or (r0, c0) in covered:
            continue
        rows[r0][c0] = cell.text
        if cell.cut:
            cut.add((r0, c0))
        origins[r0] = origins[r0] or cell.page
        for r in range(r0, r1):
            if row_pages[r] is None:
                row_pages[r] = cell.page
            for c in range(c0, c1):
                if (r, c) != (r0, c0):
                    rows[r][c] = None
                    covered.add((r, c))
        covered.add((r0, c0))
        if r1 - r0 > 1 or c1 - c0 > 1:
            spans.append((r0, c0, r1 - r0, c1 - c0))
    # A row's page is that of the cells starting in it (a merged label may run in from above).
    row_pages = [o if o is not None else p for o, p in zip(origins, row_pages)]
    # A band no cell covers (a gap between two parts of a table) is not a row.
    keep = [r for r in range(n_rows) if row_pages[r] is not None]
    if len(keep) < n_rows:
        new_index = {r: k for k, r in enumerate(keep)}
        rows = [rows[r] for r in keep]
        row_pages = [row_pages[r] for r in keep]
        spans = [(new_index[r], c, sum(1 for k in keep if r <= k < r + rs), cs)
                 for r, c, rs, cs in spans]
        cut = {(new_index[r], c) for r, c in cut if r in new_index}
    return rows, spans, row_pages, cut


def can_join(prev: PdfTable, nxt: PdfTable, tol: float = 4.0) -> bool:
    """Is `nxt` (at the top of the next page) the continuation of `prev`?

    The outer edges line up, and one table's column edges are a subset of the other's (the same
    columns, or some of them merged).
    """
    if nxt.page != prev.last_page + 1:
        return False
    if abs(prev.x0 - nxt.x0) > tol or abs(prev.x1 - nxt.x1) > tol:
        return False
    a, b = column_bounds(prev.cells), column_bounds(nxt.cells)

    def subset(small, big):
        return all(any(abs(s - g) <= tol for g in big) for s in small)

    return subset(a, b) or subset(b, a)


NUMERIC = re.compile(r"^[\d\s.,，%％\-—－/]*$")


def join(prev: PdfTable, nxt: PdfTable, tol: float = 4.0) -> PdfTable:
    """`nxt` appended below `prev`: y stacked, a repeated header dropped, and a label cell cut
    by the page break (its continuation on the new page left empty) extended over it."""
    offset = max(c.bottom for c in prev.cells) - min(c.top for c in nxt.cells)
    snap = column_bounds(prev.cells)

    def sx(x):  # snap x to the previous part's column edges, so columns line up exactly
        near = min(snap, key=lambda s: abs(s - x))
        return near if abs(near - x) <= tol else x

    moved = [replace(c, x0=sx(c.x0), top=c.top + offset, x1=sx(c.x1), bottom=c.bottom + offset)
             for c in nxt.cells]  # replace: a subclass (OCR cells) keeps its extra fields
    moved = drop_repeated_header(prev, moved, tol)
    cells = list(prev.cells)
    if moved:
        gap = min(c.top for c in moved) - max(c.bottom for c in prev.cells)
        for c in moved:  # close the gap a dropped header leaves
            c.top -= gap
            c.bottom -= gap
        moved = join_split_row(cells, moved, tol)
    if moved:
        seam = min(c.top for c in moved)
        last = max(c.bottom for c in prev.cells)
        above = [c for c in cells if abs(c.bottom - last) <= tol]
        kept = []
        for c in moved:
            up = next((u for u in above if abs(u.x0 - c.x0) <= tol and abs(u.x1 - c.x1) <= tol), None)
            if (abs(c.top - seam) <= tol and not c.text and up is not None and up.text
                    and not NUMERIC.match(up.text) and is_row_label(up, prev.cells, tol)):
                up.bottom = c.bottom  # the label cell runs on into the new page
                continue
            kept.append(c)
        cells += kept
    return PdfTable(cells, prev.page, prev.top, nxt.bottom, nxt.page, prev.pages + [nxt.page],
                    prev.clipped or nxt.clipped, prev.spill + nxt.spill)


LIST_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])")


def join_split_row(above: list[PdfCell], moved: list[PdfCell], tol: float) -> list[PdfCell]:
    """The new part without its first row when that row is the rest of the row the page break
    split, each of its cells under a cell that ends at the break. Either it holds only text,
    the continuation of the labels above (not a new numbered label), or only digits, each under
    the digits of a number the break wrapped ("10" above, "9" below: 109), its labels printed
    whole above. A row holding both (a label and a number running on, or a new row) is left as
    it is: a label of its own and numbers cannot be told from a new row. Its text joins the cell
    above."""
    if not moved:
        return moved
    seam = min(c.top for c in moved)
    first = [c for c in moved if abs(c.top - seam) <= tol]
    last = max(c.bottom for c in above)
    ups = [c for c in above if abs(c.bottom - last) <= tol]
    texts = [c.text.strip() for c in first if c.text.strip()]
    if not texts or any(LIST_START.match(t) for t in texts):
        return moved
    rest = {id(c) for c in first if any(bytes_rest(u.text, c.text) for u in ups
                                        if abs(u.x0 - c.x0) <= tol and abs(u.x1 - c.x1) <= tol)}
    # The rest of a mis-decoded character (its last digit) is no number: text running on.
    digits = [DIGITS.match(c.text.strip()) is not None and id(c) not in rest
              for c in first if c.text.strip()]
    if any(digits) and not all(digits):
        doubt_numbers(first, ups, tol)
        return moved
    pairs = []
    for c in first:
        up = next((u for u in ups if abs(u.x0 - c.x0) <= tol and abs(u.x1 - c.x1) <= tol), None)
        if up is None or (c.text.strip() and not up.text.strip()):
            return moved
        if all(digits) and c.text.strip() and not DIGITS.match(up.text.strip()):
            return moved
        pairs.append((up, c))
    # The row above must be a row of values: a header split by the break is left as it is.
    if not any(DIGITS.match(u.text.strip()) for u in ups if u.text.strip()):
        return moved
    for up, c in pairs:  # a cell merged down the new page keeps covering its rows there
        up.text = cell_text([up.text, c.text]) if c.text.strip() else up.text
        up.bottom = c.bottom
    dropped = {id(c) for c in first}
    return [c for c in moved if id(c) not in dropped]


def doubt_numbers(first: list[PdfCell], ups: list[PdfCell], tol: float) -> None:
    """A row at the top of a page holding a label and numbers, not numbered: a new row, or the
    rest of the row the break split (its label and numbers running on: "2" above, "3" here is
    23). Where its numbers stand under numbers, but not under every number of that row (as a new
    row's would), the print does not tell: those numbers, above and here, are not read."""
    def under(c):
        return next((u for u in ups if abs(u.x0 - c.x0) <= tol and abs(u.x1 - c.x1) <= tol), None)
    numbers = [c for c in first if DIGITS.match(c.text.strip())]
    pairs = [(under(c), c) for c in numbers if under(c) is not None
             and DIGITS.match(under(c).text.strip())]
    above = [u for u in ups if DIGITS.match(u.text.strip())]
    if pairs and len(pairs) < len(above):
        for u, c in pairs:
            u.cut = c.cut = True


MISDECODED = re.compile(r"[\x81-\x9f]\s*[0-9]\s*[\x81-\xfe]\s*[0-9]$")


def bytes_rest(above: str, below: str) -> bool:
    """Does `below` finish a mis-decoded GB18030 character that `above` ends with (a wrap or a
    page break cut "\x81 0 \x81" from its "2")?"""
    tail = re.search(r"[\x81-\x9f][\s0-9\x81-\xfe]*$", above.strip())
    return bool(tail and below.strip() and MISDECODED.match(tail.group(0) + below.strip()))


def is_row_label(cell: PdfCell, cells: list[PdfCell], tol: float) -> bool:
    """Are values (numbers, blank marks) printed right of `cell`, in its rows?

    A row label cut by a page break runs on over the empty cell below it; a column header does
    not: the empty cell below a header (vertical headers reach the page foot) is a blank value.
    """
    return any(c.x0 >= cell.x1 - tol and c.top < cell.bottom - tol and c.bottom > cell.top + tol
               and c.text.strip() and NUMERIC.match(c.text) for c in cells)


def drop_repeated_header(prev: PdfTable, moved: list[PdfCell], tol: float) -> list[PdfCell]:
    """Drop the leading rows of the new part that repeat the table's first rows."""
    def rows_of(cells):
        ys = cluster([c.top for c in cells], tol)
        return [sorted((c for c in cells if abs(c.top - y) <= tol), key=lambda c: c.x0) for y in ys]

    first_rows = rows_of(prev.cells)
    new_rows = rows_of(moved)
    n = 0
    while (n < len(new_rows) - 1 and n < len(first_rows) and
           [c.text for c in new_rows[n]] == [c.text for c in first_rows[n]]
           and any(c.text for c in new_rows[n])):
        n += 1
    if not n:
        return moved
    dropped = {id(c) for row in new_rows[:n] for c in row}
    return [c for c in moved if id(c) not in dropped]
