"""The OCR engine's confidence in a record: `ocr_score` on every OCR'd cell and figure, and the
few values a person should check against the scan flagged (`ocr_flag`, warnings, review page).

A value is flagged when the engine read it with low confidence, when the tables' rules inferred
it (cells lost or run together in the scan), when it looks like a
thousands separator read as a decimal point (or back), or when it is one of the cells of a
template rule that fails in an OCR'd report (a misread digit shows up as a broken sum).
Nothing is corrected: a flagged value is the engine's reading, to be checked.
"""
from __future__ import annotations

import bisect
import re

from .document import Document

LOW_SCORE = 0.9  # below this the engine's reading of a value is flagged
LISTED = 40      # flagged values named one by one in the warning; past that, a count
# The template's one column whose values may be negative (template.py: 本年增/减). The engine drops
# a thin minus sign with confidence (150-dpi benches: -6 read 6 at 0.95-0.99), so every positive
# change read from a scan is checked.
SIGNED = ".change"
# "13.777": a thousands separator read as a decimal point, or the other way round.
SEPARATOR = re.compile(r"\d[.,，]\d{3}(?!\d)")


def span_score(spans: list[tuple[int, int, float]], start, end) -> float | None:
    """The lowest confidence of the OCR'd characters in text[start:end] (None: none OCR'd)."""
    if start is None or end is None:
        return None
    scores = [s for a, b, s in spans if a < end and b > start]
    return round(min(scores), 3) if scores else None


def scanned_pages(doc: Document) -> set[int | None]:
    """The pages whose text was read by OCR (a PDF may mix text-layer pages and scans): those of
    the paragraphs and table cells holding OCR'd text (`ocr_spans`: in text order, apart)."""
    spans = doc.ocr_spans
    starts = [a for a, _, _ in spans]

    def scored(start: int, end: int) -> bool:
        i = bisect.bisect_left(starts, end)  # the spans starting before `end`
        return i > 0 and spans[i - 1][1] > start

    pieces = [(b.start, b.end, b.page) for b in doc.paragraphs]
    pieces += [(c.start, c.end, c.page or b.page) for b in doc.blocks if b.table
               for row in b.table.rows for c in row]
    return {page for start, end, page in pieces if scored(start, end)}


def row_of(key: str) -> str:
    """The row of a template key (`table.row.column`)."""
    return key.rsplit(".", 1)[0]


def add_ocr_confidence(record, doc: Document, low: float = LOW_SCORE) -> None:
    """Score and flag the cells and figures of a `Record` whose document was read by OCR."""
    spans = doc.ocr_spans
    if not spans:
        return
    from .review.involved import check_keys
    values = record.values or {}
    in_failed = {k for c in record.checks or [] if c.ok is False for k in check_keys(c, values)}
    scanned = scanned_pages(doc)
    cells = record.cells or {}
    # Rows of a scanned table with a cell left unread: the others' places in the row were
    # matched around it, and may have shifted (150-dpi bench: a row's first value unread, the
    # second taken for the first).
    unread_rows = {row_of(k) for k, c in cells.items()
                   if c.status == "not_read" and (c.page is None or c.page in scanned)}
    flagged = []
    for key, cell in cells.items():
        cell.ocr_score = span_score(spans, cell.start, cell.end)
        if cell.inferred and (cell.page is None or cell.page in scanned):
            # the scan gave no reading of this cell that the rules could use
            cell.ocr_flag = "inferred: not read from the scan"
            flagged.append(f"{key}={cell.raw!r} (inferred)")
            continue
        if cell.ocr_score is None:
            continue
        if cell.ocr_score < low:
            cell.ocr_flag = "low confidence"
        elif SEPARATOR.search(cell.raw or ""):
            cell.ocr_flag = "separator: thousands or decimal?"
        elif key in in_failed:
            cell.ocr_flag = "in a failed rule"
        elif row_of(key) in unread_rows and cell.status == "read":
            cell.ocr_flag = "in a row with an unread cell"
        elif key.endswith(SIGNED) and (values.get(key) or 0) > 0 and cell.status == "read":
            cell.ocr_flag = "a change read without a sign: minus lost?"
        if cell.ocr_flag:
            flagged.append(f"{key}={cell.raw!r} ({cell.ocr_flag}, ocr_score {cell.ocr_score:.2f}"
                           f"{', page ' + str(cell.page) if cell.page else ''})")
    for fig in record.figures or []:
        fig.ocr_score = span_score(spans, fig.start, fig.end)
        if fig.ocr_score is not None and fig.ocr_score < low:
            fig.ocr_flag = "low confidence"
            flagged.append(f"figure {fig.qty!r} (low confidence, ocr_score {fig.ocr_score:.2f})")
    if flagged:
        shown = "; ".join(flagged[:LISTED]) + (f"; and {len(flagged) - LISTED} more"
                                               if len(flagged) > LISTED else "")
        record.warnings.append(f"OCR: {len(flagged)} values to check against the scan "
                               f"(ocr_score below {low}, a doubtful separator, in a failed rule "
                               f"or beside an unread cell, a change without a sign): {shown}")
