"""A sample report of our own (invented agency and numbers) with its record, for the review
page's tests and screenshot: `python -m extraction.review.demo OUT_DIR` writes the report, its
record, its review page and a one-report summary.

The record is built by hand, as the extractor should build it, with offsets into the text the
TXT reader gives back; one carried-forward value is off by one so that two checks fail, one
value is marked inferred and one cell is a printed blank.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from ..checks import run_checks
from ..document import DocumentBuilder
from ..record import Record
from ..template import (REQUEST_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS, TABLE2_2021, TABLE3_ROW_LABELS,
                        TABLE4_COLUMN_LABELS, TABLE4_GROUP_LABELS, TABLE4_LITIGATION, table2_keys)

AGENCY = "青川县示例局"
TITLE = f"{AGENCY}2023年政府信息公开工作年度报告"
NARRATIVE = ("2023年，青川县示例局通过政府网站主动公开政府信息共1526条，其中政务动态信息312余条，"
             "政策解读18篇。全年共收到政府信息公开申请24件，举办专题培训2期。")
# (qty, item, value, unit, approx, field)
FIGURES = [
    ("1526条", "主动公开政府信息", 1526, "条", False, "proactive_total"),
    ("312余条", "政务动态信息", 312, "条", True, "news_updates"),
    ("18篇", "政策解读", 18, "篇", False, "policy_interpretations"),
    ("24件", "政府信息公开申请", 24, "件", False, "requests_received"),
    ("2期", "专题培训", 2, "期", False, "trainings"),
]

TABLE2 = {"proactive.rules": [0, 0, 2], "proactive.normative_docs": [5, 1, 37],
          "proactive.licensing": [1234], "proactive.penalty": [56], "proactive.enforcement": [None],
          "proactive.fees": [12.5]}
# Table 3 by row: the six applicant columns (the total column is their sum).
TABLE3 = {
    "requests.new": [20, 3, 0, 0, 1, 0],
    "requests.carried_over": [2, 0, 0, 0, 0, 0],
    "requests.granted": [10, 1, 0, 0, 0, 0],
    "requests.partially_granted": [2, 0, 0, 0, 0, 0],
    "requests.denied.third_party_rights": [1, 0, 0, 0, 0, 0],
    "requests.unable.not_held": [5, 1, 0, 0, 1, 0],
    "requests.not_processed.duplicate": [1, 0, 0, 0, 0, 0],
    "requests.other.other": [1, 0, 0, 0, 0, 0],
}
TABLE4 = {"review": [1, 0, 0, 1, 2], "litigation.direct": [0, 0, 1, 0, 1],
          "litigation.after_review": [None] * 5}


def table3_values() -> dict[str, list]:
    """All 25 rows with their 总计 column; outcome rows not listed above are zeros."""
    from ..template import REQUEST_ROWS
    rows = {r: TABLE3.get(r, [0] * 6) for r in REQUEST_ROWS[:-2]}
    outcomes = REQUEST_ROWS[2:-2]  # 予以公开 … （六）3.其他
    rows["requests.total"] = [sum(rows[r][c] for r in outcomes) for c in range(6)]
    rows["requests.carried_forward"] = [
        rows["requests.new"][c] + rows["requests.carried_over"][c] - rows["requests.total"][c]
        for c in range(6)]
    out = {r: vals + [sum(vals)] for r, vals in rows.items()}
    # Misprinted: 自然人 carried forward one too many, so rule 1 (自然人 column) and rule 2
    # (the 结转 row) fail, while the 总计 column still balances.
    out["requests.carried_forward"][0] += 1
    return out


def build(out_dir: str | Path) -> tuple[Path, dict]:
    """Write the sample report (UTF-8 TXT) into `out_dir`; return its path and its record."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    b = DocumentBuilder("txt")
    b.add_paragraph(TITLE)
    b.add_paragraph("一、总体情况")
    narrative_block = b.add_paragraph(NARRATIVE)
    b.add_paragraph("二、主动公开政府信息情况")
    t2_rows, t2_keys = table2_rows()
    t2_block = b.add_table(t2_rows)
    b.add_paragraph("三、收到和处理政府信息公开申请情况")
    t3 = table3_values()
    t3_block = b.add_table([[TABLE3_ROW_LABELS[r][-1]] + [_cell(v) for v in vals]
                            for r, vals in t3.items()])
    b.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    t4_block = b.add_table(TABLE4_HEAD + [[_cell(v) for g in REVIEW_GROUPS for v in TABLE4[g]]])
    b.add_paragraph("五、存在的主要问题及改进情况")
    b.add_paragraph("信息公开的及时性还需提高。")
    doc = b.build()

    path = out_dir / "qingchuan-demo-2023.txt"
    path.write_text(doc.text, encoding="utf-8")
    values, cells = {}, {}
    for keys, table_row in zip(t2_keys, t2_block.table.rows):
        if keys:
            _fill(values, cells, keys, TABLE2[keys[0].rsplit(".", 1)[0]], table_row[1:])
    for (row, vals), table_row in zip(t3.items(), t3_block.table.rows):
        _fill(values, cells, [f"{row}.{c}" for c in REQUEST_COLUMNS], vals, table_row[1:])
    _fill(values, cells, [f"{g}.{c}" for g in REVIEW_GROUPS for c in REVIEW_COLUMNS],
          [v for g in REVIEW_GROUPS for v in TABLE4[g]], t4_block.table.rows[-1])
    cells["requests.unable.not_held.legal_services"]["inferred"] = True
    record = {
        "source": str(path),
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "format": "txt", "title": TITLE, "agency": AGENCY, "year": 2023, "template": "2021",
        "values": values, "cells": cells,
        "figures": _figures(doc.text, narrative_block.start),
        "checks": run_checks(values, "2021"),
        "warnings": ["table 3: cells of row （四）无法提供 1. ran together; one reading inferred"],
    }
    return path, Record.from_json(record)


