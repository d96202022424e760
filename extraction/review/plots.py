"""Static plots for the summary page, drawn as inline SVG: no plotting library to import (it
took seconds of every batch), text the browser draws, nothing fetched. The page puts `CSS` in its style sheet.

Labels are ASCII (value keys, field names), as the page prints the Chinese wording beside each
plot. Each plot is an `<svg role="img">` with a `<title>`; every bar carries its number as a
`<title>` (a tooltip) and, in bar charts, as text at its end.
"""
from __future__ import annotations

import math
import sys
from html import escape

BIGGEST = sys.float_info.max
COLOR = "#3b5bdb"
WIDTH = 504          # px, as the PNGs were (5.6 in at 90 dpi)
FONT = 11            # px
LABEL_WIDTH = 130    # bar charts: room for the labels left of the bars
# For the page's <style> (once, however many plots).
CSS = (f"svg.plot text {{ font: {FONT}px sans-serif; fill: #333; }} "
       "svg.plot .axis { stroke: #888; stroke-width: 1; } "
       f"svg.plot .bar {{ fill: {COLOR}; }} svg.plot .grid {{ stroke: #e3e6eb; stroke-width: 1; }}")


def bar_chart(labels: list[str], values: list[float], xlabel: str) -> str | None:
    """Horizontal bars, first label on top, each value written at its bar's end; None when there
    is nothing to draw."""
    if not labels or not any(values):
        return None
    row, top, bottom = 22, 8, 40
    height = top + row * len(labels) + bottom
    left, right = LABEL_WIDTH, WIDTH - 60  # room on the right for the longest bar's number
    ticks = nice_ticks(0, max(max(values), 0))
    scale = (right - left) / (ticks[-1] or 1)
    parts = axes_x(ticks, left, scale, top, height - bottom, xlabel)
    for i, (label, v) in enumerate(zip(labels, values)):
        y = top + i * row
        w = max(v, 0) * scale
        parts.append(f'<text x="{left - 6}" y="{y + row / 2 + 4:.1f}" text-anchor="end">{escape(str(label))}</text>'
                     f'<rect class="bar" x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 6}">'
                     f'<title>{escape(str(label))}: {number(v)}</title></rect>'
                     f'<text class="value" x="{left + w + 4:.1f}" y="{y + row / 2 + 4:.1f}">{number(v)}</text>')
    return svg(parts, height, xlabel)


def histogram(values: list[float], xlabel: str, bins: int = 20) -> str | None:
    """How many reports have each range of one number (up to `bins` equal bins from the lowest to
    the highest value; the highest falls in the last); None when no report has it."""
    if not values:
        return None
    low, high = min(values), max(values)
    if low == high:  # one value: give its bar a width
        pad = max(0.5, abs(low) * 1e-6)
        low, high = max(low - pad, -BIGGEST), min(high + pad, BIGGEST)
    n = min(bins, len(set(values)))
    counts = [0] * n
    for v in values:  # halves: high - low may not fit in a float where v - low does not either
        counts[min(int((v / 2 - low / 2) / (high / 2 - low / 2) * n), n - 1)] += 1
    top, bottom, left, right = 8, 40, 50, WIDTH - 12
    height = 252
    yticks = nice_ticks(0, max(counts), whole=True)
    yscale = (height - bottom - top) / yticks[-1]
    xscale = (right - left) / 2 / (high / 2 - low / 2)
    parts = []
    for t in yticks:  # the count axis: gridlines and numbers
        y = height - bottom - t * yscale
        parts.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{number(t)}</text>')
    parts.append(f'<text transform="translate(12 {(top + height - bottom) / 2:.0f}) rotate(-90)" '
                 f'text-anchor="middle">reports</text>')
    width = (right - left) / n
    for i, c in enumerate(counts):
        a, b = low + (high - low) * i / n, low + (high - low) * (i + 1) / n
        parts.append(f'<rect class="bar" x="{left + i * width + 0.5:.1f}" y="{height - bottom - c * yscale:.1f}" '
                     f'width="{max(width - 1, 0.5):.1f}" height="{c * yscale:.1f}" data-count="{c}">'
                     f'<title>{number(a)} to {number(b)}: {c} report{"" if c == 1 else "s"}</title></rect>')
    xticks = [t for t in nice_ticks(low, high) if low <= t <= high]
    parts += axes_x(xticks, left - low * xscale, xscale, None, height - bottom, xlabel)
    return svg(parts, height, xlabel)


def axes_x(ticks, origin: float, scale: float, top: float | None, base: float, label: str) -> list[str]:
    """The value axis along `base`: tick numbers, vertical gridlines from `top` (if any), label."""
    parts = [f'<line class="axis" x1="{origin + ticks[0] * scale:.1f}" y1="{base}" '
             f'x2="{origin + ticks[-1] * scale:.1f}" y2="{base}"/>'] if ticks else []
    for t in ticks:
        x = origin + t * scale
        if top is not None:
            parts.insert(0, f'<line class="grid" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{base}"/>')
        parts.append(f'<line class="axis" x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 4}"/>'
                     f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle">{number(t)}</text>')
    parts.append(f'<text x="{WIDTH / 2:.0f}" y="{base + 32}" text-anchor="middle">{escape(str(label))}</text>')
    return parts


def svg(parts: list[str], height: int, title: str) -> str:
    return (f'<svg class="plot" xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" '
            f'height="{height}" viewBox="0 0 {WIDTH} {height}"><title>{escape(str(title))}</title>'
            f'{"".join(parts)}</svg>')


def nice_ticks(low: float, high: float, most: int = 6, whole: bool = False) -> list[float]:
    """Round numbers (1, 2 or 5 × 10^k apart; with `whole`, at least 1) from at or below `low`
    to at or above `high`."""
    if high <= low:
        high = low + 1
    raw = (high / 2 - low / 2) / most * 2
    if not 0 < raw < math.inf:  # a range too small or too large to divide: its ends
        return [low, high]
    step = 10 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 5, 10) if m * step >= raw)
    step = max(step, 1) if whole else step
    first = math.floor(low / step)
    return [k * step for k in range(first, math.ceil(high / step) + 1)]


def number(v: float) -> str:
    """`v` as the page writes a number: no trailing .0, at most 6 significant digits."""
    return f"{v:g}"
