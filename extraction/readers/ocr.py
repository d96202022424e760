"""Scanned reports: image-only PDFs and page images (PNG, JPEG, TIFF) read by bundled OCR.

The engine is RapidOCR (`rapidocr-onnxruntime`: PP-OCRv4 Chinese detection and recognition
models shipped in its wheel, run by onnxruntime): nothing is downloaded. Per page:

1. the page image, grey: a PDF page rendered at `OcrSettings.dpi`; an image file scaled down to
   at most 300 dpi (its size is checked from the header first: decompression bombs are refused);
2. turned upright (a page whose text runs sideways, or upside down) and deskewed
   (projection profile);
3. text boxes detected and read (none dropped for a low score); table rules found in the image,
   cells filled with the characters inside them; doubtful value cells (empty but inked, letters
   among digits, low confidence, ink outside the read box) read again from their own crop
   (`reread_cells`): a disagreeing second look keeps the first reading and says so;
4. `ocr_layout` builds the `Document`; every OCR'd character keeps the engine's confidence
   (`Document.ocr_spans`), which the record turns into `ocr_score` and warnings.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..document import Document
from ..errors import ExtractionError, FileTooLarge, MissingTool, NoTextLayer, UnreadableFile
from ..limits import Limits
from ..ocr_confidence import LOW_SCORE
from ..tables.values import BLANK_MARKS
from .cjk import is_wide
from .ocr_layout import OcrCell, box_chars, page_layout, ruling_edges, table_cells, assemble_ocr
from .pdf import Page, check_page_count
from .registry import reader

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
ENGINE = "RapidOCR PP-OCRv4 (rapidocr-onnxruntime)"
INSTALL = "pip install 'xxgk[ocr]' (rapidocr-onnxruntime)"


@dataclass(frozen=True)
class OcrSettings:
    dpi: int = 200               # PDF pages are rendered at this resolution
    max_dpi: int = 300           # larger images are scaled down to this (speed, same accuracy)
    min_dpi: int = 140           # below this an image is read but the record warns
    ink: int = 170               # grey level below which a pixel is ink (rules, empty cells)
    max_skew: float = 5.0        # degrees searched for deskewing


def run(fn, *args, **kwargs):
    """Call the engine; the time limit striking inside it (re-raised by the engine wrapped in
    its own error) comes out as itself."""
    try:
        return fn(*args, **kwargs)
    except Exception as e:
        cause = e
        while cause is not None and not isinstance(cause, ExtractionError):
            cause = cause.__cause__ or cause.__context__
        if cause is not None and cause is not e:
            raise cause
        raise


@lru_cache(maxsize=1)
def engine():
    """The OCR engine, loaded once per process (~1 s)."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        raise MissingTool(f"reading scans needs the OCR engine: {INSTALL}")
    threads = int(os.environ.get("XXGK_THREADS", "0") or 0) or -1
    return RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1)


def read_scanned_pdf(path: Path, limits: Limits | None = None,
                     settings: OcrSettings | None = None) -> Document:
    """An image-only PDF, every page rendered and read by OCR."""
    import pypdfium2 as pdfium
    limits, settings = limits or Limits(), settings or OcrSettings()
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        raise UnreadableFile(f"damaged PDF: it cannot be rendered ({e})", "unreadable_pdf")
    try:
        check_page_count(len(pdf), limits.max_pages)
        pages = []
        for i in range(len(pdf)):
            page = pdf[i]
            w, h = page.get_size()
            scale = settings.dpi / 72
            check_pixels(w * scale, h * scale, limits, f"page {i + 1}")
            img = page.render(scale=scale, grayscale=True).to_pil().convert("L")
            page.close()
            pages.append(read_page(img, i + 1, settings.dpi, settings))
    finally:
        pdf.close()
    return finish(pages, path, "pdf", settings)


