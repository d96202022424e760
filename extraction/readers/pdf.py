"""PDFs with a text layer: paragraphs and ruled tables in reading order, with page numbers.

Per page: tables from ruling lines (`pdf_tables`), the remaining characters as lines
(`pdf_text`). Across pages: furniture (page numbers, running heads) dropped, a table continued
at the top of the next page joined to the one that ended the page before, and a paragraph's
wrapped lines joined (also across a page break). A scan (no text layer), an encrypted or a
damaged PDF raises an error a person can act on, and so does one past `Limits.max_pages` (pages
are taken one at a time, so a file lying about its page count is stopped there too) or one with
a stream inflating past `Limits.max_unzipped_mb` (`pdf_streams`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..document import Document, DocumentBuilder
from ..errors import EncryptedFile, ExtractionError, FileTooLarge, NoTextLayer, UnreadableFile
from ..limits import Limits
from .pdf_streams import check_streams
from .pdf_tables import PdfTable, can_join, find_tables, grid, in_any, join
from .pdf_text import Line, continues, furniture, join_lines, make_lines, text_margins
from .pdf_unruled import UnruledTable, find_unruled, join_unruled, table_rows, table_warnings
from .registry import reader


CID = re.compile(r"^\(cid:\d+\)$")


@dataclass(frozen=True)
class PdfSettings:
    background_min_size: float = 2.0  # unstroked fills thicker than this both ways are shading
    min_table_cols: int = 2            # a one-column "table" is a box around text
    join_tolerance: float = 4.0        # pt: column edges of two table parts that match
    margin_band: float = 0.1           # top/bottom share of a page where page numbers stand
    repeat_share: float = 0.5          # a line at one place on this share of pages is furniture
    join_wrapped_lines: bool = True    # rejoin the wrapped lines of a paragraph

    def __post_init__(self):
        if self.min_table_cols < 1:
            raise ValueError("PdfSettings.min_table_cols must be at least 1")
        if not 0 < self.margin_band < 0.5:
            raise ValueError("PdfSettings.margin_band must be in (0, 0.5)")
        if not 0 < self.repeat_share <= 1:
            raise ValueError("PdfSettings.repeat_share must be in (0, 1]")


@reader("pdf", suffixes=(".pdf",))
def read_pdf(path: Path, settings: PdfSettings | None = None,
             limits: Limits | None = None) -> Document:
    settings = settings or PdfSettings()
    limits = limits or Limits()
    check_streams(path, limits.max_unzipped_mb)
    max_pages = limits.max_pages
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException
    try:
        # The file is opened here, not by pdfplumber: its close() would build every page.
        with open(path, "rb") as stream:
            pdf = pdfplumber.open(stream)
            check_page_count(declared_pages(pdf), max_pages)
            pages = []
            for page in iter_pages(pdf, max_pages):
                pages.append(read_page(page, page.page_number, settings))
                page.close()  # frees the page's parsed objects: long PDFs stay small in memory
    except PdfminerException as e:
        cause = e.args[0] if e.args else e
        if isinstance(cause, ExtractionError):  # the time limit struck inside pdfminer
            raise cause
        raise _pdf_error(cause)
    except ExtractionError:
        raise
    except Exception as e:  # pdfminer raises many types for damaged files
        if type(e).__module__.startswith(("pdfminer", "pdfplumber")):
            raise _pdf_error(e)
        raise
    if any(p.has_images for p in pages):  # scanned pages among text pages: read by OCR
        from .ocr_mixed import read_mixed_pdf  # (lazily: the OCR reader builds on this one)
        if (doc := read_mixed_pdf(path, pages, limits, settings)) is not None:
            return doc
    return assemble(pages, str(path), settings)


def declared_pages(pdf) -> int | None:
    """The page count the document's page tree states (read without parsing any page)."""
    from pdfminer.pdftypes import resolve1
    try:
        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except Exception:  # a damaged page tree: pages are counted as they are read instead
        return None
    return count if isinstance(count, int) else None


