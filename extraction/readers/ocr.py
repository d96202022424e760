"""Scanned reports: image-only PDFs and page images (PNG, JPEG, TIFF) read by bundled OCR.

The engine is RapidOCR (`rapidocr-onnxruntime`: PP-OCRv4 Chinese detection and recognition
models shipped in its wheel, run by onnxruntime): nothing is downloaded. Per page:

1. the page image, grey, at its scan's resolution brought within 200..300 dpi (`scan_dpi`): a
   PDF page rendered so, an image file scaled so (its size is checked from the header first:
   decompression bombs are refused), its red ink (a seal over the text) turned to paper;
2. turned upright (a page whose text runs sideways, or upside down) and deskewed
   (projection profile);
3. text boxes detected; table rules found in the image; the boxes read by the recognizer
   (none dropped for a low score), but for those alone in a cell holding one small mark;
   cells filled with the characters inside them; doubtful value cells (empty but inked, letters
   among digits, low confidence, ink outside the read box) read again from their own crop
   (`reread_cells`): a disagreeing second look keeps the first reading and says so;
4. `ocr_layout` builds the `Document`; every OCR'd character keeps the engine's confidence
   (`Document.ocr_spans`), which the record turns into `ocr_score` and warnings.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..document import Document
from ..errors import ExtractionError, FileTooLarge, MissingTool, NoTextLayer, UnreadableFile
from ..limits import Limits
from ..ocr_confidence import LOW_SCORE
from ..tables.values import BLANK_MARKS, normalise, parse_value
from . import ocr_glyphs
from .cjk import is_wide
from .ocr_glyphs import (SHAPE_SCORE, digit_height, ink_marks, lone_mark, marks_box,
                         without_specks)
from .ocr_layout import OcrCell, box_chars, fill_cell, page_layout, ruling_edges, table_cells, assemble_ocr
from .pdf import Page, check_page_count
from .registry import reader

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
ENGINE = "RapidOCR PP-OCRv4 (rapidocr-onnxruntime)"
INSTALL = "pip install 'xxgk[ocr]' (rapidocr-onnxruntime)"


@dataclass(frozen=True)
class OcrSettings:
    dpi: int = 200               # coarser scans are brought up to this (and PDF pages of unknown resolution)
    max_dpi: int = 300           # finer scans are scaled down to this (speed, same accuracy)
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
    ocr = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1)
    for part in (ocr.text_det.infer, ocr.text_cls.infer, ocr.text_rec.session):
        part.session = without_spinning(part.session)
    return ocr


SPIN = False  # onnxruntime's threads busy-wait between operators unless told not to


def without_spinning(session):
    """The engine's onnxruntime session again, its threads sleeping when idle. Busy-waiting
    wins little on an idle machine but, with other processes on the cores (batch workers, the
    lead's training), burns the CPU they need: measured on this 2-core machine at load 6, the
    recognizer took half the CPU time and 30-60 % less wall time without it."""
    import onnxruntime as ort
    if SPIN:
        return session
    opts = ort.SessionOptions()
    opts.log_severity_level = 4
    opts.enable_cpu_mem_arena = False
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    threads = int(os.environ.get("XXGK_THREADS", "0") or 0)
    if threads > 0:
        opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return ort.InferenceSession(session._model_path, sess_options=opts,
                                providers=["CPUExecutionProvider"])


def read_scanned_pdf(path: Path, limits: Limits | None = None,
                     settings: OcrSettings | None = None) -> Document:
    """An image-only PDF, every page rendered and read by OCR."""
    limits, settings = limits or Limits(), settings or OcrSettings()
    with rendered_pdf(path) as pdf:
        check_page_count(len(pdf), limits.max_pages)
        pages = [read_pdf_page(pdf, i + 1, limits, settings) for i in range(len(pdf))]
    return finish(pages, path, "pdf", settings)


@contextmanager
def rendered_pdf(path: Path):
    """The PDF opened by pypdfium2 (which renders its pages), closed after use."""
    import pypdfium2 as pdfium
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        raise UnreadableFile(f"damaged PDF: it cannot be rendered ({e})", "unreadable_pdf")
    try:
        yield pdf
    finally:
        pdf.close()


def read_pdf_page(pdf, number: int, limits: Limits, settings: OcrSettings) -> OcrPage:
    """Page `number` (1-based) of a pypdfium2 PDF rendered at its scan's resolution and read."""
    page = pdf[number - 1]
    try:
        w, h = page.get_size()
        dpi = scan_dpi(page, settings)
        check_pixels(w * dpi / 72, h * dpi / 72, limits, f"page {number}")
        img = without_red(page.render(scale=dpi / 72).to_pil())
    finally:
        page.close()
    return read_page(img, number, dpi, settings)


def scan_dpi(page, settings: OcrSettings) -> float:
    """The resolution to render a scanned page at: its scan's own (the widest image on it,
    pixels over inches) from `dpi` up to `max_dpi`; `dpi` for a coarser scan or none. Resampling
    a finer scan down smears its dust into marks that read as decimal points (300-dpi scans: 75 %
    of cells exact at 200 dpi, 98 % at 300); a coarser one reads better brought up to `dpi`
    (150-dpi scans: 54 % at 150, 71 % at 200). Page images are scaled to the same range."""
    import pypdfium2.raw as pdfium_c
    best = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1):
        try:
            left, _, right, _ = obj.get_bounds()
            px = obj.get_px_size()[0]
        except Exception:  # a damaged image object: the default resolution
            continue
        if right - left > 72:  # an inch wide at least: the scan, not a logo
            best = max(best, px / ((right - left) / 72))
    return float(min(max(best, settings.dpi), settings.max_dpi))


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
    pages, low = [], []
    with img:
        check_page_count(count_frames(img, limits.max_pages), limits.max_pages)
        for number in range(1, getattr(img, "n_frames", 1) + 1):
            img.seek(number - 1)
            check_pixels(*img.size, limits, f"page {number}")
            try:
                page = without_red(img)
            except (OSError, SyntaxError, ValueError) as e:
                raise UnreadableFile(f"damaged image: {path.name} page {number} cannot be decoded "
                                     f"({e}); re-download or re-scan it", "unreadable_image")
            dpi = image_dpi(page, img.info.get("dpi"))
            if dpi < settings.min_dpi:
                low.append(number)
            # Within dpi..max_dpi, as a scanned PDF's pages (scan_dpi says why).
            target = min(max(dpi, settings.dpi), settings.max_dpi)
            if abs(target - dpi) > 1:
                page = page.resize((round(page.width * target / dpi),
                                    round(page.height * target / dpi)), Image.LANCZOS)
                dpi = target
            pages.append(read_page(page, number, dpi, settings))
    doc = finish(pages, path, fmt, settings)
    if low:
        doc.warnings.append(f"low-resolution scan (under {settings.min_dpi} dpi) on pages "
                            f"{', '.join(map(str, low))}: more values may be flagged or missing")
    return doc


