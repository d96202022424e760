"""Limits that keep one bad file from crashing, hanging or exhausting a run.

Real folders of reports hold broken downloads, zip bombs disguised as DOCX, pages nested
thousands deep and files of hundreds of MB. Every limit here is checked before the expensive
work starts (size, archive members) or enforced around it (time), and breaking one gives an
error record a person can act on, never a crash.
"""
from __future__ import annotations

import os
import signal
import struct
import threading
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import FileTooLarge, TimeLimit, UnreadableFile

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_mb: float = 50.0          # a report is rarely over 20 MB; scans can be larger
    max_seconds: float = 120.0         # per document, reading + extraction
    max_unzipped_mb: float = 200.0     # sum of a DOCX's members, uncompressed
    max_zip_ratio: float = 200.0       # uncompressed / compressed, per member
    max_text_chars: int = 5_000_000    # decoded text handed to the parsers
    max_pages: int = 300               # PDF pages; reports run to 5-60 pages
    max_zip_members: int = 10_000      # a DOCX holds tens of parts, a few hundred with images
    max_image_pixels: int = 60_000_000  # a scanned page; A4 at 300 dpi is 8.7 million

    def __post_init__(self):
        for name in ("max_file_mb", "max_seconds", "max_unzipped_mb", "max_zip_ratio",
                     "max_text_chars", "max_pages", "max_zip_members", "max_image_pixels"):
            if getattr(self, name) <= 0:
                raise ValueError(f"Limits.{name} must be positive")

    @classmethod
    def from_env(cls) -> "Limits":
        """Defaults, overridden by XXGK_MAX_FILE_MB / XXGK_MAX_SECONDS / XXGK_MAX_PAGES where set."""
        kw = {}
        if os.environ.get("XXGK_MAX_PAGES"):
            kw["max_pages"] = int(os.environ["XXGK_MAX_PAGES"])
        if os.environ.get("XXGK_MAX_FILE_MB"):
            kw["max_file_mb"] = float(os.environ["XXGK_MAX_FILE_MB"])
        if os.environ.get("XXGK_MAX_SECONDS"):
            kw["max_seconds"] = float(os.environ["XXGK_MAX_SECONDS"])
        return cls(**kw)


def check_file_size(path: Path, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.max_file_mb * MB:
        raise FileTooLarge(f"file too large ({size / MB:.1f} MB, limit {limits.max_file_mb:g} MB)")


def check_text_length(n_chars: int, limits: Limits) -> None:
    """Refuse decoded text longer than the parsers are meant for (a log or a data dump)."""
    if n_chars > limits.max_text_chars:
        raise FileTooLarge(f"text too long ({n_chars:,} characters, limit {limits.max_text_chars:,}):"
                           " not an annual report, or several joined", "text_too_long")


def check_archive(path: Path, limits: Limits) -> None:
    """Refuse a zip (DOCX) whose members would inflate past the limits, before reading any."""
    _check_member_count(_stated_member_count(path), limits)
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
    except zipfile.BadZipFile as e:
        raise UnreadableFile(f"not a DOCX: the zip container is damaged ({e})", "not_docx")
    _check_member_count(len(members), limits)
    total = 0
    for m in members:
        total += m.file_size
        if m.compress_size and m.file_size / m.compress_size > limits.max_zip_ratio and m.file_size > MB:
            raise FileTooLarge(
                f"archive member {m.filename} inflates {m.file_size / m.compress_size:.0f}-fold "
                f"to {m.file_size / MB:.0f} MB: refused as a zip bomb", "zip_bomb")
    if total > limits.max_unzipped_mb * MB:
        raise FileTooLarge(f"archive inflates to {total / MB:.0f} MB "
                           f"(limit {limits.max_unzipped_mb:g} MB): refused as a zip bomb", "zip_bomb")


def _check_member_count(n: int | None, limits: Limits) -> None:
    if n is not None and n > limits.max_zip_members:
        raise FileTooLarge(f"archive holds {n:,} members (limit {limits.max_zip_members:,}):"
                           " refused, a DOCX holds tens", "too_many_members")


def _stated_member_count(path: Path) -> int | None:
    """The member count in the zip's end record: read in one seek, where listing the members of
    a zip crafted with hundreds of thousands takes seconds."""
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        f.seek(max(0, f.tell() - 65_557))  # the end record (22 bytes) plus the longest comment
        tail = f.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < 22:
            return None
        n = struct.unpack("<H", tail[at + 10:at + 12])[0]
        locator = tail[at - 20:at] if at >= 20 else b""
        if n != 0xFFFF or not locator.startswith(b"PK\x06\x07"):
            return n
        f.seek(struct.unpack("<Q", locator[8:16])[0])  # a zip64 end record holds the count
        record = f.read(56)
    if not record.startswith(b"PK\x06\x06") or len(record) < 40:
        return None
    return struct.unpack("<Q", record[32:40])[0]


@contextmanager
def time_limit(seconds: float):
    """Raise TimeLimit when the body runs longer than `seconds`.

    Uses SIGALRM, so it only acts in the main thread of a process (the CLI and batch worker
    processes); elsewhere the body runs unbounded rather than failing. The alarm repeats every
    second until the body ends: libraries that catch every exception (pdfminer, pdfplumber) may
    swallow the first one.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "SIGALRM"):
        yield
        return

    def on_alarm(signum, frame):
        raise TimeLimit(f"took longer than the {seconds:g} s limit per document "
                        "(Limits.max_seconds, XXGK_MAX_SECONDS)")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
