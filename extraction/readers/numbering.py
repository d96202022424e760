"""Word's automatic list numbers ("一、", "（二）", "3.") written back into paragraph text.

Section headings of a report are often Word list items: the "一、" is not in the paragraph's
text but generated from numbering.xml. Without it a heading reads "总体情况" and the sections
cannot be found, so the reader renders the numbers the way Word shows them.
"""
from __future__ import annotations

from docx.oxml.ns import qn

from .cjk import is_wide

CN_DIGITS = "零一二三四五六七八九"
CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def chinese_count(n: int, digits: str = CN_DIGITS, ten: str = "十") -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一, 105 -> 一百零五 (as Word counts)."""
    if n <= 0:
        return digits[0]
    if n < 10:
        return digits[n]
    if n < 20:
        return ten + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + ten + (digits[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = digits[n // 100] + "百"
        if not rest:
            return head
        return head + ("零" + digits[rest] if rest < 10 else
                       (digits[1] + ten + (digits[rest % 10] if rest % 10 else "") if rest < 20
                        else chinese_count(rest, digits, ten)))
    return str(n)


def roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


def letters(n: int) -> str:
    # Word repeats the letter: 27 -> AA, 28 -> BB
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def format_number(n: int, fmt: str) -> str | None:
    """A counter in one of Word's numFmt styles; None for a style not known here."""
    simple = {
        "decimal": str(n), "decimalZero": f"{n:02d}", "upperRoman": roman(n),
        "lowerRoman": roman(n).lower(), "upperLetter": letters(n), "lowerLetter": letters(n).lower(),
        "chineseCounting": chinese_count(n), "chineseCountingThousand": chinese_count(n),
        "taiwaneseCounting": chinese_count(n), "taiwaneseCountingThousand": chinese_count(n),
        "japaneseCounting": chinese_count(n), "ideographLegalTraditional": chinese_count(n, CN_LEGAL, "拾"),
        "chineseLegalSimplified": chinese_count(n, CN_LEGAL, "拾"),
        "ideographDigital": "".join(CN_DIGITS[int(d)] for d in str(n)).replace("零", "〇"),
        "taiwaneseDigital": "".join(CN_DIGITS[int(d)] for d in str(n)).replace("零", "〇"),
        "ideographTraditional": HEAVENLY_STEMS[(n - 1) % 10] if n > 0 else "",
        "ideographZodiac": EARTHLY_BRANCHES[(n - 1) % 12] if n > 0 else "",
        "decimalFullWidth": "".join(chr(0xFF10 + int(d)) for d in str(n)),
        "decimalFullWidth2": "".join(chr(0xFF10 + int(d)) for d in str(n)),
        "decimalHalfWidth": str(n),
        "decimalEnclosedCircle": chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
        "decimalEnclosedCircleChinese": chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
        "decimalEnclosedParen": chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})",
        "decimalEnclosedFullstop": chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}.",
        "ideographEnclosedCircle": chr(0x3220 + n - 1) if 1 <= n <= 10 else chinese_count(n),
        "none": "", "bullet": "",
    }
    return simple.get(fmt)


class Numbering:
    """Counts list items in document order and renders each one's label."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, dict]] = {}     # numId -> ilvl -> level definition
        self.style_num: dict[str, tuple[str, int]] = {}  # styleId -> (numId, ilvl)
        self.counters: dict[str, list[int | None]] = {}  # None: level not started
        self.unknown_formats: set[str] = set()
        self._load_numbering(document)
        self._load_styles(document)

    def _load_numbering(self, document) -> None:
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for an in root.findall(qn("w:abstractNum")):
            abstract[an.get(qn("w:abstractNumId"))] = {
                int(lvl.get(qn("w:ilvl"), "0")): _level(lvl) for lvl in an.findall(qn("w:lvl"))}
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            levels = {k: dict(v) for k, v in abstract.get(_val(ref), {}).items()}
            for override in num.findall(qn("w:lvlOverride")):
                ilvl = int(override.get(qn("w:ilvl"), "0"))
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
                start = override.find(qn("w:startOverride"))
                if start is not None and ilvl in levels:
                    levels[ilvl]["start"] = int(_val(start) or 1)
            self.levels[num.get(qn("w:numId"))] = levels

    def _load_styles(self, document) -> None:
        try:
            styles = document.styles.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        based_on = {}
        for st in styles.findall(qn("w:style")):
            sid = st.get(qn("w:styleId"))
            num_pr = st.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num_pr is not None:
                num_id = num_pr.find(qn("w:numId"))
                ilvl = num_pr.find(qn("w:ilvl"))
                self.style_num[sid] = (_val(num_id) or "0", int(_val(ilvl) or 0))
            parent = st.find(qn("w:basedOn"))
            if parent is not None:
                based_on[sid] = _val(parent)
        for sid in based_on:  # a style inherits its parent's numbering
            seen, cur = set(), sid
            while cur in based_on and cur not in self.style_num and cur not in seen:
                seen.add(cur)
                cur = based_on[cur]
            if cur in self.style_num and sid not in self.style_num:
                self.style_num[sid] = self.style_num[cur]

    def label(self, p) -> str:
        """The rendered list label of paragraph `p` ("一、"), advancing the counters; "" if none."""
        num_id, ilvl = self._num_pr(p)
        if not num_id or num_id == "0" or num_id not in self.levels:
            return ""
        levels = self.levels[num_id]
        if ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, [None] * 9)
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = None
        current = counts[ilvl]
        counts[ilvl] = levels[ilvl]["start"] if current is None else current + 1
        text = levels[ilvl]["text"]
        for k in range(9):
            if f"%{k + 1}" in text:
                lvl = levels.get(k, {"fmt": "decimal", "start": 1})
                n = lvl["start"] if counts[k] is None else counts[k]
                rendered = format_number(n, lvl["fmt"])
                if rendered is None:
                    self.unknown_formats.add(lvl["fmt"])
                    rendered = str(n)
                text = text.replace(f"%{k + 1}", rendered)
        if levels[ilvl]["fmt"] == "bullet" or not text.strip():
            return ""
        return text if is_wide(text[-1]) else text + " "

    def _num_pr(self, p) -> tuple[str | None, int]:
        ppr = p.find(qn("w:pPr"))
        if ppr is not None:
            num_pr = ppr.find(qn("w:numPr"))
            if num_pr is not None:
                return _val(num_pr.find(qn("w:numId"))), int(_val(num_pr.find(qn("w:ilvl"))) or 0)
            style = ppr.find(qn("w:pStyle"))
            if style is not None and _val(style) in self.style_num:
                return self.style_num[_val(style)]
        return None, 0


def _val(el) -> str | None:
    return el.get(qn("w:val")) if el is not None else None


def _level(lvl) -> dict:
    start = lvl.find(qn("w:start"))
    fmt = lvl.find(qn("w:numFmt"))
    text = lvl.find(qn("w:lvlText"))
    return {"start": int(_val(start) or 1), "fmt": _val(fmt) or "decimal",
            "text": _val(text) if text is not None else ""}
