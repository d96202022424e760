"""Invented reports with the three template tables, printed in the shapes readers hand over.

The agency and every number are made up. A table is built as rows of cells (label cells, then
value cells); `render()` prints those rows as a tab-separated text, a cell-per-line text (rows
separated by blank lines), one cell a line, a crawler's single line with nothing between cells,
Markdown pipes, or blocks for tests/make_files.py (DOCX, HTML, PDF).
"""
from __future__ import annotations

from extraction.template import (PROACTIVE_2019, PROACTIVE_2021, REQUEST_COLUMNS, REVIEW_COLUMNS,
                                 REVIEW_GROUPS, request_rows)

# Table 3 rows as the template prints them: the group label cells, then the row label.
REQUEST_LABELS = {
    "requests.new": ["一、本年新收政府信息公开申请数量"],
    "requests.carried_over": ["二、上年结转政府信息公开申请数量"],
    "requests.granted": ["三、本年度办理结果", "（一）予以公开"],
    "requests.partially_granted": ["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"],
    "requests.denied.state_secret": ["", "（三）不予公开", "1.属于国家秘密"],
    "requests.denied.prohibited_by_law": ["", "", "2.其他法律行政法规禁止公开"],
    "requests.denied.security_stability": ["", "", "3.危及“三安全一稳定”"],
    "requests.denied.third_party_rights": ["", "", "4.保护第三方合法权益"],
    "requests.denied.internal_affairs": ["", "", "5.属于三类内部事务信息"],
    "requests.denied.process_info": ["", "", "6.属于四类过程性信息"],
    "requests.denied.enforcement_case_file": ["", "", "7.属于行政执法案卷"],
    "requests.denied.administrative_query": ["", "", "8.属于行政查询事项"],
    "requests.unable.not_held": ["", "（四）无法提供", "1.本机关不掌握相关政府信息"],
    "requests.unable.needs_creation": ["", "", "2.没有现成信息需要另行制作"],
    "requests.unable.unclear_after_correction": ["", "", "3.补正后申请内容仍不明确"],
    "requests.not_processed.petition_complaint": ["", "（五）不予处理", "1.信访举报投诉类申请"],
    "requests.not_processed.duplicate": ["", "", "2.重复申请"],
    "requests.not_processed.publication": ["", "", "3.要求提供公开出版物"],
    "requests.not_processed.excessive": ["", "", "4.无正当理由大量反复申请"],
    "requests.not_processed.confirm_existing": ["", "", "5.要求行政机关确认或重新出具已获取信息"],
    "requests.other.overdue_correction": ["", "（六）其他处理",
                                          "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"],
    "requests.other.overdue_fee": ["", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"],
    "requests.other.other": ["", "", "3.其他"],
    "requests.other.total": ["", "（六）其他处理"],
    "requests.total": ["", "（七）总计"],
    "requests.carried_forward": ["四、结转下年度继续办理"],
}
REQUEST_HEADER = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
    ["", "自然人", "法人或其他组织", "总计"],
    ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
]
PROACTIVE_LABELS = {
    "proactive.rules": "规章", "proactive.normative_docs": "行政规范性文件",
    "proactive.licensing": "行政许可", "proactive.other_services": "其他对外管理服务事项",
    "proactive.penalty": "行政处罚", "proactive.enforcement": "行政强制",
    "proactive.fees": "行政事业性收费", "proactive.procurement": "政府集中采购",
}
PROACTIVE_HEADERS = {
    "2021": {"proactive.rules": ["第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
             "proactive.licensing": ["第二十条第（五）项", "信息内容", "本年处理决定数量"],
             "proactive.penalty": ["第二十条第（六）项", "信息内容", "本年处理决定数量"],
             "proactive.fees": ["第二十条第（八）项", "信息内容", "本年收费金额（单位：万元）"]},
    "2019": {"proactive.rules": ["第二十条第（一）项", "信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
             "proactive.licensing": ["第二十条第（五）项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
             "proactive.penalty": ["第二十条第（六）项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
             "proactive.fees": ["第二十条第（八）项", "信息内容", "上一年项目数量", "本年增/减"],
             "proactive.procurement": ["第二十条第（九）项", "信息内容", "采购项目数量", "采购总金额"]},
}
REVIEW_HEADER = [
    ["行政复议", "", "", "", "", "行政诉讼"],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
    ["", "", "", "", ""] + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
]


def request_values(single_other: bool = False) -> dict[str, list]:
    """Invented table 3 rows that keep every rule (rules 1-3)."""
    rows = {k: [0] * 7 for k in request_rows(single_other)}
    rows["requests.new"] = [15, 2, 0, 1, 0, 0, 18]
    rows["requests.carried_over"] = [1, 0, 0, 0, 0, 0, 1]
    rows["requests.granted"] = [7, 1, 0, 0, 0, 0, 8]
    rows["requests.partially_granted"] = [2, 0, 0, 0, 0, 0, 2]
    rows["requests.unable.not_held"] = [3, 1, 0, 1, 0, 0, 5]
    rows["requests.not_processed.duplicate"] = [1, 0, 0, 0, 0, 0, 1]
    other = "requests.other.total" if single_other else "requests.other.other"
    rows[other] = [2, 0, 0, 0, 0, 0, 2]
    rows["requests.total"] = [15, 2, 0, 1, 0, 0, 18]
    rows["requests.carried_forward"] = [1, 0, 0, 0, 0, 0, 1]
    return rows


def proactive_values(template: str = "2021") -> dict[str, list]:
    if template == "2021":
        return {"proactive.rules": [0, 0, 2], "proactive.normative_docs": [3, 1, 12],
                "proactive.licensing": [45], "proactive.penalty": [17], "proactive.enforcement": [2],
                "proactive.fees": [12.5]}
    return {"proactive.rules": [1, 1, 5], "proactive.normative_docs": [4, 4, 20],
            "proactive.licensing": [30, 2, 120], "proactive.other_services": [8, 0, 40],
            "proactive.penalty": [15, 1, 66], "proactive.enforcement": [5, 0, 9],
            "proactive.fees": [3, 0], "proactive.procurement": [6, 152.3]}


def review_values() -> list:
    return [1, 0, 1, 0, 2, 0, 1, 0, 1, 2, 0, 0, 0, 0, 0]


def expected(template: str = "2021", single_other: bool = False) -> dict:
    """Every key -> value of the invented report."""
    out = {}
    for row, vals in proactive_values(template).items():
        cols = (PROACTIVE_2021 if template == "2021" else PROACTIVE_2019)[row]
        out.update({f"{row}.{c}": v for c, v in zip(cols, vals)})
    for row, vals in request_values(single_other).items():
        out.update({f"{row}.{c}": v for c, v in zip(REQUEST_COLUMNS, vals)})
    keys = [f"{g}.{c}" for g in REVIEW_GROUPS for c in REVIEW_COLUMNS]
    out.update(dict(zip(keys, review_values())))
    return out


def fmt(v) -> str:
    return "" if v is None else str(v)


def table_rows(template: str = "2021", single_other: bool = False, values: dict | None = None):
    """The three tables as lists of rows of cell texts; `values` overrides printed cells."""
    t2 = []
    headers = PROACTIVE_HEADERS[template]
    for row, vals in proactive_values(template).items():
        if row in headers:
            t2 += [headers[row][:1], headers[row][1:]]
        t2.append([PROACTIVE_LABELS[row]] + [fmt(v) for v in vals])
    t3 = [list(r) for r in REQUEST_HEADER]
    for row, vals in request_values(single_other).items():
        t3.append(REQUEST_LABELS[row] + [fmt(v) for v in vals])
    t4 = [list(r) for r in REVIEW_HEADER] + [[fmt(v) for v in review_values()]]
    if values:
        for table in (t2, t3):
            for r in table:
                key = _row_key(r)
                if key in values:
                    n = len(values[key])
                    r[len(r) - n:] = values[key]
        if "review" in values:
            t4[-1] = values["review"]
    return t2, t3, t4


def _row_key(row) -> str | None:
    for key, labels in REQUEST_LABELS.items():
        if row[:len(labels)] == labels:
            return key
    for key, label in PROACTIVE_LABELS.items():
        if row and row[0] == label:
            return key
    return None


TITLE = "青禾县示范局2031年政府信息公开工作年度报告"
INTRO = "2031年，青禾县示范局全年主动公开政府信息1234条。"
HEADINGS = ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况"]


def render(tables, shape: str) -> str:
    """The report as text, its tables printed in `shape` (tab, cell_lines, lines, crawler, md)."""
    parts = [TITLE, "一、总体情况", INTRO]
    for heading, rows in zip(HEADINGS, tables):
        parts += [heading, _render_table(rows, shape)]
    parts += ["五、存在的主要问题及改进情况", "公开内容还不够丰富。", "六、其他需要报告的事项", "无。"]
    return ("" if shape == "crawler" else "\n").join(parts) + "\n"


def _render_table(rows, shape: str) -> str:
    if shape == "tab":
        return "\n".join("\t".join(r) for r in rows)
    if shape == "cell_lines":
        return "\n\n".join("\n".join("\t" + c for c in r) for r in rows) + "\n"
    if shape == "lines":
        return "\n".join(c for r in rows for c in r if c)
    if shape == "crawler":
        return "".join(c for r in rows for c in r)
    if shape == "md":
        width = max(len(r) for r in rows)
        lines = []
        for i, r in enumerate(rows):
            lines.append("| " + " | ".join(r + [""] * (width - len(r))) + " |")
            if i == 0:
                lines.append("|" + "---|" * width)
        return "\n".join(lines)
    raise ValueError(shape)


def blocks(tables) -> list:
    """The report as blocks for tests/make_files.py (DOCX, HTML, PDF): tables as grids."""
    out = [("p", TITLE), ("p", "一、总体情况"), ("p", INTRO)]
    for heading, rows in zip(HEADINGS, tables):
        width = max(len(r) for r in rows)
        out += [("p", heading), ("table", [r + [""] * (width - len(r)) for r in rows], [])]
    out += [("p", "五、存在的主要问题及改进情况"), ("p", "公开内容还不够丰富。"),
            ("p", "六、其他需要报告的事项"), ("p", "无。")]
    return out
