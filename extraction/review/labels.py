"""The Chinese row and column labels of the three template tables, as the template prints them.

Keys come from `extraction.template`; this module only adds the printed wording (spec/template.md)
and the layout the review page needs (groups of table 2, the label levels of table 3).
"""
from __future__ import annotations

from ..template import PROACTIVE_2019, PROACTIVE_2021, OTHER_SINGLE, request_rows

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


# Table 3 — column labels (applicant types), in print order.
TABLE3_HEADNOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
ORG_LABELS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")

_RESULTS = "三、本年度办理结果"
_DENIED = "（三）不予公开"
_UNABLE = "（四）无法提供"
_NOT_PROCESSED = "（五）不予处理"
_OTHER = "（六）其他处理"

# Table 3 — each row's label as printed, level by level (a row with fewer levels spans the rest).
TABLE3_ROW_LABELS: dict[str, tuple[str, ...]] = {
    "requests.new": ("一、本年新收政府信息公开申请数量",),
    "requests.carried_over": ("二、上年结转政府信息公开申请数量",),
    "requests.granted": (_RESULTS, "（一）予以公开"),
    "requests.partially_granted": (_RESULTS, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    "requests.denied.state_secret": (_RESULTS, _DENIED, "1.属于国家秘密"),
    "requests.denied.prohibited_by_law": (_RESULTS, _DENIED, "2.其他法律行政法规禁止公开"),
    "requests.denied.security_stability": (_RESULTS, _DENIED, "3.危及“三安全一稳定”"),
    "requests.denied.third_party_rights": (_RESULTS, _DENIED, "4.保护第三方合法权益"),
    "requests.denied.internal_affairs": (_RESULTS, _DENIED, "5.属于三类内部事务信息"),
    "requests.denied.process_info": (_RESULTS, _DENIED, "6.属于四类过程性信息"),
    "requests.denied.enforcement_case_file": (_RESULTS, _DENIED, "7.属于行政执法案卷"),
    "requests.denied.administrative_query": (_RESULTS, _DENIED, "8.属于行政查询事项"),
    "requests.unable.not_held": (_RESULTS, _UNABLE, "1.本机关不掌握相关政府信息"),
    "requests.unable.needs_creation": (_RESULTS, _UNABLE, "2.没有现成信息需要另行制作"),
    "requests.unable.unclear_after_correction": (_RESULTS, _UNABLE, "3.补正后申请内容仍不明确"),
    "requests.not_processed.petition_complaint": (_RESULTS, _NOT_PROCESSED, "1.信访举报投诉类申请"),
    "requests.not_processed.duplicate": (_RESULTS, _NOT_PROCESSED, "2.重复申请"),
    "requests.not_processed.publication": (_RESULTS, _NOT_PROCESSED, "3.要求提供公开出版物"),
    "requests.not_processed.excessive": (_RESULTS, _NOT_PROCESSED, "4.无正当理由大量反复申请"),
    "requests.not_processed.confirm_existing":
        (_RESULTS, _NOT_PROCESSED, "5.要求行政机关确认或重新出具已获取信息"),
    "requests.other.overdue_correction":
        (_RESULTS, _OTHER, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    "requests.other.overdue_fee":
        (_RESULTS, _OTHER, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    "requests.other.other": (_RESULTS, _OTHER, "3.其他"),
    OTHER_SINGLE: (_RESULTS, _OTHER),
    "requests.total": (_RESULTS, "（七）总计"),
    "requests.carried_forward": ("四、结转下年度继续办理",),
}
TABLE3_LABEL_LEVELS = 3


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


def key_label(key: str, formats: tuple[str, ...] = ("2021", "2019")) -> str:
    """A short Chinese label for a value key, for hover texts and lists (e.g. 一、本年新收… · 自然人).

    A table-2 key is labelled as printed by the first of `formats` that has it."""
    from ..template import REQUEST_COLUMNS, REVIEW_COLUMNS
    row, _, col = key.rpartition(".")
    if row in TABLE3_ROW_LABELS and col in REQUEST_COLUMNS:
        cols = ("自然人",) + ORG_LABELS[:-1] + ("法人或其他组织·其他", "总计")
        return f"{TABLE3_ROW_LABELS[row][-1]} · {cols[REQUEST_COLUMNS.index(col)]}"
    if row in TABLE4_GROUP_LABELS and col in REVIEW_COLUMNS:
        return f"{TABLE4_GROUP_LABELS[row]} · {TABLE4_COLUMN_LABELS[REVIEW_COLUMNS.index(col)]}"
    for groups, rows in map(table2_layout, formats):
        for _, col_labels, members in groups:
            for label, row_key in members:
                if row_key == row and col in rows.get(row_key, ()):
                    return f"{label} · {col_labels[1 + rows[row_key].index(col)]}"
    return key