def check_page_count(n: int | None, max_pages: int) -> None:
    if n is not None and n > max_pages:
        raise FileTooLarge(f"PDF has {n} pages (limit {max_pages}): longer than an annual report; "
                           "raise Limits.max_pages (XXGK_MAX_PAGES) to read it", "too_many_pages")


def iter_pages(pdf, max_pages: int):
    """pdfplumber pages one at a time (`pdf.pages` would build every page first)."""
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page
    doctop = 0.0
    for i, obj in enumerate(PDFPage.create_pages(pdf.doc)):
        if i >= max_pages:
            check_page_count(i + 1, max_pages)
        page = Page(pdf, obj, page_number=i + 1, initial_doctop=doctop)
        yield page
        doctop += page.height


def _pdf_error(e) -> Exception:
    name = type(e).__name__
    if name in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"):
        return EncryptedFile("encrypted PDF (password needed)")
    return UnreadableFile(f"damaged PDF: it cannot be parsed ({name}: {e}); re-download it, or "
                          "open and re-save it with a PDF viewer", "unreadable_pdf")


@dataclass
class Page:
    number: int
    lines: list[Line]
    tables: list  # PdfTable (ruled) and UnruledTable (cells rebuilt from drawing order)
    height: float
    has_images: bool
    unmapped: int = 0  # glyphs without a Unicode mapping, dropped
    outside: int = 0   # glyphs beyond the page's edges (clipped when printed), dropped


def read_page(page, number: int, settings: PdfSettings) -> Page:
    page = page.dedupe_chars()  # fake bold draws each character twice
    chars = [c for c in page.chars if c.get("text")]
    # A glyph whose font has no Unicode mapping comes out as "(cid:123)": not text.
    unmapped = sum(1 for c in chars if CID.match(c["text"]))
    if unmapped:
        chars = [c for c in chars if not CID.match(c["text"])]
    # An office suite prints a too-wide table as it is: glyphs past the page's edge are not on
    # the printed page (a viewer clips them) and may be cut; the cells they belonged to are cut.
    width, height = float(page.width), float(page.height)
    inside, beyond = [], []
    for c in chars:
        on_page = c["x0"] >= -1 and c["x1"] <= width + 1 and c["top"] >= -1 and c["bottom"] <= height + 1
        (inside if on_page else beyond).append(c)
    outside = len(beyond)
    tables = find_tables(page, number, inside, settings.min_table_cols, settings.background_min_size,
                         beyond)
    spilled = {id(ch) for t in tables for ch in t.spill}  # part of a cut cell, not a line
    rest = [c for c in inside if not in_any(c, tables) and id(c) not in spilled]
    unruled = find_unruled(rest, number, beyond)
    if unruled:
        taken = {id(ch) for t in unruled for ch in t.chars}
        rest = [c for c in rest if id(c) not in taken]
        tables = tables + unruled
    return Page(number, make_lines(rest, number), tables, height, bool(page.images),
                unmapped, outside)


def lost_text_warnings(pages: list[Page]) -> list[str]:
    """What the text layer lost: glyphs with no Unicode mapping, characters past the page's edge."""
    out = []
    unmapped = sum(p.unmapped for p in pages)
    if unmapped:
        out.append(f"{unmapped} glyphs have no Unicode mapping and are missing from the text "
                   f"(pages {', '.join(str(p.number) for p in pages if p.unmapped)})")
    outside = [p.number for p in pages if p.outside]
    if outside:
        out.append(f"{sum(p.outside for p in pages)} characters printed past the page's edge "
                   f"were dropped (pages {', '.join(map(str, outside))})")
    return out


