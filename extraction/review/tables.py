"""The three template tables as the template prints them, filled with a record's values.

Each value cell links to its span in the text (`data-target`), says in its hover text where it
came from, and is marked when it was inferred or when a failed check involves it. A blank is
shown blank; a key the record does not have at all is hatched.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from ..checks import uses_single_other_row
from ..record import Cell, Record
from ..template import (ORG_LABELS, PROACTIVE_2019, PROACTIVE_2021, REQUEST_COLUMNS, REVIEW_COLUMNS,
                        REVIEW_GROUPS, TABLE3_HEADNOTE, TABLE3_LABEL_LEVELS, TABLE4_COLUMN_LABELS,
                        TABLE4_GROUP_LABELS, TABLE4_LITIGATION, table2_layout, table3_rows)


@dataclass
class TableContext:
    values: dict
    cells: dict
    cell_ids: dict[str, str] = field(default_factory=dict)      # key -> text mark id
    failed: dict[str, list[int]] = field(default_factory=dict)  # key -> failed check indices
    checks: list[dict] = field(default_factory=list)


def value_cell(key: str, ctx: TableContext, colspan: int = 1) -> str:
    classes = ["v"]
    attrs = [f'data-key="{escape(key)}"']
    if colspan > 1:
        attrs.append(f'colspan="{colspan}"')
    cell = ctx.cells.get(key) or Cell()
    if key not in ctx.values:
        classes.append("absent")
        title = f"{key}: not in the record"
        shown = ""
    else:
        value = ctx.values[key]
        shown = "" if value is None else escape(format_value(value))
        unread = cell.status == "not_read"
        classes.append("unread" if unread else "blank" if value is None else "filled")
        shown = "?" if unread else shown
        title = f"{key} = {'not read (unknown, not blank)' if unread else 'blank' if value is None else format_value(value)}"
        if key in ctx.cells:
            title += f" · raw {cell.raw!r}"
        if cell.page is not None:
            title += f" · page {cell.page}"
        if cell.inferred:
            classes.append("inferred")
            title += " · inferred (the print was ambiguous; the template's rules left one reading)"
        if cell.ocr_flag:
            classes.append("ocr-flag")
            title += f" · OCR {cell.ocr_flag} (ocr_score {cell.ocr_score}): check the scan"
    if key in ctx.cell_ids:
        classes.append("linked")
        attrs.append(f'data-target="{ctx.cell_ids[key]}"')
    if key in ctx.failed:
        classes.append("fail")
        attrs.append(f'data-checks="{" ".join(f"k{n}" for n in ctx.failed[key])}"')
        for n in ctx.failed[key]:
            c = ctx.checks[n]
            title += f"\nfailed {c.rule} {c.key}: {c.left} ≠ {c.right}"
    return f'<td class="{" ".join(classes)}" {" ".join(attrs)} title="{escape(title)}">{shown}</td>'


def format_value(v) -> str:
    """A value as the record holds it (no rounding: 3388.52 stays 3388.52)."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v)) if abs(v) < 1e15 else repr(v)
    return str(v)


def table2_template(record: Record) -> str:
    """The record's table-2 format; without one, the format its keys belong to."""
    if record.template in ("2021", "2019"):
        return record.template
    keys = record.values or {}
    only_2019 = {f"{r}.{c}" for r, cols in PROACTIVE_2019.items() for c in cols} - \
        {f"{r}.{c}" for r, cols in PROACTIVE_2021.items() for c in cols}
    return "2019" if any(k in only_2019 for k in keys) else "2021"