@reader("image", suffixes=IMAGE_EXTENSIONS)
def read_image(path: Path, limits: Limits | None = None,
               settings: OcrSettings | None = None) -> Document:
    """A page image, or a multi-page TIFF (one report, a page a frame)."""
    from PIL import Image
    limits, settings = limits or Limits(), settings or OcrSettings()
    try:
        img = Image.open(path)
    except Image.DecompressionBombError as e:
        raise FileTooLarge(f"image refused as a decompression bomb: {e}", "image_too_large")
    except (OSError, SyntaxError, ValueError) as e:
        raise UnreadableFile(f"damaged or unknown image: {path.name} ({e})", "unreadable_image")
    fmt = (img.format or path.suffix.lstrip(".")).lower()
    pages = []
    with img:
        check_page_count(count_frames(img, limits.max_pages), limits.max_pages)
        for number in range(1, getattr(img, "n_frames", 1) + 1):
            img.seek(number - 1)
            check_pixels(*img.size, limits, f"page {number}")
            try:
                page = img.convert("L")
            except (OSError, SyntaxError, ValueError) as e:
                raise UnreadableFile(f"damaged image: {path.name} page {number} cannot be decoded "
                                     f"({e}); re-download or re-scan it", "unreadable_image")
            dpi = image_dpi(page, img.info.get("dpi"))
            if dpi > settings.max_dpi:
                page = page.resize((round(page.width * settings.max_dpi / dpi),
                                    round(page.height * settings.max_dpi / dpi)), Image.LANCZOS)
                dpi = settings.max_dpi
            pages.append(read_page(page, number, dpi, settings))
    doc = finish(pages, path, fmt, settings)
    low = [p.number for p in pages if p.dpi < settings.min_dpi]
    if low:
        doc.warnings.append(f"low-resolution scan (under {settings.min_dpi} dpi) on pages "
                            f"{', '.join(map(str, low))}: more values may be flagged or missing")
    return doc


def count_frames(img, max_pages: int) -> int:
    """Frames of a (multi-page) image, counted up to one past the limit: stepping through the
    frame headers only, no frame is decoded."""
    n = 1
    try:
        while n <= max_pages:
            img.seek(n)
            n += 1
    except EOFError:
        pass
    except (OSError, SyntaxError, ValueError) as e:
        raise UnreadableFile(f"damaged image: its page {n + 1} cannot be found ({e})",
                             "unreadable_image")
    img.seek(0)
    return n


def check_pixels(w: float, h: float, limits: Limits, where: str) -> None:
    if w * h > limits.max_image_pixels:
        raise FileTooLarge(f"{where} is {w:,.0f} × {h:,.0f} pixels (limit "
                           f"{limits.max_image_pixels:,}): refused as a decompression bomb; a "
                           "page scanned at 300 dpi has 9 million", "image_too_large")


def image_dpi(img, stated) -> float:
    """The image's resolution: as stated where plausible, else from its width as an A4 page."""
    try:
        dpi = float(stated[0]) if stated else 0.0
    except (TypeError, ValueError, IndexError):
        dpi = 0.0
    if 100 <= dpi <= 1200 and 5 <= min(img.size) / dpi <= 20:  # 5-20 inches: a page
        return dpi
    return min(img.size) / 8.27


@dataclass
class OcrPage(Page):
    dpi: float = 200.0
    notes: list = field(default_factory=list)  # warnings about this page's reading


def read_page(img, number: int, dpi: float, settings: OcrSettings) -> OcrPage:
    """One page image (grey PIL) -> lines and tables in points, each character scored."""
    from PIL import Image
    img = level(despeckle(img), settings)
    boxes = detect_and_read(img)
    if upside_down(img, boxes):
        img = img.transpose(Image.Transpose.ROTATE_180)
        boxes = detect_and_read(img)
    arr = np.asarray(img)
    pt = 72.0 / dpi
    ink = arr < settings.ink
    tables = table_cells(ruling_edges(ink, pt, dpi=dpi), number, pt)
    page = page_layout(box_chars(boxes, pt), tables, number, arr.shape[0] * pt)
    notes = reread_cells(page, arr, ink, pt)
    return OcrPage(page.number, page.lines, page.tables, page.height, False, dpi=dpi, notes=notes)


def detect_and_read(img) -> list[tuple[list, str, float]]:
    """(quad, text, score) of every text box; none dropped for a low score (they are flagged)."""
    result, _ = run(engine(), rgb(np.asarray(img)), use_cls=False, text_score=0.0)
    return [(quad, text, float(score)) for quad, text, score in (result or [])]


def rgb(grey: np.ndarray) -> np.ndarray:
    return np.repeat(grey[:, :, None], 3, axis=2)


# Letters the engine reads for digits in a lone number (O for 0, l for 1); a table cell read as
# digits and these is read again with its decoding restricted to digits.
DIGIT_LOOKALIKES = set("OoDQlI|ＯｏＩｌ〇口")
NUMBER_CHARS = "0123456789.,%"
# What a value cell may hold: a number, or a blank mark (tables.values.BLANK_MARKS).
VALUE_CHARS = NUMBER_CHARS + "".join(sorted(set("".join(BLANK_MARKS)) - {"无", "…"}))