def without_red(img, margin: int = 60):
    """The page in grey without its red ink (seals stamped over the text and tables): where a
    pixel is red (its red exceeds its green and blue by `margin`) its grey is its red channel,
    which sees through red ink: a seal on paper turns to paper, print under a seal stays as
    dark as it was printed."""
    from PIL import Image
    if img.mode not in ("RGB", "RGBA", "P", "CMYK", "YCbCr", "LAB", "HSV"):
        return img.convert("L")
    rgb_ = np.asarray(img.convert("RGB"))
    grey = np.asarray(img.convert("L")).copy()
    red = rgb_[..., 0].astype(np.int16) - np.maximum(rgb_[..., 1], rgb_[..., 2]) > margin
    grey[red] = rgb_[..., 0][red]
    return Image.fromarray(grey)


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
    quads = detect(img)
    if upside_down(img, quads):
        img = img.transpose(Image.Transpose.ROTATE_180)
        quads = detect(img)
    arr = np.asarray(img)
    pt = 72.0 / dpi
    ink = arr < settings.ink
    tables = table_cells(ruling_edges(ink, pt, dpi=dpi), number, pt)
    # A box alone in a cell holding one small mark is not recognised here: `reread_cells`
    # reads the mark from its shape, or the cell from its crop (the recognizer's cost is per
    # box, and most boxes of a table are such cells: 0, /, —).
    lone = [c.bbox_px for t in tables for c in t.cells if c.bbox_px and one_mark(c.bbox_px, ink, dpi)]
    deferred = [q for q in quads if any(inside(q, b) for b in lone)]
    boxes = recognize(arr, [q for q in quads if not any(inside(q, b) for b in lone)])
    page = page_layout(box_chars(boxes, pt), tables, number, arr.shape[0] * pt)
    notes = reread_cells(page, arr, ink, pt, deferred)
    return OcrPage(page.number, page.lines, page.tables, page.height, False, dpi=dpi, notes=notes)