def assemble(pages: list[Page], source: str, settings: PdfSettings) -> Document:
    builder = DocumentBuilder("pdf", source)
    if not any(p.lines or p.tables for p in pages):
        if any(p.unmapped for p in pages):
            raise NoTextLayer("no usable text layer: its fonts map no glyph to Unicode "
                              "(the text extracts as (cid:N) codes); OCR needed")
        raise NoTextLayer("no text layer: a scanned PDF, OCR needed")
    for warning in lost_text_warnings(pages):
        builder.warn(warning)
    drop = furniture([p.lines for p in pages], [p.height for p in pages], settings.margin_band,
                     settings.repeat_share)
    # A scan often carries a text page number or running head: text, but only furniture.
    bare = [p for p in pages if not p.tables and all(id(x) in drop for x in p.lines)]
    if len(bare) == len(pages):
        if any(p.has_images for p in pages):
            raise NoTextLayer("no text layer beyond page numbers and running heads: a scanned "
                              "PDF, OCR needed")
        builder.warn("every line looked like page furniture (repeated at one place on most "
                     "pages): all lines kept")
        drop, bare = set(), [p for p in pages if not p.tables and not p.lines]
    blank = [p.number for p in bare if p.has_images]
    if blank:
        builder.warn("pages that are images without a text layer (scanned?), their text is "
                     f"missing: {', '.join(map(str, blank))}")
    items = reading_order(pages, drop, settings)
    # Cells are told apart by the order their text was drawn in, cell by cell. Where no cell of
    # the document proves that order (a producer may draw line by line: a wrapped number's
    # rest would then stand as the next row's), no value of a table without rules is read.
    unruled = [x for x in items if isinstance(x, UnruledTable)]
    if not any(t.cellwise for t in unruled):
        for t in unruled:
            t.linewise = True
    margins = text_margins([x for x in items if isinstance(x, Line)])
    text, page, last = "", None, None  # the paragraph being joined, and its last line

    for item in items:
        if isinstance(item, Line) and last is not None and settings.join_wrapped_lines \
                and continues(last, item, margins):
            text, last = join_lines(text, item.text), item
            continue
        if last is not None:
            builder.add_paragraph(text, page=page)
            last = None
        if isinstance(item, Line):
            text, page, last = item.text, item.page, item
        elif isinstance(item, UnruledTable):
            add_unruled(builder, item)
        else:
            rows, spans, row_pages, cut = grid(item)
            if rows:
                builder.add_table(rows, page=item.page, spans=spans, pages=row_pages, cut=cut,
                                  clipped=item.clipped)
                if item.spill:
                    builder.warn(f"a table on page {item.page} is cut at its right edge (it is "
                                 "wider than the frame around it): its columns past the cut were "
                                 "not printed, their cells and those cut are not read")
                elif item.clipped:
                    builder.warn(f"a table on page {item.page} runs past the page's right edge: "
                                 "its columns there were not printed, their cells are not read")
    if last is not None:
        builder.add_paragraph(text, page=page)
    return builder.build()


def add_unruled(builder: DocumentBuilder, table: UnruledTable) -> None:
    rows, unknown = table_rows(table)
    # A row keeps the cells it printed (and empty ones only where its columns are proven): no
    # cell is made up.
    builder.add_table(rows, page=table.page, pages=table.row_pages, cut=unknown,
                      fill_short_rows=False, clipped=table.clipped)
    for message in table_warnings(table):
        builder.warn(message)


def reading_order(pages: list[Page], drop: set[int], settings: PdfSettings) -> list:
    """Lines and tables of all pages, top to bottom, continued tables joined."""
    items: list = []
    for page in pages:
        here = [x for x in page.lines if id(x) not in drop] + page.tables
        here.sort(key=lambda x: x.top)
        if (here and isinstance(here[0], PdfTable) and items and isinstance(items[-1], PdfTable)
                and can_join(items[-1], here[0], settings.join_tolerance)):
            items[-1] = join(items[-1], here.pop(0), settings.join_tolerance)
        elif (here and isinstance(here[0], UnruledTable) and items
              and isinstance(items[-1], UnruledTable) and items[-1].pages[-1] == page.number - 1):
            items[-1] = join_unruled(items[-1], here.pop(0))
        items += here
    return items
