"""Plain text reports (.txt): decoded from any Chinese encoding, line ends normalised.

Tables in text files arrive flattened; the table parser reads them from the lines, so the text is
kept exactly as decoded.
"""
from __future__ import annotations

from pathlib import Path

from ..document import Document, document_from_text
from ..errors import UnreadableFile
from .encoding import decode


def read_text(path: Path) -> Document:
    data = path.read_bytes()
    text, encoding = decode(data)
    if "\x00" in text or _binary_share(text) > 0.05:
        raise UnreadableFile(f"not a text file: {path.name} holds binary data", "not_text")
    doc = document_from_text(text.lstrip("\ufeff"), "txt", str(path))
    if not doc.blocks:
        doc.warnings.append("the file holds no text")
    return doc


def _binary_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    return bad / len(sample)
