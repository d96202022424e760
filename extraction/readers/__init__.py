"""Readers: a report file of any supported format -> one `Document`.

`read(path)` picks the reader by the file's bytes first and its extension second, so a PDF saved
as `.txt` is still read as a PDF.
"""
from __future__ import annotations

from pathlib import Path

from ..document import Document
from ..errors import UnsupportedFormat

# Extensions `xxgk` picks up when it walks a folder.
SUPPORTED = (".txt", ".text", ".html", ".htm", ".shtml", ".xhtml", ".docx", ".pdf", ".md",
             ".markdown", ".doc", ".wps")


def sniff_format(path: Path, head: bytes) -> str:
    """The format of a file from its first bytes, falling back to its extension."""
    ext = path.suffix.lower()
    low = head[:2048].lstrip().lower()
    if head.startswith(b"%PDF") or (ext == ".pdf" and b"%PDF-" in head[:1024]):
        return "pdf"  # a PDF's header may follow a little junk
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: .doc / .wps
        return "doc"
    if head.startswith(b"{\\rtf"):  # RTF, often saved as .doc: LibreOffice reads it
        return "doc"
    if ext in (".doc", ".wps", ".txt", ".text", "") and (b"<html" in low or b"<!doctype html" in low):
        return "html"  # web pages saved as "Word" files or .txt are common on government sites
    if ext in (".html", ".htm", ".shtml", ".xhtml"):
        return "html"
    if ext in (".md", ".markdown"):
        return "md"
    if ext in (".docx",):
        return "docx"
    if ext in (".pdf",):
        return "pdf"
    if ext in (".txt", ".text", "", ".doc", ".wps"):  # a .doc that is not OLE2/RTF/HTML: text?
        return "txt"
    raise UnsupportedFormat(f"unsupported file type {ext!r}: xxgk reads {', '.join(SUPPORTED)}")


def read(path: str | Path) -> Document:
    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(4096)
    fmt = sniff_format(path, head)
    if fmt == "txt":
        from .text import read_text
        return read_text(path)
    if fmt == "md":
        from .markdown import read_markdown
        return read_markdown(path)
    if fmt == "html":
        from .html import read_html
        return read_html(path)
    if fmt == "docx":
        from .docx import read_docx
        return read_docx(path)
    if fmt == "pdf":
        from .pdf import read_pdf
        return read_pdf(path)
    if fmt == "doc":
        from .office import read_doc
        return read_doc(path)
    raise UnsupportedFormat(f"unsupported format {fmt}")
