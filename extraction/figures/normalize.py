"""A QTY's text -> (value, unit, approx), as annotation.md's "Values" says.

`4147余条` -> (4147, "条", True); `3388.52万元` -> (33885200, "元", False); `两期` -> (2, "期",
False); `1至2名` -> (1, "名", True). Words that make a figure approximate may stand outside the
span (`约980862次`, `70%以上`), so the caller passes the text around it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL = "零〇一二两三四五六七八九十百千"

# Approximation words just before the span (longest first) and just after it.
APPROX_BEFORE = ("超过", "突破", "将近", "接近", "大约", "约为", "约", "近", "超", "逾", "多达")
APPROX_AFTER = ("以上", "左右", "有余")
NOT_APPROX = ("节约", "最近", "附近")
# Words that may stand between an approx word and the number ("约为", "超过了").
FILLER = "了为达共计"

_NUM = r"[0-9０-９]+(?:[.,，][0-9０-９]+)*"
_QTY = re.compile(
    # a figure may start at its multiplier (近万份: 10000), and an Arabic number may carry a
    # Chinese one (2千万人次: 20000000); 千米, 千瓦, 千克 are units, not multipliers
    rf"^(?P<num>{_NUM}(?P<smult>[百千](?![米瓦克卡]))?|[{CN_NUMERAL}]+|(?=[万亿]))"
    rf"(?:\s*(?:至|到|-|—|~|～)\s*(?P<upper>{_NUM}|[{CN_NUMERAL}]+))?"
    r"\s*(?P<approx1>余|多)?\s*(?P<mult>[万亿])?(?P<approx2>余|多)?\)?\s*大?(?P<unit>.*)$")


@dataclass(frozen=True)
class Quantity:
    value: int | float
    unit: str
    approx: bool


def chinese_to_int(s: str) -> int:
    """`十二` -> 12, `一百零五` -> 105, `两` -> 2, `百` -> 100, `二〇二三` -> 2023."""
    if all(c in DIGITS for c in s) and len(s) > 1:  # digit by digit, as in years
        return int("".join(str(DIGITS[c]) for c in s))
    total, section, digit = 0, 0, None
    for c in s:
        if c in DIGITS:
            digit = DIGITS[c]
        elif c in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[c]
            digit = None
        elif c in BIG_UNITS:
            total += (section + (digit or 0)) * BIG_UNITS[c]
            section, digit = 0, None
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + section + (digit or 0)


def parse_number(s: str) -> int | float:
    """Arabic (full- or half-width, with thousands commas) or Chinese numerals."""
    s = s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if s[0] in CN_NUMERAL:
        return chinese_to_int(s)
    if re.fullmatch(r"\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?", s):
        s = s.replace(",", "").replace("，", "")
    s = s.replace("，", ".").replace(",", ".")
    return float(s) if "." in s else int(s)


def _clean(value: float | int) -> int | float:
    if isinstance(value, float):
        value = round(value, 6)
        if value.is_integer():
            return int(value)
    return value


def normalize(qty: str, before: str = "", after: str = "") -> Quantity:
    """Value, unit and approx of a QTY text; `before`/`after` are the texts around it.

    Raises ValueError for a text that does not start with a numeral.
    """
    m = _QTY.match(qty.strip())
    if not m:
        raise ValueError(f"not a quantity: {qty!r}")
    if not m["num"]:
        if not m["unit"].strip():
            raise ValueError(f"not a quantity: {qty!r}")
        value = 1
    elif m["smult"]:
        value = parse_number(m["num"][:-1]) * SMALL_UNITS[m["smult"]]
    else:
        value = parse_number(m["num"])
    if m["mult"]:
        value = value * BIG_UNITS[m["mult"]]
    unit = m["unit"].strip()
    unit = re.sub(r"[（(][^）)]*[）)]$", "", unit).strip() or unit  # 1853篇(条) -> 篇
    approx = bool(m["approx1"] or m["approx2"] or m["upper"])
    approx = approx or is_approx_context(before, after)
    return Quantity(_clean(value), unit, approx)


def is_approx_context(before: str, after: str) -> bool:
    """True when the words right around a number say it is not exact (约…, …以上)."""
    b = before.rstrip()
    if b.endswith(NOT_APPROX):
        return False
    if b.endswith(APPROX_BEFORE) or b.rstrip(FILLER).endswith(APPROX_BEFORE):
        return True
    return after.lstrip().startswith(APPROX_AFTER)
