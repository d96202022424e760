"""Lone marks in table cells read from their shape: `0`, `/` and dashes (`-`, `—`).

The recognizer reads a lone `0` or blank mark poorly out of context (a `0` as `。`, a `/` as
`1` or nothing, a dash not detected at all: scores 0–0.9), yet these are the commonest cells of
the tables. Their shapes are simple enough to test directly on the cell's ink, measured against
the page's digit height (the ink height of the numbers read with confidence):

- `0`: one stroke of digit height, rounded (no ink in its box's corners), enclosing one hole,
  the hole tall and centred in it;
- `/`: one thin stroke of digit height, no hole, slanting right as it rises (each row of ink
  narrow, the rows' centres on a line);
- a dash: one or a few flat strokes side by side, level, away from the cell's rules.

Every test has a margin; a mark that fails any test is no reading (`None`), and the caller falls
back to the recognizer (and, failing that, leaves the cell unread). Nothing is guessed.
"""
from __future__ import annotations

import numpy as np

# The confidence given to a shape reading (every test passed): above the flagging threshold.
SHAPE_SCORE = 0.95
DASHES = set("-—–－")


def digit_height(heights: list[float]) -> float | None:
    """The page's digit height in pixels: the median ink height of confidently read numbers."""
    return float(np.median(heights)) if len(heights) >= 3 else None


def ink_marks(ink: np.ndarray, height: float) -> list[tuple[tuple[slice, slice], np.ndarray]]:
    """The strokes in a cell's ink (a bool array inside its rules): each as (its bounding
    slices, its mask there). Dust is left out, and so is a rule crossing the cell (one the
    table's grid missed): a thin stroke across most of it."""
    from scipy import ndimage
    labels, _ = ndimage.label(ink, structure=np.ones((3, 3)))
    marks = []
    for i, sl in enumerate(ndimage.find_objects(labels), 1):
        comp = labels[sl] == i
        h, w = comp.shape
        if comp.sum() < max(4, 0.015 * height * height):
            continue
        if (h <= 0.3 * height and w >= max(2 * height, 0.8 * ink.shape[1])
                or w <= 0.3 * height and h >= max(2 * height, 0.8 * ink.shape[0])):
            continue
        marks.append((sl, comp))
    return marks


def without_specks(marks: list, height: float) -> list:
    """The marks but dot-sized specks beside a character (dust a median filter left)."""
    if not any(comp.shape[0] > 0.5 * height for _, comp in marks):
        return marks
    return [(sl, comp) for sl, comp in marks
            if comp.shape[0] > 0.25 * height or comp.shape[1] > 0.25 * height]


def marks_box(marks: list) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1) around the marks, in the cell's pixels."""
    if not marks:
        return None
    return (min(sl[1].start for sl, _ in marks), min(sl[0].start for sl, _ in marks),
            max(sl[1].stop for sl, _ in marks), max(sl[0].stop for sl, _ in marks))


def lone_mark(marks: list, grey: np.ndarray, height: float) -> str | None:
    """`"0"`, `"/"`, `"-"` or `"—"` if a cell's strokes (`ink_marks`; `grey`: the cell's
    pixels) are that one mark, else None. `height` is the page's digit height in pixels."""
    marks = without_specks(marks, height)
    if not marks or len(marks) > 4:
        return None
    if len(marks) == 1:
        sl, comp = marks[0]
        h, w = comp.shape
        if 0.85 * height <= h <= 1.3 * height and is_zero(comp, height):
            return "0"
        if 0.75 * height <= h <= 1.4 * height and is_slash(comp, height):
            return "/"
        if h > 0.3 * height:
            return None
    return dash(marks, grey, height)


def holes(comp: np.ndarray, height: float) -> list[tuple[slice, slice]]:
    """The background regions a stroke encloses (not touching its bounding box), bigger than dust."""
    from scipy import ndimage
    padded = np.pad(~comp, 1, constant_values=True)
    labels, n = ndimage.label(padded)
    outside = labels[0, 0]
    out = []
    for i, sl in enumerate(ndimage.find_objects(labels), 1):
        if i != outside and (labels[sl] == i).sum() >= 0.02 * height * height:
            out.append((slice(sl[0].start - 1, sl[0].stop - 1), slice(sl[1].start - 1, sl[1].stop - 1)))
    return out


