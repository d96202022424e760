"""PDF text outside tables: characters -> lines -> paragraphs, page furniture dropped.

Lines are rebuilt from characters (top to bottom, left to right). Inside a line a gap becomes a
space only between Latin letters or digits (Chinese has no spaces between words); a wide gap
becomes a tab, so an unruled table keeps its cells apart. Page numbers ("- 2 -", "第 2 页") in
the top or bottom margin and lines repeated at the same place on most pages are furniture.
Wrapped lines of one paragraph are joined back when the earlier line runs to the right margin
and the next one is not indented.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from .cjk import drop_cjk_spaces, is_wide, join_pair


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int


def group_lines(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped into visual lines: a char joins a line its vertical middle falls in."""
    lines: list[list[dict]] = []
    box: list[list[float]] = []  # [top, bottom] of each line so far
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        mid = (ch["top"] + ch["bottom"]) / 2
        for i in range(len(lines) - 1, max(len(lines) - 3, -1), -1):  # the last few lines only
            if box[i][0] <= mid <= box[i][1]:
                lines[i].append(ch)
                box[i][0] = min(box[i][0], ch["top"])
                box[i][1] = max(box[i][1], ch["bottom"])
                break
        else:
            lines.append([ch])
            box.append([ch["top"], ch["bottom"]])
    for line in lines:
        line.sort(key=lambda c: c["x0"])
    return lines


def chars_text(chars: list[dict], tab_gap: float | None = 2.0) -> str:
    """The text of one line of characters (sorted by x).

    A gap wider than `tab_gap` font sizes becomes a tab (None: never); a smaller gap of over a
    quarter size becomes a space unless a CJK character is on either side.
    """
    out = ""
    prev = None
    for ch in chars:
        t = ch["text"]
        if prev is not None and out and not out.endswith((" ", "\t")) and not t.isspace():
            gap = ch["x0"] - prev["x1"]
            size = min(ch.get("size") or 10, prev.get("size") or 10)
            if tab_gap is not None and gap > tab_gap * size:
                out += "\t"
            elif gap > 0.25 * size and not (is_wide(out[-1]) or is_wide(t)):
                out += " "
        out += t
        prev = ch
    if tab_gap is None:
        return drop_cjk_spaces(out).strip()
    return "\t".join(drop_cjk_spaces(part).strip() for part in out.split("\t")).strip("\t ")


def make_lines(chars: list[dict], page: int) -> list[Line]:
    out = []
    for group in group_lines(chars):
        text = chars_text(group)
        if not text.strip():
            continue
        sizes = sorted(c.get("size") or 0 for c in group if not c["text"].isspace())
        out.append(Line(text, min(c["x0"] for c in group), max(c["x1"] for c in group),
                        min(c["top"] for c in group), max(c["bottom"] for c in group),
                        sizes[len(sizes) // 2] if sizes else 0, page))
    return out


PAGE_NUMBER = [
    re.compile(r"^[\s\-－—–~～_·•]*\d{1,4}[\s\-－—–~～_·•]*$"),             # 2, - 2 -, —2—
    re.compile(r"^第\s*[\d一二三四五六七八九十]{1,4}\s*页(\s*[，,/／]?\s*共\s*\d{1,4}\s*页)?$"),
    re.compile(r"^\d{1,4}\s*[/／]\s*\d{1,4}$"),                           # 2/5
    re.compile(r"^(page|p\.)\s*\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.I),
]


def is_page_number(text: str) -> bool:
    text = text.strip()
    return any(p.match(text) for p in PAGE_NUMBER)


def furniture(pages: list[list[Line]], heights: list[float], band: float = 0.1,
              repeat_share: float = 0.5) -> set[int]:
    """ids of the lines that are page furniture (page numbers, running heads and feet)."""
    out: set[int] = set()
    seen: dict[tuple, set[int]] = defaultdict(set)
    for page_no, (lines, height) in enumerate(zip(pages, heights)):
        for line in lines:
            in_band = line.bottom < height * band or line.top > height * (1 - band)
            if in_band and is_page_number(line.text):
                out.add(id(line))
            key = (re.sub(r"\d+", "#", line.text.replace(" ", "")), round(line.top / 4))
            seen[key].add(page_no)
    n_pages = len(pages)
    if n_pages >= 3:
        repeated = {k for k, v in seen.items() if len(v) >= max(3, repeat_share * n_pages)}
        for lines in pages:
            for line in lines:
                key = (re.sub(r"\d+", "#", line.text.replace(" ", "")), round(line.top / 4))
                if key in repeated:
                    out.add(id(line))
    return out


LIST_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|第[一二三四五六七八九十]+)")


@dataclass
class Margins:
    left: float
    right: float


def text_margins(lines: list[Line]) -> Margins | None:
    """Where body text starts and ends: the usual left and right edges of lines."""
    if not lines:
        return None
    xs0 = sorted(line.x0 for line in lines)
    xs1 = sorted(line.x1 for line in lines)
    return Margins(xs0[len(xs0) // 10], xs1[(len(xs1) * 9) // 10])


def continues(prev: Line, line: Line, margins: Margins | None) -> bool:
    """Does `line` continue the paragraph whose last line is `prev` (a wrapped line)?"""
    if margins is None or "\t" in prev.text or "\t" in line.text:
        return False
    size = max(prev.size, line.size, 1.0)
    if abs(prev.size - line.size) > 1.0:
        return False
    if prev.x1 < margins.right - 1.5 * size:      # the earlier line stops short: paragraph end
        return False
    if line.x0 > margins.left + 0.5 * size:        # indented: a new paragraph
        return False
    if line.page == prev.page and line.top - prev.bottom > 1.2 * size:
        return False
    return not LIST_MARKER.match(line.text)


def join_lines(a: str, b: str) -> str:
    return a + join_pair(a, b) + b
