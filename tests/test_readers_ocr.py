"""The OCR reader: scans of generated and real reports read back to the text-layer values
(exact, or null/flagged: never a silent wrong value), page images turned upright, layout from a
drawn table, confidence in the record, and hostile images refused with one error record each.

The scans are made here (tests/scans.py) from text-layer PDFs; the engine is the real one.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from extraction.limits import Limits
from extraction.pipeline import extract
from scans import (Degrade, degrade, many_page_tiff, png_header_bomb, render, scan_pdf,
                   scan_pngs, scan_tiff, truncated_jpeg)

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR engine: pip install 'xxgk[ocr]'")

SLOW = Limits(max_seconds=1800)  # a shared, loaded machine: OCR speed is not under test here


def compare(ref, ocr) -> dict:
    """Cells of the text-layer record read back from the scan: exact / missing / wrong, and the
    wrong ones that carry no flag (must be none)."""
    out = {"exact": [], "missing": [], "wrong": [], "silent": []}
    for key, value in ref.values.items():
        got = ocr.values.get(key, "absent")
        if got == value:
            out["exact"].append(key)
        elif got in (None, "absent"):
            out["missing"].append(key)
        else:
            out["wrong"].append(key)
            if not ocr.cells[key].ocr_flag:
                out["silent"].append((key, value, got, ocr.cells[key]))
    return out


@pytest.fixture(scope="module")
def synth_pdf(tmp_path_factory) -> Path:
    from extraction.synth import Layout, make_report
    folder = tmp_path_factory.mktemp("ocr_synth")
    return make_report(folder / "report", seed=11, fmt="pdf", layout=Layout(blank="—")).path


def test_scanned_generated_report_reads_back_exact_or_flagged(synth_pdf, tmp_path):
    scan = scan_pdf(synth_pdf, tmp_path / "scan.pdf", Degrade(dpi=200))
    ref, got = extract(synth_pdf), extract(scan, limits=SLOW)
    assert got.error is None, got.error
    assert got.warnings[0].startswith("text read by OCR")
    c = compare(ref, got)
    assert not c["silent"], c["silent"]
    # Its lone "—" blank marks and 0s are read from their shape: 200 / 200 measured here.
    assert len(c["exact"]) >= 0.95 * len(ref.values), c
    scored = [cell.ocr_score for cell in got.cells.values() if cell.ocr_score is not None]
    assert scored and all(0 <= s <= 1 for s in scored)
    assert '"ocr_score"' in json.dumps(got.to_json())


def test_real_report_pages_as_a_multipage_tiff(shared, tmp_path):
    """The table pages of a real text-layer PDF, scanned at 150 dpi, as one TIFF report."""
    pdf = shared / "corpus" / "reports" / "hongze_2024.pdf"
    scan = scan_tiff(pdf, tmp_path / "scan.tif", Degrade(dpi=150), pages=[2, 3])
    ref, got = extract(pdf), extract(scan, limits=SLOW)
    assert got.format == "tiff"
    ref.values = {k: v for k, v in ref.values.items() if not k.startswith("proactive.")}
    c = compare(ref, got)  # the scanned pages hold tables 3 and 4
    assert not c["silent"], c["silent"]
    assert len(c["exact"]) >= 165, c  # 175 / 176 measured (the 150-dpi pages read at 200 dpi)


def test_red_seal_over_a_table_is_dropped(synth_pdf, tmp_path):
    """A red seal stamped over table cells (a colour scan): its ink is turned to paper before
    reading, so the cells under it read as the text layer's."""
    from scans import red_seal
    pages = [degrade(im, Degrade(dpi=200), i) for i, im in enumerate(render(synth_pdf, 200))]
    at = [(0.78, 0.8)] + [(0.72, 0.15)] * (len(pages) - 1)  # over table 3's values
    pages = [red_seal(im, (round(im.width * x), round(im.height * y)), 160)
             for im, (x, y) in zip(pages, at)]
    path = tmp_path / "sealed.tif"
    pages[0].save(path, save_all=True, append_images=pages[1:], dpi=(200, 200),
                  compression="tiff_lzw")
    ref, got = extract(synth_pdf), extract(path, limits=SLOW)
    c = compare(ref, got)
    assert not c["silent"], c["silent"]
    assert len(c["exact"]) >= 0.95 * len(ref.values), c