def table2_html(record: Record, ctx: TableContext) -> str:
    template = table2_template(record)
    groups, columns = table2_layout(template)
    width = 4  # label column + at most three value columns
    rows = []
    for heading, col_labels, members in groups:
        rows.append(f'<tr><th colspan="{width}" class="rowlabel">{escape(heading)}</th></tr>')
        head = [f"<th>{escape(col_labels[0])}</th>"]
        for j, label in enumerate(col_labels[1:]):
            span = width - len(col_labels) + 1 if j == len(col_labels) - 2 else 1
            head.append(f'<th colspan="{span}">{escape(label)}</th>' if span > 1 else f"<th>{escape(label)}</th>")
        rows.append("<tr>" + "".join(head) + "</tr>")
        for label, row_key in members:
            cols = columns[row_key]
            tds = [value_cell(f"{row_key}.{c}", ctx, width - len(cols) if j == len(cols) - 1 else 1)
                   for j, c in enumerate(cols)]
            rows.append(f'<tr><th class="rowlabel">{escape(label)}</th>{"".join(tds)}</tr>')
    caption = f"二、主动公开政府信息情况（{template} 格式）"
    return _table("table2", caption, rows)


def table3_html(record: Record, ctx: TableContext) -> str:
    single = uses_single_other_row(ctx.values)
    levels = TABLE3_LABEL_LEVELS
    rows = [
        f'<tr><th class="headnote" colspan="{levels}" rowspan="3">{escape(TABLE3_HEADNOTE)}</th>'
        f'<th colspan="{len(REQUEST_COLUMNS)}">申请人情况</th></tr>',
        f'<tr><th rowspan="2">自然人</th><th colspan="{len(ORG_LABELS)}">法人或其他组织</th>'
        f'<th rowspan="2">总计</th></tr>',
        "<tr>" + "".join(f"<th>{escape(label)}</th>" for label in ORG_LABELS) + "</tr>",
    ]
    layout = table3_rows(single)
    for i, (row_key, path) in enumerate(layout):
        heads = []
        for level, label in enumerate(path):
            prefix = path[:level + 1]
            if i and layout[i - 1][1][:level + 1] == prefix and level < len(path) - 1:
                continue  # covered by the label cell of a row above (rowspan)
            last = level == len(path) - 1
            rowspan = 1 if last else _run_length(layout, i, prefix)
            colspan = levels - level if last else 1
            span = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + \
                   (f' colspan="{colspan}"' if colspan > 1 else "")
            heads.append(f'<th class="rowlabel"{span}>{escape(label)}</th>')
        tds = "".join(value_cell(f"{row_key}.{c}", ctx) for c in REQUEST_COLUMNS)
        rows.append(f'<tr data-row="{row_key}">{"".join(heads)}{tds}</tr>')
    caption = "三、收到和处理政府信息公开申请情况"
    if single:
        caption += "（（六）其他处理为单行）"
    return _table("table3", caption, rows)


def table4_html(record: Record, ctx: TableContext) -> str:
    n = len(REVIEW_COLUMNS)
    litigation = [g for g in REVIEW_GROUPS if g != "review"]
    rows = [
        f'<tr><th colspan="{n}">{TABLE4_GROUP_LABELS["review"]}</th>'
        f'<th colspan="{n * len(litigation)}">{TABLE4_LITIGATION}</th></tr>',
        "<tr>" + "".join(f'<th rowspan="2">{escape(c)}</th>' for c in TABLE4_COLUMN_LABELS)
        + "".join(f'<th colspan="{n}">{escape(TABLE4_GROUP_LABELS[g])}</th>' for g in litigation)
        + "</tr>",
        "<tr>" + "".join(f"<th>{escape(c)}</th>" for _ in litigation for c in TABLE4_COLUMN_LABELS)
        + "</tr>",
        "<tr>" + "".join(value_cell(f"{g}.{c}", ctx) for g in REVIEW_GROUPS for c in REVIEW_COLUMNS)
        + "</tr>",
    ]
    return _table("table4", "四、政府信息公开行政复议、行政诉讼情况", rows)


def tables_html(record: Record, ctx: TableContext) -> str:
    return "\n".join(f(record, ctx) for f in (table2_html, table3_html, table4_html))


def _run_length(layout, i: int, prefix: tuple[str, ...]) -> int:
    n = 0
    while i + n < len(layout) and layout[i + n][1][:len(prefix)] == prefix:
        n += 1
    return n


def _table(table_id: str, caption: str, rows: list[str]) -> str:
    return (f'<h3>{escape(caption)}</h3>\n<table class="tpl" id="{table_id}">\n'
            + "\n".join(rows) + "\n</table>")
