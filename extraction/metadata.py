"""Title, issuing agency and year of a report.

The title is the report's heading near the top: "清河县人民政府办公室2023年政府信息公开工作年度报告",
possibly split over two lines ("节固镇2023年政府信息公开工作" + "年度报告", or the agency on its
own line before "2023 年政府信息公开工作年度报告"), behind a crawler's "标题:" field, or after a
web page's breadcrumbs. The agency is what precedes the year in the title (or follows it, in
"2021年东湖高新区教育局政府信息…"), completed from the text where the title shortens it
("节固镇" -> "节固镇人民政府"). The year is the report year from the title, not the date the
report was published; without a title, the statistics period ("统计期限自2022年1月1日") gives it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Document


@dataclass
class MetadataSettings:
    head_lines: int = 40      # the title is among the first lines of the text
    max_title_len: int = 80   # longer lines are sentences, not headings
    min_year: int = 2000
    max_year: int = 2100


_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_YEAR = r"((?:19|20)\d\d|[二][〇零][一二三四五六七八九〇零][〇零一二三四五六七八九])"
# "…2023年(度)政府信息公开工作年度报告" and its variants (年报, 工作报告, 政务公开…).
_TITLE_TAIL = re.compile(r"(?:政府|政务)?信息公开.{0,8}?(?:年度报告|工作报告|年报|报告)")
_FIELD = re.compile(r"^[\s•·*\-]*(?:标\s*题|名\s*称|题\s*名)\s*[:：|｜]?\s*")
_BREADCRUMB = re.compile(r"[>＞»]")
_SENTENCE_START = re.compile(r"^(?:根据|依据|按照|本报告|本年度报告|本年报|报告|为|现将|现向|现公布)")
# Institutional endings: an agency ending otherwise ("节固镇", "平潭综合实验区") is a place name
# that the text usually names in full.
_INSTITUTION_END = re.compile(
    r"(?:政府|办公室|办公厅|局|委员会|委|厅|办事处|管委会|中心|院|部|署|所|队|站|处|会|室|办|司|行|社)$")
_COMPLETIONS = ("人民政府", "管委会", "管理委员会", "街道办事处", "办事处", "政府")
_PLACE_PREFIX = r"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[由在据对是经]))([\u4e00-\u9fff]{2,3}(?:省|市|州|盟))"
_STAT_PERIOD = re.compile(r"统计(?:期限|时限|时间|区间|期间)[^。\n]{0,12}?" + _YEAR + r"\s*年\s*1\s*月")
# A title inside a preamble sentence: "现公布广州市人民政府办公厅2023年政府信息公开工作年度报告".
_PUBLISH_VERB = re.compile(r"^(.*?)(?:现向社会公布|向社会公布|现予公布|现公布|公布|发布|编制完成|编制了|编制|形成)了?\s*")
# The opening of 总体情况 names the body: "2023年，大兴乡人民政府坚持…".
_AGENCY_NAME = (r"[\u4e00-\u9fff（）()]{2,25}?(?:人民政府办公室|人民政府|办公室|办公厅|委员会|管委会|"
                r"办事处|分局|局|委|厅|中心|院|署|政府)")
_OPENING = re.compile(
    r"(?:^|\n)\s*" + _YEAR + r"\s*年(?:度|以来)?\s*[，,]\s*(?:[^，,。\n]*?领导下\s*[，,]\s*)?(" + _AGENCY_NAME
    + r")(?=坚持|认真|深入|以|持续|按照|全面|紧紧|在|根据|严格|积极|进一步|继续|着力|围绕|聚焦|始终|高度|"
      r"紧扣|切实|不断|扎实|大力|把|将|共|对|主动|立足|贯彻|依法|加强|强化|紧密)")
_RELATIVE = re.compile(r"^(?:我|本|市|县|区|省|镇|乡)")


def find_metadata(doc: Document, sections=None, settings: MetadataSettings | None = None) -> dict:
    """{"title", "agency", "year"} of a report; None where not found."""
    settings = settings or MetadataSettings()
    lines = [doc.block_text(b).strip() for b in doc.paragraphs[: settings.head_lines]]
    title, agency, year = find_title(lines, settings)
    if title is None:
        agency, year = title_in_sentences(doc.text[:3000], settings)
    if not agency:
        agency = agency_from_opening(doc.text[:6000])
    if agency:
        agency = complete_agency(agency, doc.text)
    period = period_year(doc.text[:5000], settings)
    warnings = []
    if year is None:
        year = year_from_text(doc.text[:5000], settings)
    elif period is not None and period != year:  # kept as printed in the title; said
        warnings.append(YEAR_CONFLICT.format(title=year, period=period))
    return {"title": title, "agency": agency or None, "year": year, "warnings": warnings}


# A title that prints another year than the report's statistics period (a typo, or last year's
# heading left in place). `xxgk compare` reads this warning back with `year_conflict`.
YEAR_CONFLICT = "year: the title says {title}, the statistics period starts in {period}"
_YEAR_CONFLICT = re.compile(r"^year: the title says (\d{4}), the statistics period starts in (\d{4})$")


def year_conflict(warning: str) -> tuple[int, int] | None:
    """(title year, statistics-period year) of a YEAR_CONFLICT warning, else None."""
    m = _YEAR_CONFLICT.match(str(warning))
    return (int(m.group(1)), int(m.group(2))) if m else None


def period_year(text: str, settings: MetadataSettings) -> int | None:
    """The year the statistics period starts in ("统计期限为2022年1月1日至…"), if printed."""
    m = _STAT_PERIOD.search(text.translate(_FULLWIDTH))
    return _year(m.group(1), settings) if m else None


def find_title(lines: list[str], settings: MetadataSettings) -> tuple[str | None, str | None, int | None]:
    """The first heading-like line with a year and "…信息公开…报告", joined with its split part."""
    for i, raw in enumerate(lines):
        line = _clean(raw)
        if not line or len(line) > settings.max_title_len or _BREADCRUMB.search(line):
            continue
        if _SENTENCE_START.match(line) or "，" in line or "。" in line:
            continue
        nxt = _clean(lines[i + 1]) if i + 1 < len(lines) else ""
        prev = _clean(lines[i - 1]) if i else ""
        # Split heading: "…2023年政府信息公开工作" + "年度报告".
        if nxt and len(nxt) <= 8 and "报告" in nxt and not _TITLE_TAIL.search(line) \
                and _TITLE_TAIL.search(line + nxt):
            line = line + nxt
        parsed = parse_title(line, settings)
        if parsed is None:
            continue
        agency, year = parsed
        # Agency on its own line above "2023 年政府信息公开工作年度报告".
        if not agency and prev and _looks_like_agency(prev):
            agency, line = prev, prev + line
        return line, agency, year
    return None, None, None


def title_in_sentences(text: str, settings: MetadataSettings) -> tuple[str | None, int | None]:
    """(agency, year) from a preamble clause naming the report, e.g. "…铜川市公安局编制完成
    2024年政府信息公开年度报告"; the agency is the title's or the clause's subject."""
    for clause in re.split(r"[，,。；;\n]", text.translate(_FULLWIDTH)):
        if not _TITLE_TAIL.search(clause):
            continue
        m = _PUBLISH_VERB.match(clause)
        subject, rest = (m.group(1), clause[m.end():]) if m else ("", clause)
        parsed = parse_title(rest.strip("《》 "), settings)
        if parsed is None:
            continue
        agency, year = parsed
        subject = _strip_agency(subject)
        if not agency and _looks_like_agency(subject) and not _RELATIVE.match(subject):
            agency = subject
        if agency and (_RELATIVE.match(agency) or len(agency) < 2):
            agency = ""
        return agency or None, year
    return None, None


