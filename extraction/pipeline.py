"""One report in, one record out: read -> sections -> tables / figures -> checks -> record."""
from __future__ import annotations

import hashlib
from pathlib import Path

from .document import Document
from .errors import ExtractionError
from .readers import read


def read_document(path: str | Path) -> Document:
    return read(Path(path))


def extract(path: str | Path, model=None, figures: bool = True) -> dict:
    """Extract one report into the record of spec/output.md; errors become an error record.

    `model` is a loaded figure tagger (or a folder to load one from); None uses the shipped model
    when figures are asked for.
    """
    path = Path(path)
    source = str(path)
    try:
        data_hash = _sha256(path)
    except OSError as e:
        return {"source": source, "sha256": None,
                "error": {"type": "unreadable_file", "message": f"cannot open: {e.strerror or e}"}}
    try:
        doc = read(path)
        return extract_document(doc, sha256=data_hash, model=model, figures=figures)
    except ExtractionError as e:
        return {"source": source, "sha256": data_hash, "error": {"type": e.type, "message": str(e)}}


def extract_document(doc: Document, sha256: str | None = None, model=None,
                     figures: bool = True) -> dict:
    from .record import build_record
    return build_record(doc, sha256=sha256, model=model, figures=figures)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
