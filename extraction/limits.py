"""Limits that keep one bad file from crashing, hanging or exhausting a run.

Real folders of reports hold broken downloads, zip bombs disguised as DOCX, pages nested
thousands deep and files of hundreds of MB. Every limit here is checked before the expensive
work starts (size, archive members) or enforced around it (time), and breaking one gives an
error record a person can act on, never a crash.
"""
from __future__ import annotations

import os
import signal
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

    def __post_init__(self):
        for name in ("max_file_mb", "max_seconds", "max_unzipped_mb", "max_zip_ratio"):
            if getattr(self, name) <= 0:
                raise ValueError(f"Limits.{name} must be positive")

    @classmethod
    def from_env(cls) -> "Limits":
        """Defaults, overridden by XXGK_MAX_FILE_MB / XXGK_MAX_SECONDS where set."""
        kw = {}
        if os.environ.get("XXGK_MAX_FILE_MB"):
            kw["max_file_mb"] = float(os.environ["XXGK_MAX_FILE_MB"])
        if os.environ.get("XXGK_MAX_SECONDS"):
            kw["max_seconds"] = float(os.environ["XXGK_MAX_SECONDS"])
        return cls(**kw)


def check_file_size(path: Path, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.max_file_mb * MB:
        raise FileTooLarge(f"file too large ({size / MB:.1f} MB, limit {limits.max_file_mb:g} MB)")


def check_archive(path: Path, limits: Limits) -> None:
    """Refuse a zip (DOCX) whose members would inflate past the limits, before reading any."""
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
    except zipfile.BadZipFile as e:
        raise UnreadableFile(f"not a DOCX: the zip container is damaged ({e})", "not_docx")
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


@contextmanager
def time_limit(seconds: float):
    """Raise TimeLimit when the body runs longer than `seconds`.

    Uses SIGALRM, so it only acts in the main thread of a process (the CLI and batch worker
    processes); elsewhere the body runs unbounded rather than failing.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "SIGALRM"):
        yield
        return

    def on_alarm(signum, frame):
        raise TimeLimit(f"took longer than the {seconds:g} s limit per document")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
