"""Scans made at test time: text-layer PDFs rendered to page images and degraded the way a
scanner and a photocopier degrade them (grey, blur, speckle, a slight rotation), written as
image-only PDFs, PNG pages or a multi-page TIFF. Also the hostile images of the limit tests.

Used by the OCR tests and by `tools/ocr_bench.py`; made with Pillow and pypdfium2 only.
"""
from __future__ import annotations

import random
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Degrade:
    dpi: int = 200
    angle: float = 0.6       # degrees, counter-clockwise (a page fed slightly askew)
    blur: float = 0.6        # Gaussian radius in pixels at 200 dpi
    speckle: float = 0.002   # share of pixels turned to dark or light dust
    grey: int = 40           # paper brighter than black ink by this much less than white
    turn: int = 0            # 0, 90, 180, 270: the whole page turned


def render(pdf_path: Path, dpi: int, pages: list[int] | None = None):
    """Grey PIL images of a PDF's pages (all, or the 0-based `pages`)."""
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        numbers = pages if pages is not None else range(len(pdf))
        return [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
                for i in numbers]
    finally:
        pdf.close()


def degrade(img, d: Degrade, seed: int = 0):
    """`img` as a poor scan: grey paper and ink, blur, speckle, askew, maybe turned."""
    from PIL import Image, ImageFilter
    rng = random.Random(seed)
    img = img.point(lambda v: d.grey + v * (255 - 2 * d.grey) // 255)  # grey ink on grey paper
    if d.blur:
        img = img.filter(ImageFilter.GaussianBlur(d.blur * d.dpi / 200))
    if d.angle:
        img = img.rotate(d.angle, resample=Image.BICUBIC, fillcolor=255 - d.grey)
    if d.speckle:
        px = img.load()
        w, h = img.size
        for _ in range(int(w * h * d.speckle)):
            x, y = rng.randrange(w), rng.randrange(h)
            px[x, y] = rng.choice((30, 90, 220))
    if d.turn:
        img = img.rotate(d.turn, expand=True)
    return img


def scan_pdf(pdf_path: Path, out: Path, d: Degrade = Degrade(), pages: list[int] | None = None,
             seed: int = 0) -> Path:
    """An image-only PDF of `pdf_path`'s pages, degraded."""
    imgs = [degrade(im, d, seed + i) for i, im in enumerate(render(pdf_path, d.dpi, pages))]
    imgs[0].save(out, "PDF", save_all=True, append_images=imgs[1:], resolution=d.dpi)
    return out


def scan_pngs(pdf_path: Path, folder: Path, d: Degrade = Degrade(),
              pages: list[int] | None = None, seed: int = 0) -> list[Path]:
    """One degraded PNG a page (each a report of its own when read)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, im in enumerate(render(pdf_path, d.dpi, pages)):
        p = folder / f"{pdf_path.stem}-p{i + 1}.png"
        degrade(im, d, seed + i).save(p, dpi=(d.dpi, d.dpi))
        out.append(p)
    return out


def scan_tiff(pdf_path: Path, out: Path, d: Degrade = Degrade(),
              pages: list[int] | None = None, seed: int = 0) -> Path:
    """A multi-page TIFF of `pdf_path`'s pages, degraded: one report."""
    imgs = [degrade(im, d, seed + i) for i, im in enumerate(render(pdf_path, d.dpi, pages))]
    imgs[0].save(out, save_all=True, append_images=imgs[1:], dpi=(d.dpi, d.dpi),
                 compression="tiff_lzw")
    return out


def red_seal(img, centre: tuple[int, int], radius: int):
    """`img` (grey) in colour with a red seal stamped at `centre`: a ring, a star and its
    agency's name, as offices stamp a report, over whatever is printed there."""
    from PIL import Image, ImageDraw
    import math
    out = img.convert("RGB")
    layer = Image.new("RGB", out.size, (255, 255, 255))
    draw = ImageDraw.Draw(layer)
    x, y = centre
    red = (220, 40, 40)
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=red,
                 width=max(3, radius // 25))
    star = [(x + radius * 0.3 * math.cos(math.pi / 2 + k * 4 * math.pi / 5),
             y - radius * 0.3 * math.sin(math.pi / 2 + k * 4 * math.pi / 5)) for k in range(5)]
    draw.polygon(star, fill=red)
    for k in range(12):  # the name around the ring: blocks of red ink
        a = math.pi * (0.9 + 1.2 * k / 11)
        cx, cy = x + radius * 0.75 * math.cos(a), y - radius * 0.75 * math.sin(a)
        draw.rectangle((cx - radius / 14, cy - radius / 14, cx + radius / 14, cy + radius / 14),
                       fill=red)
    # Ink stamped over print: the darker of the two at each pixel.
    from PIL import ImageChops
    return ImageChops.darker(out, layer)


# ------------------------------------------------------------------ hostile images

def png_header_bomb(path: Path, width: int = 100_000, height: int = 100_000) -> Path:
    """A small PNG whose header claims `width` × `height` pixels (grey): a decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1000)  # far too little data: never decoded anyway
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat)
                     + chunk(b"IEND", b""))
    return path


def truncated_jpeg(path: Path) -> Path:
    """A real JPEG page cut off after its first third."""
    import io
    from PIL import Image, ImageDraw
    img = Image.new("L", (1200, 1600), 255)
    ImageDraw.Draw(img).rectangle((100, 100, 1100, 1500), outline=0, width=3)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    data = buf.getvalue()
    path.write_bytes(data[:len(data) // 3])
    return path


def many_page_tiff(path: Path, n: int = 10_000) -> Path:
    """A TIFF of `n` one-pixel pages, written directly (Pillow's writer takes minutes for that
    many): `n` image directories sharing one white pixel."""
    def entry(tag: int, kind: int, value: int) -> bytes:  # kind 3 = SHORT, 4 = LONG
        return struct.pack("<HHI", tag, kind, 1) + struct.pack("<I", value)
    pixel_at, first = 8, 12  # header, the pixel (padded to 4 bytes), then the directories
    size = 2 + 8 * 12 + 4
    out = [b"II*\x00" + struct.pack("<I", first), b"\xff\0\0\0"]
    for i in range(n):
        nxt = first + (i + 1) * size if i < n - 1 else 0
        out.append(struct.pack("<H", 8) + entry(256, 3, 1) + entry(257, 3, 1) + entry(258, 3, 8)
                   + entry(259, 3, 1) + entry(262, 3, 1) + entry(273, 4, pixel_at)
                   + entry(278, 3, 1) + entry(279, 4, 1) + struct.pack("<I", nxt))
    path.write_bytes(b"".join(out))
    return path
