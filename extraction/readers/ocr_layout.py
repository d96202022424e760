"""Layout from OCR boxes: ruling lines, table cells, text lines, and each character's confidence.

The OCR engine returns text boxes in no reliable order. Here they become what the PDF reader's
assembly takes (`pdf.Page`: lines and ruled tables, in points), so the same furniture removal,
table joining across pages and paragraph joining apply:

1. `ruling_edges`: long thin runs of ink in the page image are table rules (rows and columns);
   pdfplumber's lattice functions turn them into cells (`table_cells`).
2. `box_chars`: each box's text split into characters placed across the box (a CJK character
   is twice as wide as a digit), each carrying the box's confidence.
3. `page_layout`: characters inside a cell fill it; the rest become lines.
4. `assemble_ocr`: the document, and the confidence of every OCR'd character as spans of its
   text (`Document.ocr_spans`), found by walking each block's text along its characters.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ..document import Document, DocumentBuilder
from .cjk import is_wide, join_pieces
from .pdf import Page, PdfSettings, add_unruled, reading_order
from .pdf_tables import PdfCell, PdfTable, frame_edges, grid, n_columns
from .pdf_text import Line, chars_text, continues, furniture, group_lines, join_lines, text_margins
from .pdf_unruled import UnruledTable


@dataclass
class OcrLine(Line):
    chars: list = field(default_factory=list)


@dataclass
class OcrCell(PdfCell):
    chars: list = field(default_factory=list)
    bbox_px: tuple = ()  # the cell in image pixels, for re-reading an empty cell


def ruling_edges(ink: np.ndarray, pt: float, min_inch: float = 0.2, dpi: float = 200) -> list[dict]:
    """Horizontal and vertical rules of a binary page image as pdfplumber edges, in points.

    A rule is a run of ink at least `min_inch` long (longer than any stroke of a character)
    and thin across.
    """
    from scipy import ndimage
    length = max(9, int(min_inch * dpi)) | 1
    edges = []
    for axis, orient in ((1, "h"), (0, "v")):
        # Bridge the small breaks a faint or blurred rule has, then keep only long runs.
        closed = ndimage.minimum_filter1d(ndimage.maximum_filter1d(ink, 5, axis=axis), 5, axis=axis)
        runs = ndimage.maximum_filter1d(ndimage.minimum_filter1d(closed, length, axis=axis),
                                        length, axis=axis)
        labels, _ = ndimage.label(runs, structure=np.ones((3, 3)))
        for sl in ndimage.find_objects(labels):
            ys, xs = sl
            h, w = ys.stop - ys.start, xs.stop - xs.start
            long_, thick = (w, h) if orient == "h" else (h, w)
            if long_ < length or thick > max(0.06 * dpi, long_ / 12):
                continue
            if orient == "h":
                y = (ys.start + ys.stop) / 2 * pt
                edges.append({"orientation": "h", "x0": xs.start * pt, "x1": xs.stop * pt,
                              "top": y, "bottom": y, "width": w * pt, "height": 0.0})
            else:
                x = (xs.start + xs.stop) / 2 * pt
                edges.append({"orientation": "v", "x0": x, "x1": x, "top": ys.start * pt,
                              "bottom": ys.stop * pt, "width": 0.0, "height": h * pt})
    return edges


def table_cells(edges: list[dict], page_no: int, pt: float, min_cols: int = 2,
                tol: float = 3.0) -> list[PdfTable]:
    """Ruled tables (empty cells) from rules: pdfplumber's lattice on the edges and their frames."""
    from pdfplumber.table import (cells_to_tables, edges_to_intersections,
                                  intersections_to_cells, merge_edges)
    if not edges:
        return []
    merged = merge_edges(edges + frame_edges(edges), tol, tol, tol, tol)
    cells = intersections_to_cells(edges_to_intersections(merged, tol, tol))
    out = []
    for group in cells_to_tables(cells):
        table_cells_ = [OcrCell(x0, top, x1, bottom, "", page_no,
                                bbox_px=(x0 / pt, top / pt, x1 / pt, bottom / pt))
                        for x0, top, x1, bottom in group]
        if n_columns(table_cells_) < min_cols or len(table_cells_) < 2 * min_cols:
            continue
        top, bottom = min(c.top for c in table_cells_), max(c.bottom for c in table_cells_)
        out.append(PdfTable(table_cells_, page_no, top, bottom, page_no, [page_no]))
    return out


def box_chars(boxes: list[tuple[list, str, float]], pt: float) -> list[dict]:
    """Characters (pdfplumber-like dicts, in points) of OCR boxes `(quad_px, text, score)`."""
    chars = []
    for quad, text, score in boxes:
        text = text.strip()
        if not text:
            continue
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        x0, x1, top, bottom = min(xs) * pt, max(xs) * pt, min(ys) * pt, max(ys) * pt
        weights = [1.0 if is_wide(t) else 0.55 for t in text]
        unit = (x1 - x0) / sum(weights)
        size = (bottom - top) * 0.8  # detection boxes are padded around the glyphs
        x = x0
        for t, w in zip(text, weights):
            chars.append({"text": t, "x0": x, "x1": x + w * unit, "top": top, "bottom": bottom,
                          "size": size, "score": float(score)})
            x += w * unit
    return chars


