"""Small invented reports in every format, for the batch benchmark and tests.

A stand-in for `extraction.synth` (the full generator, with every layout) where that is not
available: one plain layout per format, the agencies and numbers invented, the table values
consistent with the template's rules. `write_report(path, fmt, agency, year, seed)` writes one.
"""
from __future__ import annotations

import html
import random
from pathlib import Path

from ..template import APPLICANT_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS

FORMATS = ("txt", "html", "docx", "pdf", "md")

APPLICANT_LABELS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
# Table 3 rows (2021 format) with the labels a report prints, outcome rows in template order.
REQUEST_LABELS = (
    ("requests.new", "一、本年新收政府信息公开申请数量"),
    ("requests.carried_over", "二、上年结转政府信息公开申请数量"),
    ("requests.granted", "三、本年度办理结果 （一）予以公开"),
    ("requests.partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("requests.denied.state_secret", "（三）不予公开 1.属于国家秘密"),
    ("requests.denied.prohibited_by_law", "2.其他法律行政法规禁止公开"),
    ("requests.denied.security_stability", "3.危及“三安全一稳定”"),
    ("requests.denied.third_party_rights", "4.保护第三方合法权益"),
    ("requests.denied.internal_affairs", "5.属于三类内部事务信息"),
    ("requests.denied.process_info", "6.属于四类过程性信息"),
    ("requests.denied.enforcement_case_file", "7.属于行政执法案卷"),
    ("requests.denied.administrative_query", "8.属于行政查询事项"),
    ("requests.unable.not_held", "（四）无法提供 1.本机关不掌握相关政府信息"),
    ("requests.unable.needs_creation", "2.没有现成信息需要另行制作"),
    ("requests.unable.unclear_after_correction", "3.补正后申请内容仍不明确"),
    ("requests.not_processed.petition_complaint", "（五）不予处理 1.信访举报投诉类申请"),
    ("requests.not_processed.duplicate", "2.重复申请"),
    ("requests.not_processed.publication", "3.要求提供公开出版物"),
    ("requests.not_processed.excessive", "4.无正当理由大量反复申请"),
    ("requests.not_processed.confirm_existing", "5.要求行政机关确认或重新出具已获取信息"),
    ("requests.other.overdue_correction", "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("requests.other.overdue_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("requests.other.other", "3.其他"),
    ("requests.total", "（七）总计"),
    ("requests.carried_forward", "四、结转下年度继续办理"),
)
PROACTIVE_LABELS = (("proactive.rules", "规章"), ("proactive.normative_docs", "行政规范性文件"))


def report_values(seed: int, carried_over: list[int] | None = None) -> dict:
    """Table values that satisfy rules 1–4 (a report's truth), from a seed."""
    rng = random.Random(seed)
    v: dict = {}
    for row, _ in PROACTIVE_LABELS:
        v[f"{row}.issued"], v[f"{row}.repealed"] = rng.randint(0, 9), rng.randint(0, 3)
        v[f"{row}.in_force"] = rng.randint(10, 60)
    outcomes = [k for k, _ in REQUEST_LABELS[2:23]]
    carried = carried_over or [rng.randint(0, 2) for _ in APPLICANT_COLUMNS]
    for i, col in enumerate(APPLICANT_COLUMNS):
        for k in outcomes:
            v[f"{k}.{col}"] = rng.choice((0, 0, 0, 1, 2, 5)) if i in (0, 1) else rng.choice((0, 0, 1))
        total = sum(v[f"{k}.{col}"] for k in outcomes)
        forward = rng.randint(0, 2)
        v[f"requests.total.{col}"] = total
        v[f"requests.carried_forward.{col}"] = forward
        v[f"requests.carried_over.{col}"] = min(carried[i], total + forward)
        v[f"requests.new.{col}"] = total + forward - v[f"requests.carried_over.{col}"]
    for k, _ in REQUEST_LABELS:
        v[f"{k}.total"] = sum(v[f"{k}.{c}"] for c in APPLICANT_COLUMNS)
    for g in REVIEW_GROUPS:
        parts = [rng.randint(0, 3) for _ in REVIEW_COLUMNS[:-1]]
        for c, x in zip(REVIEW_COLUMNS, parts + [sum(parts)]):
            v[f"{g}.{c}"] = x
    return v


def report_blocks(agency: str, year: int, values: dict, seed: int = 0) -> list[tuple]:
    """("p", text) and ("table", rows) blocks of a report in the 2021 format."""
    rng = random.Random(seed)
    total, news = rng.randint(300, 5000), rng.randint(50, 300)
    b: list[tuple] = [
        ("p", f"{agency}{year}年政府信息公开工作年度报告"),
        ("p", "一、总体情况"),
        ("p", f"{year}年，{agency}通过政府网站主动公开政府信息{total}条，其中政务动态信息{news}条，"
              f"举办政务公开专题培训{rng.randint(1, 6)}期。"),
        ("p", "二、主动公开政府信息情况"),
        ("table", [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]]
         + [[label] + [str(values[f"{row}.{c}"]) for c in ("issued", "repealed", "in_force")]
            for row, label in PROACTIVE_LABELS]),
        ("p", "三、收到和处理政府信息公开申请情况"),
        ("table", [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"]
                   + list(APPLICANT_LABELS)]
         + [[label] + [str(values[f"{row}.{c}"]) for c in APPLICANT_COLUMNS + ("total",)]
            for row, label in REQUEST_LABELS]),
        ("p", "四、政府信息公开行政复议、行政诉讼情况"),
        ("table", [["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3]
         + [[str(values[f"{g}.{c}"]) for g in REVIEW_GROUPS for c in REVIEW_COLUMNS]]),
        ("p", "五、存在的主要问题及改进情况"),
        ("p", "信息公开的及时性有待提高。"),
        ("p", "六、其他需要报告的事项"),
        ("p", "本年度未收取信息处理费。"),
    ]
    return b


def write_report(path: str | Path, fmt: str, agency: str, year: int, seed: int = 0,
                 values: dict | None = None) -> dict:
    """Write one invented report; returns its table values (the truth)."""
    values = values or report_values(seed)
    blocks = report_blocks(agency, year, values, seed)
    WRITERS[fmt](Path(path), blocks)
    return values


def write_txt(path: Path, blocks) -> None:
    lines = []
    for b in blocks:
        lines += [b[1]] if b[0] == "p" else ["\t".join(r) for r in b[1]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_md(path: Path, blocks) -> None:
    lines = []
    for b in blocks:
        if b[0] == "p":
            lines += [b[1], ""]
        else:
            rows = b[1]
            lines += ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
            lines += ["| " + " | ".join(r) + " |" for r in rows[1:]] + [""]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_html(path: Path, blocks) -> None:
    body = []
    for b in blocks:
        if b[0] == "p":
            body.append(f"<p>{html.escape(b[1])}</p>")
        else:
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>"
                           for r in b[1])
            body.append(f"<table border='1'>{rows}</table>")
    path.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'><title>"
                    f"{html.escape(blocks[0][1])}</title></head><body>{''.join(body)}</body></html>",
                    encoding="utf-8")


def write_docx(path: Path, blocks) -> None:
    import docx

    d = docx.Document()
    for b in blocks:
        if b[0] == "p":
            d.add_paragraph(b[1])
        else:
            rows = b[1]
            table = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
    d.save(str(path))


def write_pdf(path: Path, blocks) -> None:
    """A text-layer PDF with ruled tables in the built-in CJK font (no font file needed)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cjk", fontName="STSong-Light", fontSize=10, leading=14, wordWrap="CJK")
    cell = ParagraphStyle("cell", parent=style, fontSize=7, leading=9)
    story = []
    for b in blocks:
        if b[0] == "p":
            story.append(Paragraph(html.escape(b[1]), style))
        else:
            rows = [[Paragraph(html.escape(c), cell) for c in r] for r in b[1]]
            n = max(len(r) for r in rows)
            first = 150 if n > 3 else 120
            widths = [first] + [(A4[0] - 72 - first) / (n - 1)] * (n - 1) if n > 1 else None
            t = Table(rows, colWidths=widths)
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
            story.append(t)
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=36, rightMargin=36).build(story)


WRITERS = {"txt": write_txt, "md": write_md, "html": write_html, "docx": write_docx,
           "pdf": write_pdf}