DET_SIDE = 1600  # pages are detected at most this many pixels high (the engine's own: 2000)


def detect(img) -> list[np.ndarray]:
    """The text boxes (quadrilaterals, in page pixels) the engine's detector finds, top to
    bottom."""
    from PIL import Image
    scale = min(1.0, DET_SIDE / max(img.size))
    small = img if scale == 1.0 else img.resize(
        (round(img.width * scale), round(img.height * scale)), Image.BILINEAR)
    quads = text_boxes(np.asarray(small))
    if quads is None or len(quads) == 0:
        return []
    return [np.asarray(q, dtype=np.float32) / scale for q in engine().sorted_boxes(quads)]


# The detector's input scaling of a grey level (the engine's own arithmetic, float64 then
# float32), looked up: the engine computes it per pixel and colour channel, a tenth of a second
# a page.
DET_LEVELS = ((np.arange(256, dtype=np.float32) * (1 / 255.0) - 0.5) / 0.5).astype(np.float32)


def text_boxes(grey: np.ndarray):
    """The engine's detector (`TextDetector.__call__`) on a grey page: the same boxes."""
    det = engine().text_det
    h, w = grey.shape
    resized = det.get_preprocess(max(h, w)).resize(grey)
    if resized is None:
        return None
    x = np.repeat(DET_LEVELS[resized][np.newaxis, np.newaxis], 3, axis=1)
    boxes, _ = det.postprocess_op(run(det.infer, x)[0], (h, w))
    return det.filter_tag_det_res(boxes, (h, w))


def recognize(arr: np.ndarray, quads: list[np.ndarray]) -> list[tuple[list, str, float]]:
    """(quad, text, score) of each box read by the recognizer; none dropped for a low score
    (they are flagged)."""
    if not quads:
        return []
    crops = engine().get_crop_img_list(rgb(arr), [q.copy() for q in quads])
    results = [r[0] for r in read_crops(crops)]
    return [(q.tolist(), text, float(score)) for q, (text, score) in zip(quads, results)]


REC_BATCH = 6        # crops per call of the recognizer (the engine's own)
REC_MIN_RATIO = 320 / 48  # a crop is padded to at least this width over its height


def read_crops(crops: list[np.ndarray], *charsets: str | None) -> list[list[tuple[str, float]]]:
    """Each crop's readings by the recognizer, one per charset (`decode`; none given: all
    classes). Crops go in batches of similar width (sorted by aspect), each batch as wide as its
    widest crop but at least `REC_MIN_RATIO` times the height: the cost is the width. Each
    batch's probabilities are decoded at once (a page's would take a gigabyte)."""
    rec, charsets = engine().text_rec, charsets or (None,)
    ratios = [c.shape[1] / c.shape[0] for c in crops]
    order = np.argsort(np.array(ratios))
    out: list = [None] * len(crops)
    for at in range(0, len(crops), REC_BATCH):
        batch = order[at:at + REC_BATCH]
        ratio = max([REC_MIN_RATIO] + [ratios[i] for i in batch])
        norm = np.concatenate([rec.resize_norm_img(crops[i], ratio)[np.newaxis] for i in batch])
        for i, probs in zip(batch, run(rec.session, norm.astype(np.float32))[0]):
            out[i] = [decode(probs, chars) for chars in charsets]
    return out