@pytest.mark.parametrize("turn", [90, 180])
def test_turned_page_image_is_read_upright(synth_pdf, tmp_path, turn):
    upright = scan_pngs(synth_pdf, tmp_path / "up", Degrade(dpi=200, turn=0), pages=[0])[0]
    turned = scan_pngs(synth_pdf, tmp_path / "turned", Degrade(dpi=200, turn=turn), pages=[0])[0]
    a, b = extract(upright, limits=SLOW), extract(turned, limits=SLOW)
    assert a.values and a.values == b.values


FONTS = [f for f in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                     "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
                     "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc") if Path(f).exists()]


@pytest.mark.skipif(not FONTS, reason="no TrueType font to draw glyphs with")
@pytest.mark.parametrize("dpi", [150, 200, 300])
def test_lone_marks_read_from_their_shape(dpi):
    """A lone 0, slash or dash in a cell, drawn in real fonts and blurred like a scan, is read
    from its shape; other digits, letters and dots are not (None: left to the recognizer)."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont
    from extraction.readers.ocr_glyphs import ink_marks, lone_mark

    def cell(text, font):
        img = Image.new("L", (round(0.5 * dpi), round(0.25 * dpi)), 215)
        ImageDraw.Draw(img).text((6, img.height // 2), text, font=font, fill=40, anchor="lm")
        return np.asarray(img.filter(ImageFilter.GaussianBlur(0.6 * dpi / 200)))

    for path in FONTS:
        font = ImageFont.truetype(path, round(7.5 * dpi / 72))
        rows = np.nonzero((cell("8", font) < 170).any(axis=1))[0]
        height = rows[-1] - rows[0] + 1  # the digit height

        def read(text):
            grey = cell(text, font)
            return lone_mark(ink_marks(grey < 170, height), grey, height)
        assert [read(t) for t in ("0", "/", "-", "—", "——")] == ["0", "/", "-", "—", "—"], path
        for other in ("8", "6", "9", "1", "7", "4", ".", ",", "00", "10", "l", "D", "o"):
            assert read(other) is None, (path, other)


@pytest.mark.skipif(not FONTS, reason="no TrueType font to draw glyphs with")
def test_drawn_table_cells_read_by_shape_or_left_unread():
    """A ruled table drawn at 200 dpi: lone 0, / and — are read (from their shape, at a
    confidence that is not flagged), numbers by the recognizer, and a cell whose ink is no
    value or blank mark (■) is left unread (`cut`: null, never blank)."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont
    from extraction.readers.ocr import OcrSettings, read_page
    from extraction.ocr_confidence import LOW_SCORE
    font = ImageFont.truetype(FONTS[-1], round(10.5 * 200 / 72))
    texts = [["项目", "12", "0", "/"], ["合计", "—", "305", "■"], ["其他", "0", "7", "48"]]
    img = Image.new("L", (1654, 1200), 255)
    draw = ImageDraw.Draw(img)
    xs, ys = [150, 450, 650, 850, 1050], [300, 400, 500, 600]
    for y in ys:
        draw.line((xs[0], y, xs[-1], y), fill=0, width=3)
    for x in xs:
        draw.line((x, ys[0], x, ys[-1]), fill=0, width=3)
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            draw.text((xs[c] + 15, ys[r] + 50), text, font=font, fill=0, anchor="lm")
    draw.text((150, 200), "表一 本年度数据情况", font=font, fill=0)
    page = read_page(img.filter(ImageFilter.GaussianBlur(0.6)), 1, 200, OcrSettings())
    (table,) = page.tables
    cells = sorted(table.cells, key=lambda c: (round(c.top), c.x0))
    got = [[c.text for c in cells[r * 4:r * 4 + 4]] for r in range(3)]
    assert got == [["项目", "12", "0", "/"], ["合计", "—", "305", ""], ["其他", "0", "7", "48"]]
    assert [c.cut for c in cells] == [False] * 7 + [True] + [False] * 4
    for c in cells:
        if c.text in ("0", "/", "—"):
            assert min(ch["score"] for ch in c.chars) >= LOW_SCORE, c
    assert any("no value or blank mark" in n for n in page.notes), page.notes


