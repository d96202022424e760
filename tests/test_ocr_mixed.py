"""PDFs mixing text-layer pages and scans: the scanned page is read by OCR, in page order, into
the same document, and the record says which page came from OCR.

The mixed PDF is built with real libraries: a generated report's first page (reportlab, text
layer), its second page as a degraded scan (an image-only page: tests/scans.py), and a closing
page written with reportlab; pypdfium2 puts the three pages into one file.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from extraction.limits import Limits
from extraction.ocr_confidence import scanned_pages
from extraction.pipeline import extract
from extraction.readers import read
from scans import Degrade, scan_pdf

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR engine: pip install 'xxgk[ocr]'")

SLOW = Limits(max_seconds=1800)  # a shared, loaded machine: OCR speed is not under test here
CLOSING = "本报告由虚构市数据局编制，如有疑问请联系办公室。"


def text_page(path: Path, lines: list[str], image: Path | None = None) -> Path:
    """A one-page reportlab PDF with a text layer (and a small picture, a logo, if given)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("STSong-Light", 12)
    for i, line in enumerate(lines):
        c.drawString(72, A4[1] - 100 - 20 * i, line)
    if image is not None:
        c.drawImage(str(image), 72, 72, width=72, height=36)
    c.save()
    return path


def joined(out: Path, parts: list[tuple[Path, int]]) -> Path:
    """One PDF of the given (file, 0-based page) parts, in order (pypdfium2)."""
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument.new()
    sources = []
    for path, page in parts:
        src = pdfium.PdfDocument(str(path))
        sources.append(src)
        doc.import_pages(src, [page])
    doc.save(str(out))
    for src in sources + [doc]:
        src.close()
    return out


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from extraction.synth import Layout, make_report
    folder = tmp_path_factory.mktemp("ocr_mixed")
    pdf = make_report(folder / "report", seed=11, fmt="pdf", layout=Layout(blank="—")).path
    scan = scan_pdf(pdf, folder / "page2-scan.pdf", Degrade(dpi=200), pages=[1])
    closing = text_page(folder / "closing.pdf", [CLOSING])
    mixed = joined(folder / "mixed.pdf", [(pdf, 0), (scan, 0), (closing, 0)])
    return pdf, mixed


def test_scanned_page_among_text_pages_is_read_by_ocr_in_page_order(report):
    pdf, mixed = report
    ref, got = extract(pdf), extract(mixed, limits=SLOW)
    assert got.error is None, got.error
    assert got.warnings[0].startswith("scanned pages (images without a text layer) 2 of 3: "
                                      "their text read by OCR"), got.warnings[0]
    text_cells = [k for k, c in ref.cells.items() if c.page == 1]
    scan_cells = [k for k, c in ref.cells.items() if c.page == 2]
    assert len(text_cells) > 50 and len(scan_cells) > 50
    # The text layer's values as printed, not scored; the scan's exact or flagged, scored.
    assert all(got.values[k] == ref.values[k] and got.cells[k].ocr_score is None
               for k in text_cells)
    assert all(got.cells[k].ocr_score is not None for k in scan_cells if k in got.cells)
    exact = [k for k in scan_cells if got.values.get(k, "absent") == ref.values[k]]
    silent = [k for k in scan_cells if got.values.get(k) not in (None, ref.values[k])
              and not got.cells[k].ocr_flag]
    assert not silent, silent
    assert len(exact) >= 0.95 * len(scan_cells), (len(exact), len(scan_cells))


def test_mixed_document_keeps_page_order(report):
    _, mixed = report
    doc = read(mixed, SLOW)
    pages = [b.page for b in doc.blocks]
    assert pages == sorted(pages) and set(pages) == {1, 2, 3}
    closing = doc.text.index(CLOSING)
    assert all(b.start < closing for b in doc.blocks if b.page == 2)
    # Only the scanned page's text carries the engine's confidence (a table continued from
    # page 1 onto the scan is one table: its cells say their page).
    layer = [(b.start, b.end) for b in doc.paragraphs if b.page != 2]
    layer += [(c.start, c.end) for t in doc.tables for row in t.rows for c in row if c.page != 2]
    assert doc.ocr_spans and scanned_pages(doc) == {2}
    assert not [(a, e) for a, e, _ in doc.ocr_spans for s, t in layer if a < t and s < e]


def test_scanned_page_after_a_page_with_an_unruled_table(tmp_path):
    """A text page whose table has no rules (read by the PDF reader's unruled tables), then a
    scanned page: each read as its kind."""
    from extraction.synth import Layout, make_report
    unruled = make_report(tmp_path / "unruled", seed=12, fmt="pdf", layout=Layout(unruled=True))
    ruled = make_report(tmp_path / "ruled", seed=11, fmt="pdf", layout=Layout(blank="—")).path
    scan = scan_pdf(ruled, tmp_path / "scan.pdf", Degrade(dpi=200), pages=[1])
    mixed = joined(tmp_path / "mixed.pdf", [(unruled.path, 0), (scan, 0)])
    ref, got = extract(unruled.path), extract(mixed, limits=SLOW)
    assert got.error is None, got.error
    assert got.warnings[0].startswith("scanned pages (images without a text layer) 2 of 2")
    first = [k for k, c in ref.cells.items() if c.page == 1 and c.status != "not_read"]
    assert first and all(got.values[k] == ref.values[k] and got.cells[k].ocr_score is None
                         for k in first)


def test_text_page_with_a_logo_is_not_read_by_ocr(tmp_path):
    """A page with text and a small picture is a text page; so is a page holding only a logo
    (and no text): no page-sized image, no OCR."""
    from PIL import Image
    logo = tmp_path / "logo.png"
    Image.new("RGB", (200, 100), (200, 30, 30)).save(logo)
    first = text_page(tmp_path / "a.pdf", ["一、总体情况", "本机关依法公开政府信息。"], logo)
    second = text_page(tmp_path / "b.pdf", [], logo)
    doc = read(joined(tmp_path / "logo.pdf", [(first, 0), (second, 0)]), SLOW)
    assert doc.format == "pdf" and not doc.ocr_spans
    assert "本机关依法公开政府信息。" in doc.text
    assert not any("OCR" in w for w in doc.warnings)