def decode(probs: np.ndarray, chars: str | None = None) -> tuple[str, float]:
    """Greedy CTC decoding of one crop's probabilities, over all classes or over `chars` only
    (digits and number punctuation, say): (text, mean probability of the characters kept)."""
    classes = engine().text_rec.postprocess_op.character
    if chars is None:
        allowed = np.arange(len(classes))
    else:
        allowed = np.array([0] + [i for i, c in enumerate(classes) if c in chars])
        probs = probs[:, allowed]
    best = probs.argmax(axis=1)
    kept = [t for t in range(len(best)) if best[t] and (t == 0 or best[t] != best[t - 1])]
    text = "".join(classes[allowed[best[t]]] for t in kept)
    return text, float(np.mean([probs[t, best[t]] for t in kept])) if kept else 0.0


def inside(quad: np.ndarray, bbox: tuple, slack: float = 3.0) -> bool:
    x0, y0, x1, y1 = bbox
    return bool((quad[:, 0] >= x0 - slack).all() and (quad[:, 0] <= x1 + slack).all()
                and (quad[:, 1] >= y0 - slack).all() and (quad[:, 1] <= y1 + slack).all())


def one_mark(bbox_px: tuple, ink: np.ndarray, dpi: float) -> bool:
    """Does the cell hold one small mark (a single stroke, or a few flat ones side by side), of
    at most text height: what `ocr_glyphs.lone_mark` may read?"""
    x0, y0, x1, y1 = cell_inset(bbox_px, ink)
    marks = without_specks(ink_marks(ink[y0:y1, x0:x1], 0.1 * dpi), 0.1 * dpi)
    if not marks or len(marks) > 4:
        return False
    box = marks_box(marks)
    flat = all(comp.shape[0] <= 0.04 * dpi for _, comp in marks)
    return (len(marks) == 1 or flat) and box[3] - box[1] <= 0.2 * dpi and box[2] - box[0] <= 0.5 * dpi


def rgb(grey: np.ndarray) -> np.ndarray:
    return np.repeat(grey[:, :, None], 3, axis=2)


# Letters the engine reads for digits in a lone number (O for 0, l for 1); a table cell read as
# digits and these is read again with its decoding restricted to digits.
DIGIT_LOOKALIKES = set("OoDQlI|ＯｏＩｌ〇口")
MARK_LOOKALIKES = DIGIT_LOOKALIKES | set("。一")  # and for a dash
NUMBER_CHARS = "0123456789.,%"
# What a value cell may hold: a number, or a blank mark (tables.values.BLANK_MARKS).
VALUE_CHARS = NUMBER_CHARS + "".join(sorted(set("".join(BLANK_MARKS)) - {"无", "…"}))


