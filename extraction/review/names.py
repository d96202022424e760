"""File names of review pages, shared with the batch command (it writes `reviews/<name>`)."""
from __future__ import annotations

import hashlib
import re
from pathlib import PurePath

from ..record import Record

# Which review pages a summary writes: none, the reports it lists by name, or all.
PAGE_CHOICES = ("none", "listed", "all")


def review_page_name(record: Record) -> str:
    """`<source file name>-<8 hex>.html`: readable, and distinct for distinct inputs.

    The hex is the start of the file's sha256 (of the source path when the file could not be
    hashed), so two reports with one file name in different folders do not overwrite each other.
    Characters that are unsafe in file names or URLs become '_' (Chinese characters are kept).
    """
    source = str(record.source or "report")
    stem = re.sub(r"[^\w.\-]+", "_", PurePath(source).name).strip("._") or "report"
    digest = record.sha256 or hashlib.sha256(source.encode("utf-8")).hexdigest()
    return f"{stem[:80]}-{digest[:8]}.html"
