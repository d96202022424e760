"""The unlabelled report text in the shared folder: every report we have, read by our readers.

Used for the character vocabulary and for masked-LM pre-training. Nothing here is labelled, so
the dev documents' texts may be in it (their gold labels never are).
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)


def default_shared_dir() -> Path:
    """`$XXGK_SHARED`, else `../shared` beside the repository."""
    env = os.environ.get("XXGK_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "shared"


def corpus_files(shared: str | Path) -> list[Path]:
    """Seeds, full reports, narrative openings (annotated or not: only their text is used here),
    never the sealed holdout."""
    shared = Path(shared)
    from extraction.readers import SUPPORTED
    files: list[Path] = []
    for sub in ("seeds", "corpus/reports", "corpus/narrative", "corpus/narrative-2", "corpus/unlabelled"):
        d = shared / sub
        if d.is_dir():
            files += sorted(f for f in d.iterdir()
                            if f.is_file() and f.suffix.lower() in SUPPORTED)
    return files


def corpus_texts(shared: str | Path) -> list[tuple[str, str]]:
    """(file name, document text) for every readable report; unreadable ones are logged, skipped."""
    from extraction.readers import read
    out = []
    for f in corpus_files(shared):
        try:
            out.append((f.name, read(f).text))
        except Exception as e:  # a reader still being written must not stop pre-training
            log.warning("skipping %s: %s: %s", f, type(e).__name__, e)
    return out