def test_scanned_pdf_is_read_at_its_scans_resolution(synth_pdf, tmp_path):
    """A 300-dpi scan is not resampled to 200 (its dust would read as decimal points); a
    150-dpi scan is brought up to 200."""
    import pypdfium2 as pdfium
    from extraction.readers.ocr import OcrSettings, scan_dpi
    for dpi, expected in ((300, 300), (150, 200)):
        scan = scan_pdf(synth_pdf, tmp_path / f"scan{dpi}.pdf", Degrade(dpi=dpi), pages=[0])
        pdf = pdfium.PdfDocument(str(scan))
        assert scan_dpi(pdf[0], OcrSettings()) == pytest.approx(expected, abs=1)
        pdf.close()


def test_ruled_table_rebuilt_from_a_drawn_grid():
    """Rules drawn in an image become a 3 × 4 grid of cells (no OCR engine involved)."""
    from PIL import Image, ImageDraw
    from extraction.readers.ocr_layout import ruling_edges, table_cells
    img = Image.new("L", (1000, 700), 255)
    draw = ImageDraw.Draw(img)
    for y in (100, 200, 300, 400):
        draw.line((100, y, 900, y), fill=0, width=2)
    for x in (100, 300, 500, 700, 900):
        draw.line((x, 100, x, 400), fill=0, width=2)
    draw.text((150, 150), "12", fill=0)  # text is not a rule
    tables = table_cells(ruling_edges(np.asarray(img) < 170, 72 / 200, dpi=200), 1, 72 / 200)
    assert len(tables) == 1 and len(tables[0].cells) == 12


def test_each_character_keeps_its_box_confidence():
    from extraction.readers.ocr_layout import box_chars, char_scores, score_spans
    chars = box_chars([([[0, 0], [60, 0], [60, 20], [0, 20]], "共12条", 0.7),
                       ([[80, 0], [100, 0], [100, 20], [80, 20]], "0", 0.4)], 0.36)
    assert [c["text"] for c in chars] == list("共12条0")
    assert chars[1]["x1"] - chars[1]["x0"] < chars[0]["x1"] - chars[0]["x0"]  # a digit is narrow
    scores = char_scores("共12条 0", chars)
    assert scores == [0.7, 0.7, 0.7, 0.7, None, 0.4]
    assert score_spans(10, scores) == [(10, 14, 0.7), (15, 16, 0.4)]


def test_record_flags_low_confidence_and_failed_rule_cells():
    from extraction.document import Document
    from extraction.ocr_confidence import add_ocr_confidence
    from extraction.record import Record
    doc = Document("12\t7\t1.234", [], ocr_spans=[(0, 2, 0.99), (3, 4, 0.5), (5, 10, 0.98)])
    record = Record.from_json({
        "values": {"review.upheld": 12, "review.corrected": 7, "review.total": 1.234},
        "cells": {"review.upheld": {"raw": "12", "start": 0, "end": 2},
                  "review.corrected": {"raw": "7", "start": 3, "end": 4},
                  "review.total": {"raw": "1.234", "start": 5, "end": 10}},
        "checks": [{"rule": "sum", "key": "review.total", "ok": False, "left": 19, "right": 20,
                    "keys": ["review.upheld", "review.total"]}],
        "figures": [], "warnings": []})
    add_ocr_confidence(record, doc)
    cells = record.cells
    assert cells["review.corrected"].ocr_flag == "low confidence"
    assert cells["review.upheld"].ocr_flag == "in a failed rule"
    assert cells["review.total"].ocr_flag.startswith("separator")
    assert cells["review.total"].ocr_score == 0.98
    assert "3 values to check" in record.warnings[0]
    assert record.to_json()["cells"]["review.corrected"]["ocr_score"] == 0.5
    plain = Record.from_json({"cells": {"k": {"raw": "1", "start": 0, "end": 1}}, "warnings": []})
    add_ocr_confidence(plain, Document("1", []))  # not a scan: the record is unchanged
    assert "ocr_score" not in plain.to_json()["cells"]["k"]
    assert plain.warnings == []