def is_zero(comp: np.ndarray, height: float) -> bool:
    h, w = comp.shape
    if not 0.3 * height <= w <= 0.85 * height:
        return False
    found = holes(comp, height)
    if len(found) != 1:
        return False
    ys, xs = found[0]
    hole_h, cy, cx = ys.stop - ys.start, (ys.start + ys.stop) / 2, (xs.start + xs.stop) / 2
    # 6, 9 and 4 have their hole in one half and shorter; 8 has two; a box (口, D) has corners.
    dy, dx = max(1, round(0.15 * h)), max(1, round(0.15 * w))
    corners = [comp[:dy, :dx], comp[:dy, -dx:], comp[-dy:, :dx], comp[-dy:, -dx:]]
    return (hole_h >= 0.5 * h and 0.35 * h <= cy <= 0.65 * h and 0.3 * w <= cx <= 0.7 * w
            and all(c.mean() <= 0.34 for c in corners))


def is_slash(comp: np.ndarray, height: float) -> bool:
    h, w = comp.shape
    if not 0.25 * height <= w <= 0.9 * height or holes(comp, height):
        return False
    rows = [np.nonzero(r)[0] for r in comp]
    rows = [(y, r) for y, r in enumerate(rows) if r.size]
    if len(rows) < 0.9 * h:
        return False
    if max(r[-1] - r[0] + 1 for _, r in rows) > 0.35 * height:  # a bar (7) or a flag (1)
        return False
    y = np.array([y for y, _ in rows], dtype=float)
    x = np.array([(r[0] + r[-1]) / 2 for _, r in rows])
    slope, icept = np.polyfit(y, x, 1)
    spread = np.sqrt(np.mean((x - (slope * y + icept)) ** 2))
    return slope <= -0.2 and spread <= 0.08 * height  # leans right going up, straight


def dash(marks: list, grey: np.ndarray, height: float) -> str | None:
    """A dash (one or more flat strokes side by side, level, where a line of text sits), or None."""
    boxes = []
    for sl, comp in marks:
        h, w = comp.shape
        if h > 0.3 * height or w < 0.2 * height or elongation(grey, sl) < 1.3:
            return None  # a dot or a speck is round; a short hyphen is a few pixels long
        boxes.append((sl[1].start, sl[1].stop, (sl[0].start + sl[0].stop) / 2))
    centres = [c for _, _, c in boxes]
    if max(centres) - min(centres) > 0.15 * height:
        return None
    # Within a line of text: not the remnant of a rule at the cell's edge.
    if not 0.3 * height <= np.mean(centres) <= grey.shape[0] - 0.3 * height:
        return None
    width = max(b for _, b, _ in boxes) - min(a for a, _, _ in boxes)
    if width > 3.5 * height:
        return None
    return "—" if width >= 0.7 * height else "-"


def elongation(grey: np.ndarray, sl: tuple[slice, slice], margin: int = 2) -> float:
    """How much wider than tall a mark's ink is, from its grey levels (a threshold rounds a
    blurred hyphen a few pixels long into a square): the ratio of the darkness-weighted spreads
    across and down, over the mark's box and a margin."""
    ys, xs = sl
    g = grey[max(0, ys.start - margin):ys.stop + margin,
             max(0, xs.start - margin):xs.stop + margin].astype(float)
    w = np.clip(np.median(grey) - g, 0, None)
    total = w.sum()
    if total <= 0:
        return 0.0
    yy, xx = np.mgrid[0:g.shape[0], 0:g.shape[1]]
    cy, cx = (w * yy).sum() / total, (w * xx).sum() / total
    sx = np.sqrt((w * (xx - cx) ** 2).sum() / total)
    sy = np.sqrt((w * (yy - cy) ** 2).sum() / total)
    return float(sx / max(sy, 1e-6))