def reread_cells(page: Page, arr: np.ndarray, ink: np.ndarray, pt: float,
                 deferred: list[np.ndarray] = ()) -> list[str]:
    """Read table cells again, each from its own crop of the page:

    - a lone `0`, `/` or dash is read from its shape (`ocr_glyphs`): the engine's reading
      confirmed (its confidence raised), or replaced where the engine was unsure or read no
      value; a confident engine reading that the shape contradicts leaves the cell unread; a
      lone mark the shape does not read has its `deferred` text boxes recognised now;
    - a cell that got no text but holds ink (the detector misses lone digits): read as is;
    - a number read with letters among its digits ("1O"): read as digits only, and said so;
    - a number read with low confidence: read as digits only; the same reading raises the
      confidence to the second look's, a different one keeps the first reading, at the lower
      confidence, and the warning gives both;
    - a cell whose ink still reads as no value (nothing, or a lone `。`) is left unread (`cut`:
      unknown, never blank); a number read with fewer characters than the cell has strokes (a
      minus sign left out) is flagged.
    Returns the warnings.
    """
    dpi = 72.0 / pt
    cells = [(c, cell_inset(c.bbox_px, ink)) for t in page.tables for c in t.cells if c.bbox_px]
    height = digit_height([ink_height(ink[y0:y1, x0:x1]) for c, (x0, y0, x1, y1) in cells
                           if confident_number(c)])
    todo: dict[str, list[tuple[OcrCell, tuple]]] = {"empty": [], "letters": [], "unsure": []}
    inked, shaped, contradicted, pending = {}, 0, [], []
    for cell, (x0, y0, x1, y1) in cells:
        marks = ink_marks(ink[y0:y1, x0:x1], height or 0.1 * dpi)
        if not marks:
            continue  # blank, or dust
        inked[id(cell)] = (cell, len(marks))
        mx0, my0, mx1, my1 = marks_box(marks)
        box = (x0 + mx0, y0 + my0, x0 + mx1, y0 + my1)  # the cell's ink, in the page
        text, score = cell.text.replace(" ", ""), min((c["score"] for c in cell.chars), default=0.0)
        mark = (lone_mark(marks, arr[y0:y1, x0:x1], height)
                if height and lone_candidate(text) else None)
        if mark is not None:
            if same_mark(text, mark):
                set_reading(cell, text, max(score, SHAPE_SCORE), box, pt)
            elif score >= LOW_SCORE and is_value(text):  # two confident readings: unknown
                contradicted.append(f"{text!r} ({score:.2f}) or {mark!r} by its shape")
                cell.text, cell.chars = "", []
            else:
                set_reading(cell, mark, SHAPE_SCORE, box, pt)
                shaped += 1
            continue
        quads = [q for q in deferred if inside(q, cell.bbox_px)] if not cell.chars else []
        if quads:
            pending.append((cell, quads, box))
            continue
        kind = reread_kind(cell, box, pt)
        if kind:
            todo[kind].append((cell, box))
    read = iter(recognize(arr, [q for _, quads, _ in pending for q in quads]))
    for cell, quads, box in pending:
        cell.chars = box_chars([next(read) for _ in quads], pt)
        fill_cell(cell)
        kind = reread_kind(cell, box, pt)
        if kind:
            todo[kind].append((cell, box))
    notes, letters, disagree = [], [], []
    for kind, todo_cells in todo.items():
        if not todo_cells:
            continue
        crops = [rgb(crop_padded(arr, box)) for _, box in todo_cells]
        if kind == "empty":  # a value (number or blank mark), a label, or left empty
            results = [r if has_text(r[0]) else v if v[1] >= 0.5 else ("", 0.0)
                       for r, v in read_crops(crops, None, VALUE_CHARS)]
        else:
            chars = NUMBER_CHARS if kind == "letters" else VALUE_CHARS
            results = [r[0] for r in read_crops(crops, chars)]
        for (cell, box), (text, score) in zip(todo_cells, results):
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
            set_reading(cell, text, score, box, pt)
    unread = [cell for cell, _ in inked.values() if illegible(cell.text)]
    for cell in unread:
        cell.cut, cell.text, cell.chars = True, "", []
    # More strokes than characters read: a sign, a digit or a point the engine left out.
    extra = [cell for cell, n in inked.values() if not cell.cut and n > len(cell.text.replace(" ", ""))
             and any(t.isdigit() for t in cell.text) and is_value(cell.text)]
    for cell in extra:
        for c in cell.chars:
            c["score"] = min(c["score"], 0.5)
    if shaped:
        notes.append(f"page {page.number}: {shaped} table cells read from the shape of their lone "
                     f"mark (0, / or a dash; ocr_score {SHAPE_SCORE})")
    if letters:
        notes.append(f"page {page.number}: table cells read as letters among digits, read "
                     f"again as digits only: {', '.join(letters)}")
    if disagree:
        notes.append(f"page {page.number}: table cells read differently at a second look (the "
                     f"first reading kept, flagged): {', '.join(disagree)}")
    if contradicted:
        notes.append(f"page {page.number}: table cells the engine reads as one value and their "
                     f"shape as another, left unread (null): {', '.join(contradicted)}")
    if extra:
        notes.append(f"page {page.number}: table cells holding more marks than the characters "
                     f"read (a sign or digit left out?), flagged: "
                     f"{', '.join(repr(c.text) for c in extra)}")
    if len(unread) > len(contradicted):
        notes.append(f"page {page.number}: {len(unread) - len(contradicted)} table cells hold ink "
                     "that reads as no value or blank mark: left unread (null, not blank)")
    return notes


