"""The template of the three tables (../shared/spec/template.md), written once: the canonical
keys, the labels as the template prints them, and the consistency rules (勾稽关系) 1–4.

Everything that names a table value — extraction, checks, gold, outputs — uses these keys:
`table.row.column`, e.g. `requests.denied.state_secret.commercial`. The table readers, the
checks, the review pages and the report generator (synth) take labels and rules from here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Table 2, 2021 format: row key -> its column keys, in print order.
PROACTIVE_2021: dict[str, tuple[str, ...]] = {
    "proactive.rules": ("issued", "repealed", "in_force"),
    "proactive.normative_docs": ("issued", "repealed", "in_force"),
    "proactive.licensing": ("decisions",),
    "proactive.penalty": ("decisions",),
    "proactive.enforcement": ("decisions",),
    "proactive.fees": ("amount_wan_yuan",),
}

# Table 2, 2019 format (also used by some bodies later).
PROACTIVE_2019: dict[str, tuple[str, ...]] = {
    "proactive.rules": ("new_made", "new_published", "total_published"),
    "proactive.normative_docs": ("new_made", "new_published", "total_published"),
    "proactive.licensing": ("prev_items", "change", "decisions"),
    "proactive.other_services": ("prev_items", "change", "decisions"),
    "proactive.penalty": ("prev_items", "change", "decisions"),
    "proactive.enforcement": ("prev_items", "change", "decisions"),
    "proactive.fees": ("prev_items", "change"),
    "proactive.procurement": ("items", "amount"),
}

# Table 3: applicant-type columns, in print order.
REQUEST_COLUMNS: tuple[str, ...] = (
    "natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org",
    "total",
)
APPLICANT_COLUMNS = REQUEST_COLUMNS[:-1]

# Table 3 rows, in print order (2021 format, with the three （六） sub-rows).
REQUEST_ROWS: tuple[str, ...] = (
    "requests.new",
    "requests.carried_over",
    "requests.granted",
    "requests.partially_granted",
    "requests.denied.state_secret",
    "requests.denied.prohibited_by_law",
    "requests.denied.security_stability",
    "requests.denied.third_party_rights",
    "requests.denied.internal_affairs",
    "requests.denied.process_info",
    "requests.denied.enforcement_case_file",
    "requests.denied.administrative_query",
    "requests.unable.not_held",
    "requests.unable.needs_creation",
    "requests.unable.unclear_after_correction",
    "requests.not_processed.petition_complaint",
    "requests.not_processed.duplicate",
    "requests.not_processed.publication",
    "requests.not_processed.excessive",
    "requests.not_processed.confirm_existing",
    "requests.other.overdue_correction",
    "requests.other.overdue_fee",
    "requests.other.other",
    "requests.total",
    "requests.carried_forward",
)
OTHER_SUBROWS = ("requests.other.overdue_correction", "requests.other.overdue_fee",
                 "requests.other.other")
OTHER_SINGLE = "requests.other.total"  # older single （六）其他处理 row

# The outcome rows whose sum is requests.total (rule 3); （六） is either the sub-rows or the single row.
OUTCOME_ROWS: tuple[str, ...] = REQUEST_ROWS[2:20]

# Table 4: groups and their five columns, in print order (15 values).
REVIEW_GROUPS: tuple[str, ...] = ("review", "litigation.direct", "litigation.after_review")
REVIEW_COLUMNS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")

DECIMAL_KEYS = {"proactive.fees.amount_wan_yuan", "proactive.procurement.amount"}


def request_rows(single_other: bool = False) -> tuple[str, ...]:
    """Table 3 rows as a report prints them: with （六） as three sub-rows or as one row."""
    if not single_other:
        return REQUEST_ROWS
    i = REQUEST_ROWS.index(OTHER_SUBROWS[0])
    return REQUEST_ROWS[:i] + (OTHER_SINGLE,) + REQUEST_ROWS[i + len(OTHER_SUBROWS):]


def table2_keys(template: str = "2021") -> list[str]:
    rows = PROACTIVE_2021 if template == "2021" else PROACTIVE_2019
    return [f"{row}.{col}" for row, cols in rows.items() for col in cols]


def table3_keys(single_other: bool = False) -> list[str]:
    return [f"{row}.{col}" for row in request_rows(single_other) for col in REQUEST_COLUMNS]


def table4_keys() -> list[str]:
    return [f"{group}.{col}" for group in REVIEW_GROUPS for col in REVIEW_COLUMNS]


def all_keys(template: str = "2021", single_other: bool = False) -> list[str]:
    """Every key a report of this format has, in print order."""
    return table2_keys(template) + table3_keys(single_other) + table4_keys()


# --------------------------------------------------------------------------- printed labels

# Table 2 — groups in print order: (heading, column labels, [(row label, row key)]).
# The first column label is the row-label column (信息内容).
TABLE2_2021 = [
    ("第二十条第（一）项", ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
     [("规章", "proactive.rules"), ("行政规范性文件", "proactive.normative_docs")]),
    ("第二十条第（五）项", ("信息内容", "本年处理决定数量"),
     [("行政许可", "proactive.licensing")]),
    ("第二十条第（六）项", ("信息内容", "本年处理决定数量"),
     [("行政处罚", "proactive.penalty"), ("行政强制", "proactive.enforcement")]),
    ("第二十条第（八）项", ("信息内容", "本年收费金额（万元）"),
     [("行政事业性收费", "proactive.fees")]),
]

TABLE2_2019 = [
    ("第二十条第（一）项", ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
     [("规章", "proactive.rules"), ("规范性文件", "proactive.normative_docs")]),
    ("第二十条第（五）项", ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
     [("行政许可", "proactive.licensing"), ("其他对外管理服务事项", "proactive.other_services")]),
    ("第二十条第（六）项", ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
     [("行政处罚", "proactive.penalty"), ("行政强制", "proactive.enforcement")]),
    ("第二十条第（八）项", ("信息内容", "上一年项目数量", "本年增/减"),
     [("行政事业性收费", "proactive.fees")]),
    ("第二十条第（九）项", ("信息内容", "采购项目数量", "采购总金额"),
     [("政府集中采购", "proactive.procurement")]),
]


def table2_layout(template: str) -> tuple[list, dict[str, tuple[str, ...]]]:
    """The groups and the row -> column keys of table 2 in format `template` ("2021"/"2019")."""
    if template == "2019":
        return TABLE2_2019, PROACTIVE_2019
    return TABLE2_2021, PROACTIVE_2021


# Table 3 — its header: the note on the row-label column, then the applicant columns.
TABLE3_HEADNOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS_HEADING = "申请人情况"
ORGS_HEADING = "法人或其他组织"   # over the five organisation columns
APPLICANT_LABELS = {"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构",
                    "social_welfare": "社会公益组织", "legal_services": "法律服务机构", "other_org": "其他"}
ORG_LABELS = tuple(APPLICANT_LABELS[c] for c in APPLICANT_COLUMNS[1:])
TOTAL_LABEL = "总计"

RESULTS_LABEL = "三、本年度办理结果"
# The outcome groups of table 3 whose rows are numbered 1., 2., … under a group label.
OUTCOME_GROUP_LABELS = {"requests.denied": "（三）不予公开", "requests.unable": "（四）无法提供",
                        "requests.not_processed": "（五）不予处理", "requests.other": "（六）其他处理"}
_DENIED, _UNABLE, _NOT_PROCESSED, _OTHER = OUTCOME_GROUP_LABELS.values()

# Table 3 — each row's label as printed, level by level (a row with fewer levels spans the rest).
TABLE3_ROW_LABELS: dict[str, tuple[str, ...]] = {
    "requests.new": ("一、本年新收政府信息公开申请数量",),
    "requests.carried_over": ("二、上年结转政府信息公开申请数量",),
    "requests.granted": (RESULTS_LABEL, "（一）予以公开"),
    "requests.partially_granted": (RESULTS_LABEL, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    "requests.denied.state_secret": (RESULTS_LABEL, _DENIED, "1.属于国家秘密"),
    "requests.denied.prohibited_by_law": (RESULTS_LABEL, _DENIED, "2.其他法律行政法规禁止公开"),
    "requests.denied.security_stability": (RESULTS_LABEL, _DENIED, "3.危及“三安全一稳定”"),
    "requests.denied.third_party_rights": (RESULTS_LABEL, _DENIED, "4.保护第三方合法权益"),
    "requests.denied.internal_affairs": (RESULTS_LABEL, _DENIED, "5.属于三类内部事务信息"),
    "requests.denied.process_info": (RESULTS_LABEL, _DENIED, "6.属于四类过程性信息"),
    "requests.denied.enforcement_case_file": (RESULTS_LABEL, _DENIED, "7.属于行政执法案卷"),
    "requests.denied.administrative_query": (RESULTS_LABEL, _DENIED, "8.属于行政查询事项"),
    "requests.unable.not_held": (RESULTS_LABEL, _UNABLE, "1.本机关不掌握相关政府信息"),
    "requests.unable.needs_creation": (RESULTS_LABEL, _UNABLE, "2.没有现成信息需要另行制作"),
    "requests.unable.unclear_after_correction": (RESULTS_LABEL, _UNABLE, "3.补正后申请内容仍不明确"),
    "requests.not_processed.petition_complaint": (RESULTS_LABEL, _NOT_PROCESSED, "1.信访举报投诉类申请"),
    "requests.not_processed.duplicate": (RESULTS_LABEL, _NOT_PROCESSED, "2.重复申请"),
    "requests.not_processed.publication": (RESULTS_LABEL, _NOT_PROCESSED, "3.要求提供公开出版物"),
    "requests.not_processed.excessive": (RESULTS_LABEL, _NOT_PROCESSED, "4.无正当理由大量反复申请"),
    "requests.not_processed.confirm_existing":
        (RESULTS_LABEL, _NOT_PROCESSED, "5.要求行政机关确认或重新出具已获取信息"),
    "requests.other.overdue_correction":
        (RESULTS_LABEL, _OTHER, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    "requests.other.overdue_fee":
        (RESULTS_LABEL, _OTHER, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    "requests.other.other": (RESULTS_LABEL, _OTHER, "3.其他"),
    OTHER_SINGLE: (RESULTS_LABEL, _OTHER),
    "requests.total": (RESULTS_LABEL, "（七）总计"),
    "requests.carried_forward": ("四、结转下年度继续办理",),
}
TABLE3_LABEL_LEVELS = 3


def request_column_label(col: str) -> str:
    """A table-3 column's label standing alone (the organisations' 其他 with its heading)."""
    return {**APPLICANT_LABELS, "other_org": f"{ORGS_HEADING}·其他", "total": TOTAL_LABEL}[col]


def short_label(label: str) -> str:
    """A printed label without its numbering and note: （二）部分公开（区分处理的…） -> 部分公开."""
    return re.sub(r"（[^）]*）$", "", re.sub(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)", "", label))


def table3_rows(single_other: bool) -> list[tuple[str, tuple[str, ...]]]:
    """(row key, label path) for the 25 rows of table 3 (23 with the single （六） row)."""
    return [(row, TABLE3_ROW_LABELS[row]) for row in request_rows(single_other)]


# Table 4 — group headings and column labels.
TABLE4_GROUP_LABELS = {
    "review": "行政复议",
    "litigation.direct": "未经复议直接起诉",
    "litigation.after_review": "复议后起诉",
}
TABLE4_LITIGATION = "行政诉讼"
TABLE4_COLUMN_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


# --------------------------------------------------------------------------- rules 1–4

@dataclass(frozen=True)
class Rule:
    """One equation of the template: the values of `left` sum to those of `right`."""
    rule: str                 # balance (1), row_total (2), outcome_sum (3), review_total (4)
    key: str                  # what it is about, e.g. requests.*.natural_person
    left: tuple[str, ...]
    right: tuple[str, ...]
    left_name: str            # the sides in words, for a check's detail
    right_name: str


@lru_cache(maxsize=2)
def rules(single_other: bool = False) -> tuple[Rule, ...]:
    """Every equation of rules 1–4 for a report whose （六） row is `single_other` or not, in a
    stable order (rule, then print order)."""
    cols = REQUEST_COLUMNS
    outcomes = [r for r in OUTCOME_ROWS if r not in OTHER_SUBROWS]
    outcomes += [OTHER_SINGLE] if single_other else list(OTHER_SUBROWS)
    return tuple(
        [Rule("balance", f"requests.*.{c}", (f"requests.new.{c}", f"requests.carried_over.{c}"),
              (f"requests.total.{c}", f"requests.carried_forward.{c}"),
              "new + carried_over", "total + carried_forward") for c in cols]
        + [Rule("row_total", f"{row}.*", (f"{row}.total",), tuple(f"{row}.{c}" for c in APPLICANT_COLUMNS),
                "total", "sum of applicant columns") for row in request_rows(single_other)]
        + [Rule("outcome_sum", f"requests.total.{c}", (f"requests.total.{c}",),
                tuple(f"{r}.{c}" for r in outcomes), "total", "sum of outcome rows") for c in cols]
        + [Rule("review_total", f"{g}.*", (f"{g}.total",), tuple(f"{g}.{c}" for c in REVIEW_COLUMNS[:-1]),
                "total", "upheld + corrected + other + pending") for g in REVIEW_GROUPS])


def positions(keys: list[str], rule: Rule) -> tuple[int, tuple[int, ...]]:
    """A rule with one key on its left as (its position, the right side's positions) in `keys`
    (one row's or one table's keys in print order): how the table readers test a reading."""
    return keys.index(rule.left[0]), tuple(keys.index(k) for k in rule.right)
