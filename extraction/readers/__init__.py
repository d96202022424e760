"""Readers: a report file of any supported format -> one `Document`.

`read(path)` picks the reader by the file's bytes first and its extension second, so a PDF saved
as `.txt` is still read as a PDF, while an image or a program saved as `.txt` is refused as
`not_text`. `limits` bound what a reader takes on (pages, characters).

Each format's reader registers itself by name (registry.py); importing its module below is all
this package needs to know of it.
"""
from __future__ import annotations

from pathlib import Path

from ..document import Document
from ..errors import NoTextLayer, UnreadableFile, UnsupportedFormat
from ..limits import Limits, check_text_length
from . import text, html, docx, pdf, markdown, office, ocr  # noqa: F401,E401  (register the readers)
from .registry import READERS, format_of_suffix, suffixes

# Extensions `xxgk` picks up when it walks a folder.
SUPPORTED = suffixes()


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
    if ext in ("", ".doc", ".wps"):  # no name, or a .doc that is not OLE2/RTF/HTML: text?
        return "txt"
    if fmt := format_of_suffix(ext):
        return fmt
    raise UnsupportedFormat(f"unsupported file type {ext!r}: xxgk reads {', '.join(SUPPORTED)}")


# Signatures of binary files that turn up under text extensions in downloaded folders. The
# two-byte ones count only with a NUL byte near them (a text may start with "MZ" or "BM").
BINARY = ((b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"GIF8", "a GIF image"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
          (b"\x7fELF", "an ELF program"), (b"\x1f\x8b", "a gzip archive"), (b"Rar!", "a RAR archive"),
          (b"7z\xbc\xaf", "a 7z archive"), (b"PK\x05\x06", "an empty ZIP archive"),
          (b"MZ", "a Windows program"), (b"BM", "a BMP image"))
TEXT_FORMATS = ("txt", "md", "html")
TEXT_EXTENSIONS = suffixes(*TEXT_FORMATS)


def refuse_binary(path: Path, head: bytes, fmt: str) -> str:
    """`fmt`, unless the file is binary under a text extension: then raise `not_text`.

    A ZIP that holds a Word document is read as a DOCX whatever its name.
    """
    if head.startswith(b"PK\x03\x04"):
        if path.suffix.lower() in TEXT_EXTENSIONS and not _is_docx_zip(path):
            raise UnreadableFile(f"not a text file: {path.name} is a ZIP archive", "not_text")
        return fmt
    if fmt not in TEXT_FORMATS:
        return fmt
    for magic, kind in BINARY:
        if head.startswith(magic) and (len(magic) > 2 or b"\x00" in head[:256]):
            raise UnreadableFile(f"not a text file: {path.name} is {kind}", "not_text")
    return fmt


def _is_docx_zip(path: Path) -> bool:
    import zipfile
    try:
        with zipfile.ZipFile(path) as z:
            return "word/document.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def read(path: str | Path, limits: Limits | None = None, settings: dict | None = None) -> Document:
    """The document of a file; `settings` maps a reader's name to its settings (Config.readers)."""
    path = Path(path)
    limits = limits or Limits.from_env()
    with open(path, "rb") as f:
        head = f.read(4096)
    fmt = refuse_binary(path, head, sniff_format(path, head))
    doc = _read_as(fmt, path, limits, (settings or {}).get(fmt))
    check_text_length(len(doc.text), limits)
    return doc


def _read_as(fmt: str, path: Path, limits: Limits, settings=None) -> Document:
    found = READERS.get(fmt)
    if found is None:
        raise UnsupportedFormat(f"unsupported format {fmt}")
    kw = {"limits": limits} if found.takes_limits else {}
    if settings is not None and found.settings is not None:
        kw["settings"] = settings
    try:
        return found.read(path, **kw)
    except NoTextLayer:
        if fmt != "pdf":
            raise
        return ocr.read_scanned_pdf(path, limits=limits)  # a scan
