"""Writers of hostile inputs for the robustness tests: every one is made here, at test time."""
from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path


def zip_bomb_docx(path: Path, inflated_bytes: int = 2 * 1024**3) -> Path:
    """A DOCX-named zip whose document.xml inflates to `inflated_bytes` (default 2 GiB).

    The deflate stream is one full-flushed block of zeros repeated, so it is written in about a
    second instead of compressing gigabytes.
    """
    chunk = b"\0" * (1 << 22)
    assert inflated_bytes % len(chunk) == 0 and inflated_bytes < 2**32
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    n = inflated_bytes // len(chunk)
    crc = 0
    for _ in range(n):
        crc = zlib.crc32(chunk, crc)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty final block
    csize = len(block) * n + len(tail)
    name = b"word/document.xml"
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, csize,
                            inflated_bytes, len(name), 0) + name)
        for _ in range(n):
            f.write(block)
        f.write(tail)
        cd_offset = f.tell()
        cd = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, csize,
                         inflated_bytes, len(name), 0, 0, 0, 0, 0, 0) + name
        f.write(cd)
        f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(cd), cd_offset, 0))
    return path


def nested_html(path: Path, depth: int = 200_000) -> Path:
    path.write_text("<html><body>" + "<div>" * depth + "深" + "</div>" * depth + "</body></html>",
                    encoding="utf-8")
    return path


def random_bytes(path: Path, n: int = 50_000, seed: int = 7) -> Path:
    import random
    path.write_bytes(random.Random(seed).randbytes(n))
    return path


def big_text(path: Path, mb: int = 60) -> Path:
    line = ("本机关持续推进政务公开工作，主动公开政府信息。" * 4 + "\n").encode("utf-8")
    with open(path, "wb") as f:
        for _ in range(mb * 1024 * 1024 // len(line) + 1):
            f.write(line)
    return path


def pdf_with(path: Path, draw, encrypt: str | None = None) -> Path:
    """A real PDF by reportlab; `draw(canvas)` paints the page."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas
    kw = {"encrypt": StandardEncryption(encrypt, ownerPassword=encrypt + "-owner")} if encrypt else {}
    c = canvas.Canvas(str(path), **kw)
    draw(c)
    c.showPage()
    c.save()
    return path


def chinese_pdf(path: Path, lines: list[str], encrypt: str | None = None) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))

    def draw(c):
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            c.drawString(72, 760 - 18 * i, line)
    return pdf_with(path, draw, encrypt)


def image_only_pdf(path: Path) -> Path:
    """A 'scan' with nothing written on it: a frame, no text layer, no text for OCR either."""
    def draw(c):
        c.rect(72, 72, 450, 650, fill=0)
    return pdf_with(path, draw)


def truncate(src: Path, dst: Path, keep: float = 0.5) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * keep)])
    return dst


def peak_rss_mb_of_children() -> float:
    import resource
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


__all__ = [n for n in dir() if not n.startswith("_") and n not in ("os", "struct", "zlib", "Path")]