def reread_cells(page: Page, arr: np.ndarray, ink: np.ndarray, pt: float) -> list[str]:
    """Read table cells again, each from its own crop of the page:

    - a cell that got no text but holds ink (the detector misses lone digits): read as is;
    - a number read with letters among its digits ("1O"): read as digits only, and said so;
    - a number read with low confidence: read as digits only; the same reading raises the
      confidence to the second look's, a different one keeps the first reading, at the lower
      confidence, and the warning gives both.
    Returns the warnings.
    """
    todo: dict[str, list[tuple[OcrCell, tuple]]] = {"empty": [], "letters": [], "unsure": []}
    for table in page.tables:
        for cell in table.cells:
            kind = reread_kind(cell, ink, pt)
            box = ink_box(cell.bbox_px, ink) if kind and cell.bbox_px else None
            if box is not None:
                todo[kind].append((cell, box))
    notes, letters, disagree = [], [], []
    for kind, cells in todo.items():
        if not cells:
            continue
        crops = [rgb(crop_padded(arr, box)) for _, box in cells]
        results = run(engine().text_rec, crops)[0]
        if kind == "empty":  # a value (number or blank mark), a label, or left empty
            values = read_digits(crops, VALUE_CHARS)
            results = [r if has_text(r[0]) else v if v[1] >= 0.5 else ("", 0.0)
                       for r, v in zip(results, values)]
        else:
            results = read_digits(crops, NUMBER_CHARS if kind == "letters" else VALUE_CHARS)
        for (cell, (bx0, by0, bx1, by1)), (text, score) in zip(cells, results):
            old = cell.text.replace(" ", "")
            old_score = min((c["score"] for c in cell.chars), default=0.0)
            if kind == "letters":
                letters.append(f"{cell.text!r} as {text!r} ({score:.2f})")
            elif kind == "unsure":
                if text != old:
                    disagree.append(f"{old!r} ({old_score:.2f}) or {text!r} ({score:.2f})")
                    text, score = old, min(score, old_score)
                else:
                    score = max(score, old_score)
            quad = [[bx0, by0], [bx1, by0], [bx1, by1], [bx0, by1]]
            cell.chars = box_chars([(quad, text, score)], pt)
            cell.text = "".join(c["text"] for c in cell.chars)
    if letters:
        notes.append(f"page {page.number}: table cells read as letters among digits, read "
                     f"again as digits only: {', '.join(letters)}")
    if disagree:
        notes.append(f"page {page.number}: table cells read differently at a second look (the "
                     f"first reading kept, flagged): {', '.join(disagree)}")
    return notes


def has_text(s: str) -> bool:
    """Chinese text (not a lone symbol the engine makes of a stroke, like ■)."""
    return any(is_wide(t) and t not in "■□▲△●○" for t in s)


def reread_kind(cell: OcrCell, ink: np.ndarray, pt: float) -> str | None:
    """Why a table cell is read again from its own crop, or None."""
    text = cell.text.replace(" ", "")
    if not text:
        return "empty"
    if len(text) > 12 or not all(t.isdigit() or t in DIGIT_LOOKALIKES or t in VALUE_CHARS
                                 for t in text):
        return None  # text, not a number
    if any(t in DIGIT_LOOKALIKES for t in text):
        return "letters"
    if min(c["score"] for c in cell.chars) < LOW_SCORE or ink_outside_boxes(cell, ink, pt):
        return "unsure"  # or a sign or digit the detector left out of its box
    return None


def ink_outside_boxes(cell: OcrCell, ink: np.ndarray, pt: float) -> bool:
    """Does a number cell hold ink left or right of the text the engine read in it?"""
    box = ink_box(cell.bbox_px, ink) if cell.bbox_px else None
    if box is None or not cell.chars:
        return False
    x0 = min(c["x0"] for c in cell.chars) / pt
    x1 = max(c["x1"] for c in cell.chars) / pt
    h = max(c["bottom"] - c["top"] for c in cell.chars) / pt
    return box[0] < x0 - 0.25 * h or box[2] > x1 + 0.25 * h


