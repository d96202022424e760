"""Row and column labels of the template tables, matched the way reports print them.

A label is found by a short distinctive core ("国家秘密", "不掌握") rather than its full wording,
so that typos elsewhere in the label ("其他法律行政止公开"), labels split over lines or cells
("三、本年度办" … "理结果"), labels broken into characters ("结 果 维 持") and stray spaces do
not matter: any whitespace, a Markdown pipe, or values (a label's second line printed after its
row's values) may stand between two characters of a core. A row's values are therefore looked
for from the start of its label, label text being dropped.
Each row lists its cores in order of preference; a later core is tried only when no earlier one
matches.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

# Between two characters of a label: spaces, cell borders — and the row's own values, where a
# label split over two lines has its values printed after its first line ("一、本年\t3\t…\n新收…").
_GAP = r"[\s|\u00a0\u3000\d０-９.．,，—\-–/／]*"


@lru_cache(maxsize=None)
def flexible(core: str) -> re.Pattern:
    """A regex for `core` with any whitespace allowed between its characters.

    A core starting with "re:" is a regular expression already.
    """
    if core.startswith("re:"):
        return re.compile(core[3:])
    return re.compile(_GAP.join(re.escape(ch) for ch in core))


@dataclass
class Match:
    key: str
    start: int
    end: int


def find_label(text: str, cores: tuple[str, ...], start: int, end: int,
               masked: list[tuple[int, int]] = ()) -> tuple[int, int] | None:
    """The first place in text[start:end] where a core matches (cores tried in order)."""
    for core in cores:
        for m in flexible(core).finditer(text, start, end):
            if not any(a <= m.start() < b for a, b in masked):
                return _with_numbering(text, m.start(), start), m.end()
    return None


_NUMBERING_BEFORE = re.compile(r"\d[\s|]*[.．、][\s|]*$")


def _with_numbering(text: str, pos: int, floor: int) -> int:
    """Move a label's start back over its numbering ("2." in "2.其他法律…"), so that the
    numbering is not read as the previous row's last value."""
    m = _NUMBERING_BEFORE.search(text, max(floor, pos - 6), pos)
    return m.start() if m else pos


# Table 2: row key -> cores. Rows are found anywhere in the table, in any order.
PROACTIVE_LABELS: dict[str, tuple[str, ...]] = {
    "proactive.rules": ("规章",),
    "proactive.normative_docs": ("规范性文件",),
    "proactive.licensing": ("行政许可",),
    "proactive.other_services": ("其他对外管理服务", "对外管理服务"),
    "proactive.penalty": ("行政处罚",),
    "proactive.enforcement": ("行政强制",),
    "proactive.fees": ("行政事业性收费", "事业性收费"),
    "proactive.procurement": ("政府集中采购", "集中采购"),
}
# Header words that say which table-2 format a report uses.
PROACTIVE_2019_MARKS = ("本年新制作", "上一年项目", "对外公开总数量", "对外管理服务", "集中采购")
PROACTIVE_2021_MARKS = ("本年制发", "本年废止", "现行有效")

# Table 3: row key -> cores, searched in template order.
REQUEST_LABELS: dict[str, tuple[str, ...]] = {
    "requests.new": ("本年新收", "新收"),
    "requests.carried_over": ("上年结转",),
    "requests.granted": ("予以公开", "予以"),
    "requests.partially_granted": ("部分公开",),
    "requests.denied.state_secret": ("国家秘密",),
    "requests.denied.prohibited_by_law": ("法律行政法规禁止", "禁止公开", "其他法律行政"),
    "requests.denied.security_stability": ("三安全一稳定", "危及"),
    "requests.denied.third_party_rights": ("第三方合法权益", "第三方"),
    "requests.denied.internal_affairs": ("内部事务",),
    "requests.denied.process_info": ("过程性信息", "过程性"),
    "requests.denied.enforcement_case_file": ("执法案卷",),
    "requests.denied.administrative_query": ("行政查询", "查询事项"),
    "requests.unable.not_held": ("不掌握",),
    "requests.unable.needs_creation": ("没有现成", "另行制作"),
    "requests.unable.unclear_after_correction": ("仍不明确", "补正后"),
    "requests.not_processed.petition_complaint": ("信访举报", "信访"),
    "requests.not_processed.duplicate": ("重复申请",),
    "requests.not_processed.publication": ("公开出版物", "出版物"),
    "requests.not_processed.excessive": ("无正当理由大量", "大量反复"),
    "requests.not_processed.confirm_existing": ("确认或重新出具", "重新出具", "已获取信息"),
    "requests.other.overdue_correction": ("逾期不补正", "不补正"),
    "requests.other.overdue_fee": ("缴纳费用", "收费通知", "逾期未按"),
    "requests.other.other": (r"re:3[\s|]*[.．、][\s|]*其[\s|]*他", r"re:其[\s|]*他(?![\s|]*[处组结对])"),
    "requests.other.total": ("其他处理",),
    "requests.total": (r"re:[（(][\s|]*七[\s|]*[)）][\s|]*总[\s|]*计", "总计", "合计"),
    "requests.carried_forward": ("结转下年度", "继续办理", "下年度"),
}
# The column header of table 3; a copy of it repeated on a new page is not data.
REQUEST_HEADER_WORDS = ("申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构",
                        "社会公益组织", "法律服务机构", "其他", "总计", "商业", "企业", "科研",
                        "机构", "社会公益", "组织", "法律服务")
REQUEST_HEADER_ANCHORS = ("自然人", "申请人情况")

# Table 4: where its header starts.
REVIEW_ANCHORS = ("维持", "行政复议")


def header_spans(text: str, start: int, end: int, anchors: tuple[str, ...],
                 words: tuple[str, ...], max_gap: int = 4, max_anchors: int = 20) -> list[tuple[int, int]]:
    """Spans of column headers: chains of header words around an anchor, with only short,
    digit-free gaps between them. Row labels found inside these spans are header text."""
    hits = sorted({(m.start(), m.end()) for w in words for m in flexible(w).finditer(text, start, end)})
    spans: list[tuple[int, int]] = []
    for anchor in anchors:
        for m in list(flexible(anchor).finditer(text, start, end))[:max_anchors]:
            i = bisect.bisect_left(hits, (m.start(), m.end()))
            a, b = m.start(), m.end()
            for s, e in hits[i:]:            # the words after the anchor, in order
                if e <= b:
                    continue
                if not _short_gap(text[b:s], max_gap):
                    break
                b = e
            for s, e in reversed(hits[:i]):  # and before it
                if s >= a:
                    continue
                if not _short_gap(text[e:a], max_gap):
                    break
                a = s
            spans.append((a, b))
    return spans


def _short_gap(gap: str, max_gap: int) -> bool:
    """Between two header words: spaces, or a few stray characters — no number, no "（七）"."""
    return (not re.search(r"[\d（(]", gap) and len(re.sub(r"[\s|]", "", gap)) <= max_gap
            and "\n\n" not in gap)