def set_reading(cell: OcrCell, text: str, score: float, box: tuple, pt: float) -> None:
    """The cell's text, one box over its ink (`box`, in pixels), at `score`."""
    bx0, by0, bx1, by1 = box
    cell.chars = box_chars([([[bx0, by0], [bx1, by0], [bx1, by1], [bx0, by1]], text, score)], pt)
    cell.text = "".join(c["text"] for c in cell.chars)


def is_value(text: str) -> bool:
    try:
        parse_value(text)
    except ValueError:
        return False
    return True


def same_mark(text: str, mark: str) -> bool:
    """Do the engine's text and a shape reading say the same mark (any dash for a dash)?"""
    text = normalise(text)
    if mark in ocr_glyphs.DASHES:
        return bool(text) and set(text) <= ocr_glyphs.DASHES | {"一"}
    return text == mark


def lone_candidate(text: str) -> bool:
    """Engine text that may be one lone mark misread: at most two characters, no Chinese but
    what a 0 or a dash is mistaken for."""
    return len(text) <= 2 and not has_text("".join(t for t in text if t not in MARK_LOOKALIKES))


def illegible(text: str) -> bool:
    """A cell holding ink read as nothing, or as one or two marks that are no value (`。`)."""
    text = text.replace(" ", "")
    if not text:
        return True
    return (len(text) <= 2 and not is_value(text)
            and not any(t.isalnum() and t not in DIGIT_LOOKALIKES for t in text))


def confident_number(cell: OcrCell) -> bool:
    text = cell.text.replace(" ", "")
    return (bool(text) and all(t.isdigit() for t in text)
            and min(c["score"] for c in cell.chars) >= 0.95)


def ink_height(sub: np.ndarray) -> float:
    rows = np.nonzero(sub.any(axis=1))[0]
    return float(rows[-1] - rows[0] + 1) if rows.size else 0.0


def has_text(s: str) -> bool:
    """Chinese text (not a lone symbol the engine makes of a stroke, like ■)."""
    return any(is_wide(t) and t not in "■□▲△●○" for t in s)


def reread_kind(cell: OcrCell, box: tuple, pt: float) -> str | None:
    """Why a table cell is read again from its own crop, or None."""
    text = cell.text.replace(" ", "")
    if not text:
        return "empty"
    if len(text) > 12 or not all(t.isdigit() or t in DIGIT_LOOKALIKES or t in VALUE_CHARS
                                 for t in text):
        return None  # text, not a number
    if any(t in DIGIT_LOOKALIKES for t in text):
        return "letters"
    if min(c["score"] for c in cell.chars) < LOW_SCORE or ink_outside_boxes(cell, box, pt):
        return "unsure"  # or a sign or digit the detector left out of its box
    return None


def ink_outside_boxes(cell: OcrCell, box: tuple, pt: float) -> bool:
    """Does a number cell hold ink (`box`, in pixels) left or right of the text the engine read
    in it?"""
    if not cell.chars:
        return False
    x0 = min(c["x0"] for c in cell.chars) / pt
    x1 = max(c["x1"] for c in cell.chars) / pt
    h = max(c["bottom"] - c["top"] for c in cell.chars) / pt
    return box[0] < x0 - 0.25 * h or box[2] > x1 + 0.25 * h