def agency_from_opening(text: str) -> str | None:
    """The body named at the start of 总体情况 ("2023年，大兴乡人民政府坚持…"), if named in full."""
    m = _OPENING.search(text.translate(_FULLWIDTH))
    if m and not _RELATIVE.match(m.group(2)):
        return m.group(2)
    return None


def parse_title(title: str, settings: MetadataSettings) -> tuple[str, int] | None:
    """(agency, year) from a title, or None if it is not a report title."""
    tail = _TITLE_TAIL.search(title)
    if not tail:
        return None
    for m in re.finditer(_YEAR + r"\s*年", title):
        year = _year(m.group(1), settings)
        if year is None or m.start() > tail.start():
            continue
        before = title[: m.start()].strip(" 《")
        after = title[m.end(): tail.start()].strip().removeprefix("度").strip()
        agency = before or after
        return _strip_agency(agency), year
    return None


def complete_agency(agency: str, text: str) -> str:
    """The agency's full name where the text gives it: "节固镇" -> "节固镇人民政府",
    "洪泽区人民政府" -> "淮安市洪泽区人民政府". Only names printed in the text are used."""
    if not _INSTITUTION_END.search(agency):
        for suffix in _COMPLETIONS:
            if agency + suffix in text:
                agency += suffix
                break
    if re.search(r"省|市|州|盟|自治区", agency):
        return agency  # already names its province or city
    m = re.search(_PLACE_PREFIX + re.escape(agency), text)
    if m:
        agency = m.group(1) + agency
    return agency


def year_from_text(text: str, settings: MetadataSettings) -> int | None:
    """The report year where there is no title: the start of the statistics period."""
    period = period_year(text, settings)
    if period is not None:
        return period
    text = text.translate(_FULLWIDTH)
    m = re.search(_YEAR + r"\s*年度?(?:政府信息公开|政务公开|信息公开)", text)
    if m:
        return _year(m.group(1), settings)
    m = re.search(r"(?:^|\n)\s*" + _YEAR + r"\s*年(?:度|以来)?\s*[，,]", text)
    return _year(m.group(1), settings) if m else None


def _clean(line: str) -> str:
    line = line.translate(_FULLWIDTH).replace("\u3000", " ").strip()
    line = _FIELD.sub("", line)
    line = line.strip("|｜ #*").split("|")[0].strip()
    return line


def _strip_agency(agency: str) -> str:
    agency = re.sub(r"\s+", "", agency)
    # A clause may run into the name: "现向社会公开《渭南市人民政府" -> "渭南市人民政府".
    agency = re.split(r"公开|公布|发布|制定|编制|完成|形成|现将|《", agency)[-1]
    return agency.strip("《》“”\"' ：:")


def _looks_like_agency(line: str) -> bool:
    return 2 <= len(line) <= 30 and not re.search(r"\d|[，。：:]", line) and bool(
        _INSTITUTION_END.search(line) or re.search(r"[省市县区镇乡]", line))


def _year(text: str, settings: MetadataSettings) -> int | None:
    digits = text.translate(_CN_DIGITS)
    if not digits.isdigit():
        return None
    year = int(digits)
    return year if settings.min_year <= year <= settings.max_year else None