def ink_box(bbox_px: tuple, ink: np.ndarray) -> tuple | None:
    """The bounding box of the ink inside a cell (its rules excluded), or None if blank."""
    x0, y0, x1, y1 = (round(v) for v in bbox_px)
    inset = max(4, min(x1 - x0, y1 - y0) // 8)
    sub = ink[y0 + inset:y1 - inset, x0 + inset:x1 - inset]
    if sub.size == 0 or sub.sum() < 12:
        return None
    ys, xs = np.nonzero(sub)
    return (x0 + inset + xs.min(), y0 + inset + ys.min(),
            x0 + inset + xs.max() + 1, y0 + inset + ys.max() + 1)


def crop_padded(arr: np.ndarray, box: tuple) -> np.ndarray:
    bx0, by0, bx1, by1 = box
    pad = max(6, (by1 - by0) // 2)
    crop = np.full((by1 - by0 + 2 * pad, bx1 - bx0 + 2 * pad), 255, dtype=np.uint8)
    crop[pad:pad + by1 - by0, pad:pad + bx1 - bx0] = arr[by0:by1, bx0:bx1]
    return crop


def read_digits(crops: list[np.ndarray], chars: str = NUMBER_CHARS) -> list[tuple[str, float]]:
    """The recognizer's best reading of each crop among `chars` only (digits and number
    punctuation: CTC greedy decoding over those classes), with the mean probability of what it
    kept."""
    rec = engine().text_rec
    classes = rec.postprocess_op.character
    allowed = np.array([0] + [i for i, c in enumerate(classes) if c in chars])
    _, height, width = rec.rec_image_shape
    out = []
    for at in range(0, len(crops), 8):
        batch = crops[at:at + 8]
        ratio = max([width / height] + [c.shape[1] / c.shape[0] for c in batch])
        norm = np.concatenate([rec.resize_norm_img(c, ratio)[np.newaxis] for c in batch])
        for probs in run(rec.session, norm.astype(np.float32))[0]:
            probs = probs[:, allowed]
            best = probs.argmax(axis=1)
            kept = [t for t in range(len(best)) if best[t] and (t == 0 or best[t] != best[t - 1])]
            text = "".join(classes[allowed[best[t]]] for t in kept)
            score = float(np.mean([probs[t, best[t]] for t in kept])) if kept else 0.0
            out.append((text, score))
    return out


def despeckle(img, share: float = 0.0005):
    """The page with isolated dust removed (a 3×3 median) when it has that kind of noise: a
    speck beside a number reads as a decimal point."""
    from PIL import ImageFilter
    clean = img.filter(ImageFilter.MedianFilter(3))
    specks = np.count_nonzero(np.abs(np.asarray(img, dtype=np.int16) - np.asarray(clean)) > 80)
    return clean if specks > share * img.width * img.height else img


def level(img, settings: OcrSettings):
    """The page turned so its text lines run across (not down) the page, and deskewed."""
    from PIL import Image
    small = img.reduce(4) if min(img.size) > 800 else img
    angle, sharp = best_skew(small, settings)
    angle_t, sharp_t = best_skew(small.transpose(Image.Transpose.ROTATE_90), settings)
    if sharp_t > 1.5 * sharp:  # lines run down the page: turned by a quarter
        img, angle = img.transpose(Image.Transpose.ROTATE_90), angle_t
    if abs(angle) >= 0.1:
        img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    return img


def best_skew(small, settings: OcrSettings) -> tuple[float, float]:
    """(angle, sharpness): the rotation whose row profile of ink is sharpest (text lines level)."""
    from PIL import Image

    def sharpness(a: float) -> float:
        rot = small.rotate(a, resample=Image.BILINEAR, fillcolor=255) if a else small
        profile = (np.asarray(rot) < settings.ink).sum(axis=1).astype(np.float64)
        return float((np.diff(profile) ** 2).sum())

    coarse = np.arange(-settings.max_skew, settings.max_skew + 1e-6, 0.5)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.4, best + 0.41, 0.1)
    best = max(fine, key=sharpness)
    return float(round(best, 2)), sharpness(best)


def upside_down(img, boxes: list, n: int = 12) -> bool:
    """Does the angle classifier say most of the page's widest text boxes are upside down?"""
    arr = np.asarray(img)
    crops = []
    for quad, _, _ in sorted(boxes, key=lambda b: -(max(p[0] for p in b[0]) - min(p[0] for p in b[0])))[:n]:
        xs, ys = [int(p[0]) for p in quad], [int(p[1]) for p in quad]
        crop = arr[max(0, min(ys)):max(ys) + 1, max(0, min(xs)):max(xs) + 1]
        if crop.size and crop.shape[1] > 2 * crop.shape[0]:
            crops.append(rgb(crop))
    if not crops:
        return False
    _, labels, _ = run(engine().text_cls, crops)
    flipped = sum(1 for label, score in labels if label == "180" and score > 0.8)
    return flipped > len(crops) / 2


def finish(pages: list[OcrPage], path: Path, fmt: str, settings: OcrSettings) -> Document:
    doc = assemble_ocr(pages, str(path), fmt)
    if not doc.text.strip():
        raise NoTextLayer(f"no text: OCR found none on its {len(pages)} page images (blank "
                          "pages, or pictures without writing)")
    dpis = sorted({round(p.dpi) for p in pages})
    doc.warnings.insert(0, f"text read by OCR ({ENGINE}) from {len(pages)} page images at "
                           f"{'/'.join(map(str, dpis))} dpi: each value carries ocr_score; check "
                           "the flagged values against the scan")
    doc.warnings.extend(note for p in pages for note in p.notes)
    return doc