def cell_inset(bbox_px: tuple, ink: np.ndarray) -> tuple[int, int, int, int]:
    """A cell's pixels inside its rules: each side moved in past the innermost column or row,
    near that side, that is mostly ink (its rule, however thick; the grid's line may lie a few
    pixels off it), and one pixel more. Not a fixed inset: text set close to a rule keeps its
    first stroke."""
    x0, y0, x1, y1 = (round(v) for v in bbox_px)
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(ink.shape[1], x1), min(ink.shape[0], y1)

    def inward(at: int, step: int, line, span: int) -> int:
        ruled = [i for i in range(max(1, min(span // 4, 12))) if line(at + i * step).mean() > 0.5]
        return at + ((ruled[-1] + 2) if ruled else 1) * step

    def column(x: int) -> np.ndarray:
        return ink[y0:y1, x]

    def row(y: int) -> np.ndarray:
        return ink[y, x0:x1]

    if x1 - x0 < 3 or y1 - y0 < 3:
        return x0, y0, x0, y0
    x0, x1 = inward(x0, 1, column, x1 - x0), inward(x1 - 1, -1, column, x1 - x0) + 1
    if x1 <= x0:
        return x0, y0, x0, y0
    y0, y1 = inward(y0, 1, row, y1 - y0), inward(y1 - 1, -1, row, y1 - y0) + 1
    return x0, y0, x1, max(y0, y1)


def crop_padded(arr: np.ndarray, box: tuple) -> np.ndarray:
    bx0, by0, bx1, by1 = box
    pad = max(6, (by1 - by0) // 2)
    crop = np.full((by1 - by0 + 2 * pad, bx1 - bx0 + 2 * pad), 255, dtype=np.uint8)
    crop[pad:pad + by1 - by0, pad:pad + bx1 - bx0] = arr[by0:by1, bx0:bx1]
    return crop


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
    """(angle, sharpness): the rotation whose row profile of ink is sharpest (text lines level).
    The profile of each angle counts the ink pixels' rows as rotated about the centre (no image
    is rotated: 30 angles of a page in a few milliseconds)."""
    ys, xs = np.nonzero(np.asarray(small) < settings.ink)
    dy, dx = ys - small.height // 2, xs - small.width // 2  # whole pixels: rows stay rows at 0°

    def sharpness(a: float) -> float:
        r = np.radians(a)  # counter-clockwise, as PIL's rotate
        rows = np.floor(dy * np.cos(r) - dx * np.sin(r) + 0.5).astype(np.int64)
        profile = np.bincount(rows - rows.min()).astype(np.float64) if rows.size else np.zeros(1)
        return float((np.diff(profile) ** 2).sum())

    coarse = np.arange(-settings.max_skew, settings.max_skew + 1e-6, 0.5)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.4, best + 0.41, 0.1)
    best = max(fine, key=sharpness)
    return float(round(best, 2)), sharpness(best)


def upside_down(img, quads: list, n: int = 12) -> bool:
    """Does the angle classifier say most of the page's widest text boxes are upside down?"""
    arr = np.asarray(img)
    crops = []
    for quad in sorted(quads, key=lambda q: -(q[:, 0].max() - q[:, 0].min()))[:n]:
        xs, ys = quad[:, 0].astype(int), quad[:, 1].astype(int)
        crop = arr[max(0, ys.min()):ys.max() + 1, max(0, xs.min()):xs.max() + 1]
        if crop.size and crop.shape[1] > 2 * crop.shape[0]:
            crops.append(rgb(crop))
    if not crops:
        return False
    _, labels, _ = run(engine().text_cls, crops)
    flipped = sum(1 for label, score in labels if label == "180" and score > 0.8)
    return flipped > len(crops) / 2


def finish(pages: list, path: Path, fmt: str, settings: OcrSettings) -> Document:
    """The document of a report's pages: all read by OCR, or (a PDF mixing text-layer pages and
    scans) some; the first warning says which were."""
    doc = assemble_ocr(pages, str(path), fmt)
    scans = [p for p in pages if isinstance(p, OcrPage)]
    if not doc.text.strip():
        raise NoTextLayer(f"no text: OCR found none on its {len(pages)} page images (blank "
                          "pages, or pictures without writing)")
    dpis = "/".join(map(str, sorted({round(p.dpi) for p in scans})))
    if len(scans) == len(pages):
        said = f"text read by OCR ({ENGINE}) from {len(pages)} page images at {dpis} dpi"
    else:
        numbers = ", ".join(str(p.number) for p in scans)
        said = (f"scanned pages (images without a text layer) {numbers} of {len(pages)}: their "
                f"text read by OCR ({ENGINE}) at {dpis} dpi")
    doc.warnings.insert(0, f"{said}: each value carries ocr_score; check the flagged values "
                           "against the scan")
    doc.warnings.extend(note for p in scans for note in p.notes)
    return doc
