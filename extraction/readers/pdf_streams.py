"""Refuse a PDF whose compressed streams inflate past a bound, before pdfminer decodes them.

pdfminer inflates a FlateDecode stream in one `zlib.decompress` call, in C, and keeps what it
decoded: a 1 MB PDF whose page content inflates to 1 GiB takes over 2 GB of memory and cannot be
interrupted. Every stream is test-inflated here a megabyte at a time, output discarded, so memory
stays flat. One stream may inflate to at most the bound, and so may all streams but images
together (text extraction never decodes images; a scan's may add up to more). Other filters
(LZW, run-length, Flate behind ASCII85) are not measured.
"""
from __future__ import annotations

import mmap
import re
import zlib
from pathlib import Path

from ..errors import FileTooLarge

MB = 1024 * 1024
STREAM = re.compile(rb"(?<!end)stream\r?\n")
IMAGE = re.compile(rb"/Subtype\s*/Image\b")
DICT_REACH = 4096  # bytes before `stream` searched for the stream's dictionary


def check_streams(path: Path, max_inflated_mb: float) -> None:
    """Raise `zip_bomb` when a stream, or all non-image streams, inflate past `max_inflated_mb`."""
    cap = int(max_inflated_mb * MB)
    total = 0
    with open(path, "rb") as f:
        try:
            data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file: nothing to inflate
            return
        with data:
            for m in STREAM.finditer(data):
                end = data.find(b"endstream", m.end())
                if end < 0:
                    end = len(data)
                head = data[max(0, m.start() - DICT_REACH):m.start()]
                image = IMAGE.search(head[head.rfind(b"obj") + 1:])
                size = inflated_size(data, m.end(), end, cap if image else cap - total)
                total += 0 if image else size
                if size > cap or total > cap:
                    raise FileTooLarge(
                        f"its compressed streams inflate past {max_inflated_mb:g} MB (the one at "
                        f"byte {m.end()} from {(end - m.end()) / MB:.1f} MB): refused as a zip bomb",
                        "zip_bomb")


def inflated_size(data, start: int, end: int, cap: int) -> int:
    """Bytes the zlib stream in data[start:end] inflates to (stopping past `cap`); 0 if not zlib."""
    inflater = zlib.decompressobj()
    total = 0
    pos = start
    pending = b""
    try:
        while True:
            if not pending:
                if pos >= end:
                    break
                pending = data[pos:min(pos + MB, end)]
                pos += len(pending)
            out = inflater.decompress(pending, MB)
            total += len(out)
            if total > cap or inflater.eof:
                break
            pending = inflater.unconsumed_tail
    except zlib.error:
        return total  # not zlib (images, other filters) or damaged: pdfminer decides
    return total
