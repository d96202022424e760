"""The narrative regions of a document: where figures are tagged.

The prose of the report — sections 一, 五, 六 and the prose sentences of the others — never a
table cell. A text with no section headings (e.g. a narrative opening) is prose throughout,
except for lines that are tables flattened into text. Returns (start, end) ranges of `doc.text`.
"""
from __future__ import annotations

import re

from ..document import Document

TABLE_SECTIONS = (2, 3, 4)  # the template tables' sections: only their prose sentences count


def looks_like_table_line(line: str) -> bool:
    """A table row flattened into text: cells split by tabs or pipes, or a bare number."""
    s = line.strip()
    if "\t" in s or s.startswith("|") or s.count("|") >= 2:
        return True
    return bool(re.fullmatch(r"[\d\s.,%／/—\-－]*", s))


def looks_like_sentence(line: str) -> bool:
    return bool(re.search(r"[。，；]", line)) and len(re.findall(r"[\u4e00-\u9fff]", line)) >= 10


def holds_a_flattened_row(line: str) -> bool:
    """Several numbers in a row split only by spaces or pipes: table cells run into one line.

    A year or a four-digit count ("2022年", "共1234件") is one number, not a row of cells.
    """
    return bool(re.search(r"\d+(?:\.\d+)?(?:[\s|]+\d+(?:\.\d+)?){2,}", line))


def narrative_regions(doc: Document, sections=None) -> list[tuple[int, int]]:
    """(start, end) ranges of prose in `doc.text`, adjacent paragraphs merged."""
    if sections is None:
        from ..sections import find_sections
        sections = find_sections(doc)
    tables = [(b.start, b.end) for b in doc.blocks if b.kind == "table"]
    table_sections = [(s.heading_start, s.end) for s in sections if s.number in TABLE_SECTIONS]
    keep = []
    for b in doc.paragraphs:
        if any(a <= b.start < e or a < b.end <= e for a, e in tables):
            continue
        line = doc.block_text(b)
        if looks_like_table_line(line):
            continue
        section = next((s for s in sections if s.heading_start <= b.start < s.end), None)
        if section is not None and section.number in TABLE_SECTIONS and b.end <= section.end:
            if looks_like_sentence(line) and not holds_a_flattened_row(line):
                keep.append((b.start, b.end))  # prose under a table heading
            continue
        keep += subtract(b.start, b.end, table_sections)
    return merge_ranges(doc.text, keep)


def subtract(start: int, end: int, cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """[start, end) minus the cut ranges (a crawler text's one line holds the whole report)."""
    parts = [(start, end)]
    for a, b in cuts:
        parts = [p for lo, hi in parts for p in ((lo, min(hi, a)), (max(lo, b), hi)) if p[0] < p[1]]
    return parts


def merge_ranges(text: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join ranges separated only by whitespace."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and not text[out[-1][1]:a].strip():
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
