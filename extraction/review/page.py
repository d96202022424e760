"""The review page of one report: its text with the figures and table cells marked, the three
tables filled in, failed checks and warnings — one self-contained HTML file.

`write_review_page(record, path)` reads the report's text from `record.source` (the offsets of
a record index that text); it refuses to mark a text whose bytes are not the ones extracted.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from html import escape
from pathlib import Path

from ..record import Record
from .assets import CSS, REVIEW_JS
from .involved import check_keys, failed_cells
from .marks import mark_text, qty_title
from .tables import TableContext, format_value, tables_html


MAX_PROBLEMS = 30  # offset mismatches listed one by one; past that, a count


@dataclass
class SourceText:
    text: str | None
    problem: str | None = None  # why there is no text, or why it may not match the record


def load_text(record: Record) -> SourceText:
    """The text the record's offsets index: the source file read again, if it is unchanged."""
    from ..errors import ExtractionError
    from ..pipeline import read_document

    source = record.source
    if not source or not Path(source).is_file():
        return SourceText(None, f"the source file {source!r} is not there; the text cannot be shown")
    if record.sha256:
        h = hashlib.sha256(Path(source).read_bytes()).hexdigest()
        if h != record.sha256:
            return SourceText(None, f"{source} has changed since it was extracted (sha256 differs); "
                                    "its text is not shown, because the record's offsets would not fit it")
    try:
        return SourceText(read_document(source).text)
    except ExtractionError as e:
        return SourceText(None, f"the source could not be read again: {e}")
    except Exception as e:  # a page is best effort: say why there is no text, write the rest
        return SourceText(None, f"the source could not be read again: {type(e).__name__}: {e}")


def render_page(record: Record, text: str | None = None, text_problem: str | None = None) -> str:
    """The review page's HTML for `record`; `text` is the document text its offsets index."""
    if record.error is not None:
        return error_page(record)
    checks = record.all_checks()
    values = record.values or {}
    failed = failed_cells(checks, values)
    marked = mark_text(text, record, set(failed)) if text is not None else None
    ctx = TableContext(values, record.cells or {}, marked.cell_ids if marked else {},
                       failed, checks)
    body = [
        f'<main class="review"><div id="text-pane">{text_section(marked, text_problem)}</div>',
        '<div id="side">',
        checks_section(checks, values),
        f'<section class="box" id="tables"><h2>Tables</h2>{table_legend()}{tables_html(record, ctx)}</section>',
        warnings_section(record.warnings or [], marked.problems if marked else []),
        figures_section(record.figures or [], marked),
        "</div></main>",
    ]
    links = {"qty_item": marked.qty_item, "item_qtys": marked.item_qtys} if marked else \
        {"qty_item": {}, "item_qtys": {}}
    return _document(page_title(record), header(record), "\n".join(body), links)


def write_review_page(record: Record, path: str | Path, text: str | None = None) -> Path:
    """Write the review page of `record` to `path`; the text is read from the source if not given."""
    problem = None
    if text is None and record.error is None:
        loaded = load_text(record)
        text, problem = loaded.text, loaded.problem
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_page(record, text, problem), encoding="utf-8")
    return path


def page_title(record: Record) -> str:
    return str(record.title or Path(str(record.source or "report")).name)


def header(record: Record) -> str:
    meta = [("source", record.source), ("agency", record.agency),
            ("year", record.year), ("format", record.format),
            ("table 2 format", record.template),
            ("sha256", (record.sha256 or "")[:12] or None)]
    spans = "".join(f"<span>{escape(k)}: <b>{escape(str(v))}</b></span>" for k, v in meta if v is not None)
    return f'<header><h1>{escape(page_title(record))}</h1><div class="meta">{spans}</div></header>'


def error_page(record: Record) -> str:
    err = record.error
    body = (f'<main><div class="error-box" id="error"><h2>This report could not be read</h2>'
            f'<p><b>{escape(str(err.type))}</b>: {escape(str(err.message))}</p>'
            f'<p class="note">source: {escape(str(record.source))}</p></div></main>')
    return _document(page_title(record), header(record), body, None)


def text_section(marked, problem: str | None) -> str:
    legend = ('<div class="legend"><span class="m qty">QTY</span><span class="m item">ITEM</span>'
              '<span class="m cell">table cell</span><span class="m cell fail">cell of a failed check</span>'
              '</div>')
    if marked is None:
        return f'<h2>Text</h2><p class="note bad" id="no-text">{escape(problem or "no text")}</p>'
    return f'<h2>Text</h2>{legend}<div id="text">{marked.html}</div>'


