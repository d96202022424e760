"""Plain text reports (.txt): decoded from any Chinese encoding, line ends normalised.

Tables in text files arrive flattened; the table parser reads them from the lines, so the text is
kept exactly as decoded — except for the bookmark markers some DOCX-to-text converters leave
(`[bookmark: _GoBack]`), which are not the report's words.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..document import Document, document_from_text
from ..limits import Limits, check_text_length
from .encoding import decode, refuse_binary_text
from .registry import reader

BOOKMARK = re.compile(r"\[bookmark: [^\]\n]{1,80}\]")


@reader("txt", suffixes=(".txt", ".text"))
def read_text(path: Path, limits: Limits | None = None) -> Document:
    text, _ = decode(path.read_bytes())
    check_text_length(len(text), limits or Limits())
    refuse_binary_text(text, path.name)
    text = BOOKMARK.sub("", text.lstrip("\ufeff"))
    doc = document_from_text(text, "txt", str(path))
    if not doc.blocks:
        doc.warnings.append("the file holds no text")
    return doc
