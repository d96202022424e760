"""Cell text -> value, and a cell's text -> the value pieces ("atoms") it holds.

A printed cell is a count ("12", "１２", "1,234", "12 "), a decimal ("3388.52", "75394432.52元"),
a signed change ("-18") or a blank ("", "—", "-", "/", "无"). A blank is None, never 0.

Text converted from tables does not always keep one value per cell: a crawler text runs a whole
row together ("15130000154"), a PDF conversion puts label and values on one line. `atoms()` cuts
any text into pieces — numbers, blank marks and other text — keeping where each piece is, so
that the table parsers can decide what the pieces mean.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Full-width digits and signs -> ASCII, one character for one, so offsets stay valid.
_WIDTH = str.maketrans("０１２３４５６７８９．，－−／", "0123456789.,--/")

BLANK_MARKS = {"", "—", "——", "———", "-", "--", "–", "/", "无", "－", "／", "-—", "…"}
_UNITS = ("万元", "元", "件", "条", "个", "项", "次")

NUM = "num"
BLANK = "blank"
EMPTY = "empty"   # a cell with nothing in it
TEXT = "text"     # labels, headers, anything that is not a value
LOST = "lost"     # a cell that was not printed (past the page's edge): unknown, not blank


def normalise(text: str) -> str:
    """Full-width digits and punctuation to ASCII, NBSP to space; same length as the input."""
    return text.translate(_WIDTH).replace("\u00a0", " ").replace("\u3000", " ")


def parse_value(raw: str | None) -> int | float | None:
    """The value of one printed cell: int, float (a decimal) or None (a blank).

    Raises ValueError for text that is not a value (a label, "12a").
    """
    s = normalise(raw or "").strip()
    for unit in _UNITS:
        if s.endswith(unit) and len(s) > len(unit):
            s = s[: -len(unit)].strip()
            break
    if s in BLANK_MARKS or set(s) <= {"—", "-", " "}:
        return None
    s = s.replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", s):  # thousands separators
        s = s.replace(",", "")
    if re.fullmatch(r"-?\d+", s):
        return int(s)
    if re.fullmatch(r"-?\d+\.\d+", s):
        return float(s)
    raise ValueError(f"not a value: {raw!r}")


@dataclass
class Atom:
    kind: str          # NUM | BLANK | EMPTY | TEXT
    text: str          # the normalised text of the piece: what parsing reads
    start: int         # offsets in the document text
    end: int
    page: int | None = None
    row: int = 0       # which row of the stream it is in
    cell: int = 0      # which cell (token) of the stream it is in
    raw: str | None = None   # the text as printed (full-width digits kept); None: same as `text`
    whole: bool = False      # printed alone in its own cell: never split into several values

    @property
    def printed(self) -> str:
        return self.text if self.raw is None else self.raw

    @property
    def is_value(self) -> bool:
        return self.kind in (NUM, BLANK)


# A number: sign, digits, optional thousands groups and decimals, optional unit.
# A number glued to a count word or a date ("8份", "2022年", "450项") is prose, not a cell; a
# 无 right after a label's numbering ("（四）无" of （四）无法提供 cut by a row line) is label text.
_PIECE = re.compile(
    r"(?P<num>-?\d+(?:,\d{3})*(?:\.\d+)?(?:\s?(?:万元|元)|(?![\d.,])(?!\s?[件项条宗个次份家篇人年月日号%％])))"
    r"|(?P<blank>(?<![\w\-—/.、#])(?:—+|-+|–|/|(?<![）)])无)(?![\w\-—/]))"
)
# "2.其他法律…": the digit before a dot (or 、) that starts a label is the label's numbering.
_NUMBERING = re.compile(r"(\d)\s*[.、]\s*(?=[^\d\s.])")
# "（1）属于…", "(2)": a numbered label, not a value.
_PAREN_NUMBER = re.compile(r"[（(]\s*\d+\s*[)）]")


def atoms(text: str, offset: int, page: int | None = None, row: int = 0, cell: int = 0) -> list[Atom]:
    """Cut one cell's (or line's) text into atoms; `offset` is where `text` starts in the document."""
    s = normalise(text)
    if not s.strip(" \t\n|"):
        return [Atom(EMPTY, "", offset, offset + len(text), page, row, cell, text)]
    # Blank out label numbering so it is read as text, not as a value.
    masked = list(s)
    for m in _PAREN_NUMBER.finditer(s):
        for i in range(m.start(), m.end()):
            masked[i] = "#"
    for m in _NUMBERING.finditer(s):
        masked[m.start(1)] = "#"
    s2 = "".join(masked)
    out: list[Atom] = []
    pos = 0

    def text_atom(a: int, b: int) -> None:
        piece = s[a:b]
        if piece.strip(" \t\n|"):  # a pipe is a cell border, not text
            a += len(piece) - len(piece.lstrip())
            b -= len(piece) - len(piece.rstrip())
            out.append(Atom(TEXT, s[a:b], offset + a, offset + b, page, row, cell, text[a:b]))

    for m in _PIECE.finditer(s2):
        text_atom(pos, m.start())
        kind = NUM if m.group("num") else BLANK
        out.append(Atom(kind, m.group(0), offset + m.start(), offset + m.end(), page, row, cell,
                        text[m.start():m.end()]))
        pos = m.end()
    text_atom(pos, len(s))
    return _glued_blanks(out)


_DASHES = set("—–-/")


def _glued_blanks(out: list[Atom]) -> list[Atom]:
    """A dash, slash or 无 run in with the numbers of a row ("5—17", "013-", "无260") is a blank
    cell between them, not text to drop (dropping it would read 5—17 as 5/1/7). Digits glued to a number
    that the number pattern could not take ("2012," of "2012,73214") are not text either: they
    stay a number that does not parse, so the row is not read rather than read without them."""
    for i, a in enumerate(out):
        if a.kind != TEXT or not any(0 <= j < len(out) and out[j].kind == NUM and
                                     (out[j].end == a.start or out[j].start == a.end) for j in (i - 1, i + 1)):
            continue
        if set(a.text) <= _DASHES or a.text == "无":
            a.kind = BLANK
        elif re.fullmatch(r"[\d,.]+", a.text):
            a.kind = NUM
    return out