def table_legend() -> str:
    return ('<p class="note">Click a value to find it in the text. Blank = printed blank; '
            '<span style="background:#fff3bf">yellow*</span> = inferred; <b>?</b> = not read (lost in '
            'the print: unknown, not blank); <span style="background:#ffe3e3">pink!</span> = OCR '
            'reading to check against the scan; hatched = not in the record; '
            '<span style="outline:2px solid #e03131">red frame</span> = in a failed check.</p>')


def checks_section(checks: list[dict], values: dict) -> str:
    failed = [(n, c) for n, c in enumerate(checks) if c.ok is False]
    n_ok = sum(1 for c in checks if c.ok is True)
    unchecked = [c for c in checks if c.ok is None]
    head = (f'<h2>Checks: <span class="{"bad" if failed else "ok"}">{len(failed)} failed</span>, '
            f'{n_ok} passed' + (f', {len(unchecked)} not checked' if unchecked else "") + '</h2>')
    if unchecked:  # a cell they need was not read: neither failed nor passed
        head += ('<p class="note">Not checked: ' + escape("; ".join(
            f"{c.key} ({c.not_checked})" for c in unchecked[:5]))
            + (f" and {len(unchecked) - 5} more" if len(unchecked) > 5 else "") + '</p>')
    if not checks:
        return f'<section class="box" id="checks">{head}<p class="note">No rule could be evaluated.</p></section>'
    if not failed:
        return f'<section class="box" id="checks">{head}</section>'
    rows = ["<tr><th>rule</th><th>key</th><th>left</th><th>right</th><th>detail</th></tr>"]
    for n, c in failed:
        blanks = " (blanks counted as 0)" if c.blanks_as_zero else ""
        rows.append(
            f'<tr class="clickable failed-check" data-check="k{n}" '
            f'title="{escape(", ".join(check_keys(c, values)))}">'
            f"<td>{escape(str(c.rule))}</td><td>{escape(str(c.key))}</td>"
            f'<td class="bad">{escape(_num(c.left))}</td><td class="bad">{escape(_num(c.right))}</td>'
            f"<td>{escape(str(c.detail or ''))}{blanks}</td></tr>")
    return (f'<section class="box" id="checks">{head}<p class="note">Click a check to mark its cells.</p>'
            f'<table class="list">{"".join(rows)}</table></section>')


def warnings_section(warnings: list[str], problems: list[str]) -> str:
    items = [f"<li>{escape(str(w))}</li>" for w in warnings]
    items += [f'<li class="bad">review: {escape(p)}</li>' for p in problems[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:
        items.append(f'<li class="bad">review: … and {len(problems) - MAX_PROBLEMS} more spans that do '
                     'not match the text</li>')
    if not items:
        return '<section class="box" id="warnings"><h2>Warnings: none</h2></section>'
    return (f'<section class="box" id="warnings"><h2>Warnings: {len(items)}</h2>'
            f'<ul>{"".join(items)}</ul></section>')


def figures_section(figures: list[dict], marked) -> str:
    if not figures:
        return '<section class="box" id="figures"><h2>Figures: none</h2></section>'
    rows = ["<tr><th>item</th><th>qty</th><th>value</th><th>unit</th><th>approx</th><th>field</th>"
            "<th>score</th><th>by</th></tr>"]
    for n, f in enumerate(figures):
        linked = marked is not None and f"q{n}" in marked.mark_ids
        attrs = f' class="clickable" data-target="q{n}"' if linked else ""
        score = f.score
        rows.append(f"<tr{attrs} title=\"{escape(qty_title(f))}\">"
                    + "".join(f"<td>{escape(_num(v))}</td>" for v in (
                        f.item, f.qty, f.value, f.unit,
                        "yes" if f.approx else "", f.field,
                        f"{score:.2f}" if isinstance(score, (int, float)) else score, f.by))
                    + "</tr>")
    return (f'<section class="box" id="figures"><h2>Figures: {len(figures)}</h2>'
            f'<table class="list">{"".join(rows)}</table></section>')


def _num(v) -> str:
    if v is None:
        return ""
    return format_value(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


def _document(title: str, header_html: str, body: str, links: dict | None) -> str:
    script = ""
    if links is not None:
        data = json.dumps(links, ensure_ascii=False).replace("</", "<\\/")
        script = (f'<script type="application/json" id="links-data">{data}</script>\n'
                  f'<svg id="links"></svg><div id="info"></div>\n<script>{REVIEW_JS}</script>')
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(title)}</title><style>{CSS}</style></head>\n<body>\n{header_html}\n'
            f'{body}\n{script}\n</body></html>\n')
