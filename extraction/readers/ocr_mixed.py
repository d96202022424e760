"""PDFs mixing text-layer pages and scans: a scanned page (an image, no text but page furniture)
among pages with text is read by OCR, in page order, into the same `Document`.

Offices often assemble a report from a typed body and a scanned, stamped page (the tables, or a
signature page). The text-layer pages are read as by the PDF reader; a page whose text layer
holds nothing but page numbers and running heads and that carries a page-sized image is
rendered and read as a scanned page (`ocr.read_pdf_page`). The record's first warning names
those pages, and each value read from them carries `ocr_score`. A PDF whose every page is a
scan is `ocr.read_scanned_pdf`'s; without the OCR engine installed the scanned pages are left
out, with the PDF reader's warning.
"""
from __future__ import annotations

from pathlib import Path

from ..document import Document
from ..errors import MissingTool
from ..limits import Limits
from .pdf import Page, PdfSettings, lost_text_warnings
from .pdf_text import furniture

PAGE_IMAGE_SHARE = 0.5  # an image covering this share of its page is a scan (not a logo)


def read_mixed_pdf(path: Path, pages: list[Page], limits: Limits,
                   settings: PdfSettings) -> Document | None:
    """The document of a PDF some of whose pages (not all) are scans; None if none is."""
    from . import ocr
    candidates = image_only_pages(pages, settings)
    if not candidates or len(candidates) == len(pages):
        return None
    try:
        ocr.engine()
    except MissingTool:
        return None  # the PDF reader warns that those pages' text is missing
    ocr_settings = ocr.OcrSettings()
    with ocr.rendered_pdf(path) as pdf:
        scans = [n for n in candidates if image_share(pdf, n) >= PAGE_IMAGE_SHARE]
        if not scans:
            return None
        read = {n: ocr.read_pdf_page(pdf, n, limits, ocr_settings) for n in scans}
    doc = ocr.finish([read.get(p.number, p) for p in pages], path, "pdf", ocr_settings)
    doc.warnings += lost_text_warnings(pages)  # the text-layer pages' losses
    return doc


def image_only_pages(pages: list[Page], settings: PdfSettings) -> list[int]:
    """Numbers of the pages holding images and no text but page furniture (as `pdf.assemble`
    finds them)."""
    drop = furniture([p.lines for p in pages], [p.height for p in pages], settings.margin_band,
                     settings.repeat_share)
    return [p.number for p in pages
            if p.has_images and not p.tables and all(id(x) in drop for x in p.lines)]


def image_share(pdf, number: int) -> float:
    """The share of page `number` of a pypdfium2 PDF covered by its largest image."""
    import pypdfium2.raw as pdfium_c
    page = pdf[number - 1]
    try:
        w, h = page.get_size()
        best = 0.0
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1):
            try:
                left, bottom, right, top = obj.get_bounds()
            except Exception:  # a damaged image object: not a scan
                continue
            best = max(best, (right - left) * (top - bottom) / (w * h))
        return best
    finally:
        page.close()