def test_values_in_a_row_with_an_unread_scanned_cell_are_flagged():
    """A row printed 0 1 0 whose first cell was left unread read its 1 as the first value
    (150-dpi bench): a value read beside an unread cell of a scanned page is flagged."""
    from extraction.document import Block, Document
    from extraction.ocr_confidence import add_ocr_confidence
    from extraction.record import Record
    doc = Document("\t1\t\n0\t0\t14", [Block("paragraph", 0, 13, page=2)],
                   ocr_spans=[(1, 2, 0.97), (4, 5, 0.98), (6, 7, 0.98), (8, 10, 0.98)])
    row = "proactive.normative_docs"

    def cell(raw, start, end, status):
        return {"raw": raw, "start": start, "end": end, "page": 2, "status": status}

    record = Record.from_json({
        "values": {f"{row}.new_made": 1, f"{row}.new_public": None, f"{row}.total": None,
                   "proactive.rules.new_made": 0, "proactive.rules.total": 14},
        "cells": {f"{row}.new_made": cell("1", 1, 2, "read"),
                  f"{row}.new_public": cell("", 0, 0, "not_read"),
                  f"{row}.total": cell("", 3, 3, "not_read"),
                  "proactive.rules.new_made": cell("0", 4, 5, "read"),
                  "proactive.rules.total": cell("14", 8, 10, "read")},
        "checks": [], "figures": [], "warnings": []})
    add_ocr_confidence(record, doc)
    assert record.cells[f"{row}.new_made"].ocr_flag == "in a row with an unread cell"
    assert record.cells["proactive.rules.new_made"].ocr_flag is None
    assert record.cells["proactive.rules.total"].ocr_flag is None


def test_a_change_read_without_a_sign_is_flagged():
    """The engine drops a thin minus sign with confidence: a positive change from a scan is
    checked, a negative one (its sign read) is not."""
    from extraction.document import Block, Document
    from extraction.ocr_confidence import add_ocr_confidence
    from extraction.record import Record
    doc = Document("6\t-3", [Block("paragraph", 0, 4, page=1)],
                   ocr_spans=[(0, 1, 0.99), (2, 4, 0.99)])
    record = Record.from_json({
        "values": {"proactive.penalty.change": 6, "proactive.licensing.change": -3},
        "cells": {"proactive.penalty.change": {"raw": "6", "start": 0, "end": 1, "status": "read"},
                  "proactive.licensing.change": {"raw": "-3", "start": 2, "end": 4,
                                                 "status": "read"}},
        "checks": [], "figures": [], "warnings": []})
    add_ocr_confidence(record, doc)
    assert record.cells["proactive.penalty.change"].ocr_flag.startswith("a change read without")
    assert record.cells["proactive.licensing.change"].ocr_flag is None


@pytest.mark.parametrize("make, kind", [
    (lambda p: png_header_bomb(p / "bomb.png"), "image_too_large"),
    (lambda p: truncated_jpeg(p / "cut.jpg"), "unreadable_image"),
    (lambda p: many_page_tiff(p / "many.tif"), "too_many_pages"),
])
def test_hostile_images_give_one_error_record(tmp_path, make, kind):
    path = make(tmp_path)
    record = extract(path)
    assert record.error is not None and record.error.type == kind, record
    assert record.source == str(path)


def test_image_only_pdf_of_blank_pages_says_no_text(tmp_path):
    """A scan with nothing written on it: read by OCR, which finds nothing: one clear error."""
    from PIL import Image
    path = tmp_path / "blank.pdf"
    Image.new("L", (1240, 1754), 255).save(path, "PDF", resolution=150)
    record = extract(path, limits=SLOW)
    assert record.error.type == "no_text_layer"
    assert "OCR found none" in record.error.message
