"""Joining pieces of Chinese text: no space between CJK characters, one space between words.

Readers get text in pieces (PDF characters, wrapped lines, HTML source lines, lines inside a
table cell). Chinese has no spaces between words, so a break or gap next to a CJK character
joins with nothing, while a break between two Latin words or numbers keeps one space.
"""
from __future__ import annotations

import re


def is_wide(ch: str) -> bool:
    """A CJK character or full-width punctuation: text that joins without spaces."""
    if not ch:
        return False
    o = ord(ch[0])
    return (0x2E80 <= o <= 0x9FFF          # radicals, CJK punctuation, kana, CJK ideographs
            or 0xF900 <= o <= 0xFAFF       # compatibility ideographs
            or 0xFE30 <= o <= 0xFE4F       # CJK compatibility forms
            or 0xFF00 <= o <= 0xFFEF       # full-width forms (，：（１２）)
            or 0x20000 <= o <= 0x3FFFF     # ideographs beyond the BMP
            or ch[0] in "“”‘’—…·")         # punctuation set full-width in Chinese text


def join_pair(left: str, right: str) -> str:
    """The separator between two pieces: nothing if either side at the seam is CJK, else a space."""
    if not left or not right:
        return ""
    if is_wide(left[-1]) or is_wide(right[0]):
        return ""
    return " "


def join_pieces(pieces) -> str:
    """Join stripped, non-empty pieces with `join_pair` separators."""
    out = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        out += join_pair(out, piece) + piece
    return out


def _cell_edge(ch: str) -> bool:
    """A digit (any width) or a blank dash: what a table value starts or ends with."""
    return ch.isdigit() or ch == "—"


_SPACE_RUN = re.compile(r"[ \t\u00a0\u3000]+")


def drop_cjk_spaces(text: str) -> str:
    """Collapse space runs to one space, and drop them between two CJK characters.

    Used where a space is layout, not content: a gap in a PDF line, "总 计" spread across a
    header cell, a source line break inside an HTML paragraph.
    """
    def repl(m: re.Match) -> str:
        s, e = m.start(), m.end()
        before = text[s - 1] if s else ""
        after = text[e] if e < len(text) else ""
        if _cell_edge(before) and _cell_edge(after):  # "３２ — ３２": values apart, not one run
            return " "
        return "" if (is_wide(before) and is_wide(after)) else " "
    return _SPACE_RUN.sub(repl, text)
