"""Decode report text in any Chinese encoding: UTF-8 (with or without BOM), GB18030/GBK, UTF-16."""
from __future__ import annotations

import codecs

from ..errors import UnreadableFile

GB_NAMES = ("gb2312", "gbk", "gb18030", "x-gbk", "gb_2312-80", "cp936", "euc-cn", "hz-gb-2312")


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding).

    Order: a BOM; UTF-16 when the bytes look like it (NUL bytes); strict UTF-8 (valid UTF-8 is
    almost never GBK by accident, while pages that declare gb2312 but are UTF-8 are common); the
    declared charset; UTF-16 without BOM or NULs (all-Chinese text); GB18030; detection.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "")
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:4096]:
        found = _utf16(data)
        if found:
            return found
    found = _strict(data, "utf-8")
    if found:
        return found
    if declared:
        declared = declared.strip().lower()
        # GB2312 and GBK pages routinely use characters only GB18030 has: read them as GB18030.
        found = _strict(data, "gb18030" if declared in GB_NAMES else declared)
        if found:
            return found
    found = _utf16(data) or _strict(data, "gb18030")
    if found:
        return found
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    if best is None:
        raise UnreadableFile("not text: no Chinese or Unicode encoding decodes it", "not_text")
    return str(best), best.encoding


def _strict(data: bytes, enc: str) -> tuple[str, str] | None:
    """(text, encoding) when `enc` decodes every byte, else None."""
    try:
        return data.decode(enc), enc
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: the decoded sample is nearly all CJK, ASCII and CJK punctuation."""
    if len(data) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        sample = data[:8192].decode(enc, errors="replace")
        if sample and sum(map(_plausible, sample)) >= 0.95 * len(sample):
            found = _strict(data, enc)
            if found:
                return found
    return None


def _plausible(ch: str) -> bool:
    o = ord(ch)
    return (0x20 <= o < 0x7F or ch in "\r\n\t" or 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF or 0x2010 <= o <= 0x2027 or o in (0xA0, 0xB7))


def refuse_binary_text(text: str, name: str) -> None:
    """Raise `not_text` when decoded "text" is binary data (NULs, control characters, U+FFFD)."""
    if "\x00" in text or binary_share(text) > 0.05:
        raise UnreadableFile(f"not a text file: {name} holds binary data", "not_text")


def binary_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    return bad / len(sample)
