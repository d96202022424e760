"""Decode report text in any Chinese encoding: UTF-8 (with or without BOM), GB18030/GBK, UTF-16."""
from __future__ import annotations

import codecs

from ..errors import UnreadableFile


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding). BOMs win, then a declared charset that decodes, then detection."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc), enc.replace("-sig", "")
    candidates = []
    if declared:
        declared = declared.strip().lower()
        # GB2312 and GBK pages routinely use characters only GB18030 has: read them as GB18030.
        candidates.append("gb18030" if declared in ("gb2312", "gbk", "gb18030", "x-gbk") else declared)
    candidates += ["utf-8", "gb18030"]
    if _looks_utf16(data):
        candidates.insert(0, "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be")
    for enc in candidates:
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    if best is None:
        raise UnreadableFile("not text: no Chinese or Unicode encoding decodes it", "not_text")
    return str(best), best.encoding


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: many NUL bytes on one side of each pair (ASCII and CJK alike)."""
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    return max(even, odd) > half * 0.3 and min(even, odd) < half * 0.05