def page_layout(chars: list[dict], tables: list[PdfTable], number: int, height: float) -> Page:
    """A `pdf.Page` from OCR characters and the page's ruled tables (cells filled here)."""
    rest = []
    for ch in chars:
        mx, my = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        cell = next((c for t in tables for c in t.cells
                     if c.x0 <= mx <= c.x1 and c.top <= my <= c.bottom), None)
        (cell.chars if cell is not None else rest).append(ch)
    for t in tables:
        for cell in t.cells:
            fill_cell(cell)
    lines = []
    for group in group_lines(rest):
        text = chars_text(group)
        if text.strip():
            sizes = sorted(c["size"] for c in group)
            lines.append(OcrLine(text, min(c["x0"] for c in group), max(c["x1"] for c in group),
                                 min(c["top"] for c in group), max(c["bottom"] for c in group),
                                 sizes[len(sizes) // 2], number, chars=group))
    return Page(number, lines, tables, height, has_images=False)


def fill_cell(cell: OcrCell) -> None:
    """The cell's text from its characters, line by line (chars kept in that order)."""
    rows = group_lines(cell.chars)
    cell.chars = [c for row in rows for c in row]
    cell.text = join_pieces(chars_text(row, tab_gap=None) for row in rows)


def char_scores(text: str, chars: list[dict]) -> list[float | None]:
    """The confidence of each character of `text`, walking `chars` in order (spaces: None).

    A character not found among `chars` gets the lowest score of them: never more confident
    than the engine was.
    """
    lowest = min((c["score"] for c in chars), default=0.0)
    out: list[float | None] = []
    i = 0
    for t in text:
        if t.isspace():
            out.append(None)
            continue
        j = i
        while j < len(chars) and chars[j]["text"] != t:
            j += 1
        if j < len(chars):
            out.append(chars[j]["score"])
            i = j + 1
        else:
            out.append(lowest)
    return out


def score_spans(start: int, scores: list[float | None]) -> list[tuple[int, int, float]]:
    """Runs of equal confidence as (start, end, score) text spans."""
    spans: list[tuple[int, int, float]] = []
    for k, s in enumerate(scores):
        if s is None:
            continue
        if spans and spans[-1][1] == start + k and spans[-1][2] == s:
            spans[-1] = (spans[-1][0], start + k + 1, s)
        else:
            spans.append((start + k, start + k + 1, s))
    return spans


def assemble_ocr(pages: list[Page], source: str, fmt: str,
                 settings: PdfSettings | None = None) -> Document:
    """The document of OCR'd pages (as `pdf.assemble`), with `ocr_spans` for its text."""
    settings = settings or PdfSettings()
    builder = DocumentBuilder(fmt, source)
    drop = furniture([p.lines for p in pages], [p.height for p in pages], settings.margin_band,
                     settings.repeat_share)
    items = reading_order(pages, drop, settings)
    # Tables without rules (a mixed PDF's text-layer pages): read as `pdf.assemble` reads them,
    # no value where no cell of the document proves its text drawn cell by cell.
    unruled = [x for x in items if isinstance(x, UnruledTable)]
    if not any(t.cellwise for t in unruled):
        for t in unruled:
            t.linewise = True
    margins = text_margins([x for x in items if isinstance(x, Line)])
    para: list[OcrLine] = []
    scored: list[tuple[int, int, list[dict]]] = []  # (start, end, chars) of each OCR'd text

    def flush():
        if para:
            text = para[0].text
            for line in para[1:]:
                text = join_lines(text, line.text)
            block = builder.add_paragraph(text, page=para[0].page)
            chars = [c for x in para if isinstance(x, OcrLine) for c in x.chars]
            if block is not None and chars:
                scored.append((block.start, block.end, chars))
            para.clear()

    for item in items:
        if isinstance(item, Line):
            if para and settings.join_wrapped_lines and continues(para[-1], item, margins):
                para.append(item)
                continue
            flush()
            para.append(item)
            continue
        flush()
        if isinstance(item, UnruledTable):
            add_unruled(builder, item)
            continue
        # grid() of a copy whose cell texts are their indices: which cell stands where.
        indexed = replace(item, cells=[replace(c, text=str(i)) for i, c in enumerate(item.cells)])
        at, merges, row_pages, cut = grid(indexed)
        if not at:
            continue
        rows = [[None if t is None else (item.cells[int(t)].text if t else "") for t in row]
                for row in at]
        block = builder.add_table(rows, page=item.page, spans=merges, pages=row_pages, cut=cut,
                                  clipped=item.clipped)
        for r, row in enumerate(at):
            for c, t in enumerate(row):
                if t and isinstance(item.cells[int(t)], OcrCell):  # an OCR'd cell's top-left
                    cell = block.table.rows[r][c]
                    scored.append((cell.start, cell.end, item.cells[int(t)].chars))
    flush()
    doc = builder.build()
    doc.ocr_spans = [span for start, end, chars in scored
                     for span in score_spans(start, char_scores(doc.text[start:end], chars))]
    return doc
