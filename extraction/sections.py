"""Find the report's six sections (一 … 六) by their headings.

A heading is recognised by its wording, not its numeral: most reports number the sections
一 … 六 ("二、主动公开政府信息情况", "三．…", "四. …"), but some drop the numeral ("主动公开政府信息情况"
alone on a line), repeat a heading, run it into the text (crawler texts hold the whole report on
one line), or renumber them (a report with its own 一 … 六 narrative sections followed by the
template tables as "一、主动公开政府信息情况", "二、收到和处理…"). So each numbered heading or
heading-only line is matched against the usual wordings of the six sections; for each section
the first strong match is taken (a weaker wording only if there is none). A heading listed in
the preamble ("本报告包括总体情况、主动公开政府信息情况、…") has no numeral and is not a line of
its own, so it is not a section start.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .document import Document


@dataclass
class Section:
    number: int          # 1..6
    title: str
    heading_start: int   # offset of the heading line
    start: int           # first offset after the heading
    end: int             # offset where the next section starts (or end of text)


@dataclass
class SectionSettings:
    max_heading_line: int = 40   # an unnumbered heading is a short line of its own
    max_run_on: int = 12         # text after a heading on its line, above which the text runs on


# Section number -> (strong wordings, weak wordings). Matched at the start of a heading's text.
TITLES: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {
    1: ((r"\S{0,14}?总体\S{0,4}?情况", r"概\s*述"), (r"\S{0,12}?基本\S{0,2}?情况", r"\S{0,6}?工作概况")),
    2: ((r"(?:政府)?主动公开政府信息(?:的)?情况", r"主动公开政府信息"),
        (r"主动公开\S{0,8}?情况", r"主动公开")),
    3: ((r"收到和处理\S{0,12}?申请", r"收到\S{0,4}处理\S{0,12}?申请"),
        (r"\S{0,6}依申请公开\S{0,8}?情况", r"\S{0,8}政府信息公开申请\S{0,4}?情况")),
    4: ((r"\S{0,20}?复议\S{0,8}?诉讼",), (r"\S{0,12}?行政复议",)),
    5: ((r"\S{0,14}?存在的?主要问题(?:及|和)?(?:改进情况|改进措施)?", r"\S{0,8}?主要问题及改进", r"\S{0,14}?问题(?:及|和)改进"),
        (r"\S{0,8}?改进情况", r"\S{0,8}?存在的问题")),
    6: ((r"其他需要报告的?事项", r"其他需要报告"), (r"其他事项",)),
}

_NUMERAL = "一二三四五六七八九十"
# "二、…", "三．…", "四. …": a Chinese numeral heading (not "第二、", "（二）", "十二、" read as "二、").
_NUMBERED = re.compile(rf"(?<![第（(〔{_NUMERAL}])([{_NUMERAL}]{{1,2}})\s*[、．.，,]\s*")
_LINE_PREFIX = re.compile(r"^[\s#*>]*")


@dataclass
class _Candidate:
    number: int
    strong: bool
    heading_start: int
    title_start: int
    title_end: int


def find_sections(doc: Document, settings: SectionSettings | None = None) -> list[Section]:
    settings = settings or SectionSettings()
    text = doc.text
    candidates = _numbered(text) + _heading_lines(text, settings)
    chosen: dict[int, _Candidate] = {}
    for number in range(1, 7):
        mine = [c for c in candidates if c.number == number]
        strong = [c for c in mine if c.strong]
        pick = min(strong or mine, key=lambda c: c.heading_start, default=None)
        if pick is not None:
            chosen[number] = pick
    ordered = sorted(chosen.values(), key=lambda c: c.heading_start)
    sections = []
    for i, c in enumerate(ordered):
        end = ordered[i + 1].heading_start if i + 1 < len(ordered) else len(text)
        line_end = text.find("\n", c.title_end)
        line_end = len(text) if line_end < 0 else line_end
        rest = text[c.title_end:line_end]
        start = line_end if len(rest.strip()) <= settings.max_run_on else c.title_end
        start = min(start, end)
        title = text[c.title_start:c.title_end].strip()
        sections.append(Section(c.number, title, c.heading_start, start, end))
    return sections


def _classify(text: str, pos: int, end: int) -> tuple[int, bool, int] | None:
    """(section number, strong?, title end) for a heading whose wording starts at `pos`.

    Every section's strong wordings are tried before any weak one."""
    for is_strong in (True, False):
        for number, wordings in TITLES.items():
            for p in wordings[0 if is_strong else 1]:
                m = _compiled(p).match(text, pos, end)
                if m:
                    return number, is_strong, m.end()
    return None


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _numbered(text: str) -> list[_Candidate]:
    out = []
    for m in _NUMBERED.finditer(text):
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        hit = _classify(text, m.end(), min(line_end, m.end() + 60))
        if hit:
            number, strong, title_end = hit
            line_start = text.rfind("\n", 0, m.start()) + 1
            at = line_start if not text[line_start:m.start()].strip(" \t#*>") else m.start()
            out.append(_Candidate(number, strong, at, m.end(), _title_end(text, title_end)))
    return out


def _heading_lines(text: str, settings: SectionSettings) -> list[_Candidate]:
    """Short lines that are nothing but a section's wording: numberless headings."""
    out = []
    pos = 0
    for line in text.split("\n"):
        start = pos + len(_LINE_PREFIX.match(line).group(0))
        pos += len(line) + 1
        body = line.strip().lstrip("#*> ").rstrip("：:。 ")
        if not body or len(body) > settings.max_heading_line or body[0] in "（(":
            continue
        hit = _classify(text, start, start + len(body))
        if hit and _title_end(text, hit[2]) >= start + len(body) - 4:
            out.append(_Candidate(hit[0], hit[1], start, start, start + len(body)))
    return out


def _title_end(text: str, pos: int) -> int:
    """Extend a matched wording to the end of its phrase ("…情况", "…事项")."""
    m = _compiled(r"[^\s。，,；;：:0-9]{0,8}?(?:情况|事项)").match(text, pos, pos + 12)
    return m.end() if m else pos
