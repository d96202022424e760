"""Find the report's six sections (一 … 六). Placeholder: filled in by the sections work."""
from __future__ import annotations

from dataclasses import dataclass

from .document import Document


@dataclass
class Section:
    number: int          # 1..6
    title: str
    heading_start: int   # offset of the heading line
    start: int           # first offset after the heading
    end: int             # offset where the next section starts (or end of text)


def find_sections(doc: Document) -> list[Section]:
    return []