def table2_rows() -> tuple[list[list[str]], list[list[str] | None]]:
    """Table 2 printed as the template does (group headings, column headings, rows), and the
    value keys of each printed row (None for heading rows)."""
    rows, keys = [], []
    for heading, col_labels, members in TABLE2_2021:
        rows += [[heading], list(col_labels)]
        keys += [None, None]
        for label, row in members:
            rows.append([label] + [_cell(v) for v in TABLE2[row]])
            keys.append([k for k in table2_keys("2021") if k.startswith(row + ".")])
    return rows, keys


TABLE4_HEAD = [[TABLE4_GROUP_LABELS["review"], TABLE4_LITIGATION],
               [*TABLE4_COLUMN_LABELS, TABLE4_GROUP_LABELS["litigation.direct"],
                TABLE4_GROUP_LABELS["litigation.after_review"]],
               list(TABLE4_COLUMN_LABELS) * 2]


def _cell(v) -> str:
    return "—" if v is None else str(v)


def _fill(values: dict, cells: dict, keys, vals, table_cells) -> None:
    for key, v, cell in zip(keys, vals, table_cells):
        values[key] = v
        cells[key] = {"raw": cell.text, "page": None, "start": cell.start, "end": cell.end}


def _figures(text: str, start: int) -> list[dict]:
    figures = []
    for qty, item, value, unit, approx, field in FIGURES:
        q = text.index(qty, start)
        i = text.rindex(item, start, q)
        figures.append({"item": item, "qty": qty, "value": value, "unit": unit, "approx": approx,
                        "field": field, "start": q, "end": q + len(qty), "item_start": i,
                        "item_end": i + len(item), "score": 0.97 if approx else 0.99, "by": "model"})
    return figures


def main(argv: list[str]) -> None:
    from .page import write_review_page
    from .summary import write_summary
    out = Path(argv[0] if argv else "review-demo")
    path, record = build(out)
    (out / "records.jsonl").write_text(json.dumps(record.to_json(), ensure_ascii=False) + "\n", encoding="utf-8")
    page = write_review_page(record, out / "qingchuan-demo-2023.review.html")
    summary = write_summary([record], out, pages="all")
    print(f"{path}\n{page}\n{summary}")


if __name__ == "__main__":
    main(sys.argv[1:])
