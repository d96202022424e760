"""The summary page of a batch: how many reports were read, failed, broke each rule; how the
numbers are distributed across reports; the reports with the most failed checks, linked to
their review pages (`reviews/<review_page_name(record)>`).

`write_summary(records, out_dir)` is what `xxgk batch` calls after a run; `summarize(records)`
gives the numbers alone.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import quote

from ..record import Record
from ..template import (APPLICANT_COLUMNS, OTHER_SINGLE, OUTCOME_GROUP_LABELS, REQUEST_ROWS, REVIEW_GROUPS,
                        TABLE3_ROW_LABELS, request_column_label, short_label)
from .assets import CSS
from .names import PAGE_CHOICES, review_page_name
from .plots import CSS as PLOT_CSS, bar_chart, histogram

REVIEWS_DIR = "reviews"
TOP_REPORTS = 25
ALL_REPORTS_LIMIT = 5000  # keeps the page a few MB at most
NO_DATA = '<p class="note">no data</p>'

# Outcome groups of table 3 (rows summed, `total` column): label, the template's label, row prefixes.
OUTCOMES = [(name, short_label(printed), prefixes) for name, printed, prefixes in [
    ("granted", TABLE3_ROW_LABELS["requests.granted"][-1], ("requests.granted",)),
    ("partially granted", TABLE3_ROW_LABELS["requests.partially_granted"][-1], ("requests.partially_granted",)),
    *((group.rpartition(".")[2].replace("_", " "), label, (group + ".",))
      for group, label in OUTCOME_GROUP_LABELS.items()),
    ("carried forward", TABLE3_ROW_LABELS["requests.carried_forward"][-1], ("requests.carried_forward",)),
]]


@dataclass
class BatchStats:
    n_reports: int = 0
    n_read: int = 0
    n_errors: int = 0
    n_failed: int = 0            # reports with at least one failed check
    n_warned: int = 0            # reports with at least one warning
    errors_by_type: Counter = field(default_factory=Counter)
    rule_reports: Counter = field(default_factory=Counter)   # rule -> reports that broke it
    rule_checks: Counter = field(default_factory=Counter)    # rule -> failed checks
    key_reports: Counter = field(default_factory=Counter)    # (rule, key) -> reports failing it
    warning_kinds: Counter = field(default_factory=Counter)  # warning with digits as '#' -> reports
    formats: Counter = field(default_factory=Counter)
    years: Counter = field(default_factory=Counter)
    outcomes: dict[str, float] = field(default_factory=dict)     # outcome label -> sum
    applicants: dict[str, float] = field(default_factory=dict)   # applicant column -> sum
    new_totals: list[float] = field(default_factory=list)        # requests.new.total per report
    review_totals: list[float] = field(default_factory=list)     # review + litigation totals
    figure_fields: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


def summarize(records: list[Record]) -> BatchStats:
    s = BatchStats(n_reports=len(records))
    s.outcomes = {label: 0 for label, _, _ in OUTCOMES}
    s.applicants = {c: 0 for c in APPLICANT_COLUMNS}
    for r in records:
        if r.error is not None:
            s.n_errors += 1
            s.errors_by_type[(r.error.type if r.error else None) or "unknown"] += 1
            continue
        s.n_read += 1
        s.formats[r.format or "?"] += 1
        s.years[str(r.year or "?")] += 1
        failed = r.failed_checks()
        s.n_failed += bool(failed)
        s.rule_checks.update(c.rule or "?" for c in failed)
        s.key_reports.update({(str(c.rule), str(c.key)) for c in failed})
        s.rule_reports.update({c.rule or "?" for c in failed})
        warnings = r.warnings or []
        s.n_warned += bool(warnings)
        s.warning_kinds.update({re.sub(r"\d+", "#", str(w)) for w in warnings})
        _add_table_numbers(s, r.values or {})
        for f in r.figures or []:
            if f.field and _is_number(f.value):
                s.figure_fields[f.field].append(f.value)
    return s


def _add_table_numbers(s: BatchStats, values: dict) -> None:
    """Sums over the `total` column (blanks count as nothing); one number per report for histograms."""
    for label, _, prefixes in OUTCOMES:
        for row in REQUEST_ROWS + (OTHER_SINGLE,):
            if row.startswith(prefixes) and _is_number(values.get(f"{row}.total")):
                s.outcomes[label] += values[f"{row}.total"]
    for c in APPLICANT_COLUMNS:
        if _is_number(values.get(f"requests.new.{c}")):
            s.applicants[c] += values[f"requests.new.{c}"]
    if _is_number(values.get("requests.new.total")):
        s.new_totals.append(values["requests.new.total"])
    cases = [values.get(f"{g}.total") for g in REVIEW_GROUPS]
    if any(_is_number(v) for v in cases):
        s.review_totals.append(sum(v for v in cases if _is_number(v)))


def top_failing(records: list[Record], n: int = TOP_REPORTS) -> list[tuple[dict, list[dict]]]:
    """The `n` read reports with the most failed checks (ties: by source), with those checks."""
    rows = []
    for r in records:
        failed = r.failed_checks()
        if r.error is None and failed:
            rows.append((r, failed))
    rows.sort(key=lambda rf: (-len(rf[1]), str(rf[0].source)))
    return rows[:n]


def write_summary(records, out_dir: str | Path, name: str = "summary.html",
                  pages: str = "none") -> Path:
    """Write `out_dir/name` for a batch's records; returns its path.

    Reports are linked to `out_dir/reviews/<review_page_name(record)>` where that page exists.
    `pages` says which review pages to write first (each reads its source file again):
    "none", "listed" (the reports the summary lists: most failed checks, unreadable) or "all".
    """
    from .page import write_review_page
    if pages not in PAGE_CHOICES:
        raise ValueError(f"pages must be one of {PAGE_CHOICES}, not {pages!r}")
    records = list(records)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    todo = records if pages == "all" else listed_reports(records) if pages == "listed" else []
    for r in todo:
        write_review_page(r, out_dir / REVIEWS_DIR / review_page_name(r))
    path = out_dir / name
    path.write_text(render_summary(records, out_dir), encoding="utf-8")
    return path


def listed_reports(records: list[Record]) -> list[dict]:
    """The reports the summary lists by name: those with the most failed checks, and errors."""
    return [r for r, _ in top_failing(records)] + [r for r in records if r.error is not None]


def render_summary(records: list[Record], out_dir: Path | None = None) -> str:
    s = summarize(records)

    def link(r: dict) -> str:
        name = review_page_name(r)
        label = escape(str(r.title or r.source))
        if out_dir is not None and (out_dir / REVIEWS_DIR / name).is_file():
            return f'<a class="review-link" href="{REVIEWS_DIR}/{quote(name)}">{label}</a>'
        return label

    body = [counts_section(s), rules_section(s), plots_section(s),
            top_section(records, link), errors_section(records, link), warnings_section(s),
            all_section(records, link)]
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<title>xxgk batch summary</title><style>{CSS}\n{PLOT_CSS}</style></head>\n<body>\n'
            f'<header><h1>Batch summary: {s.n_reports} reports</h1></header>\n'
            f'<main class="summary">{"".join(body)}</main>\n</body></html>\n')


def counts_section(s: BatchStats) -> str:
    cards = [("reports", s.n_reports, "n-reports"), ("read", s.n_read, "n-read"),
             ("could not be read", s.n_errors, "n-errors"),
             ("failed a check", s.n_failed, "n-failed"), ("with warnings", s.n_warned, "n-warned")]
    html = "".join(f'<div class="card" id="{i}"><b>{n}</b>{escape(label)}</div>' for label, n, i in cards)
    meta = ", ".join(f"{escape(k)} {v}" for k, v in sorted(s.formats.items()))
    years = ", ".join(f"{escape(k)}: {v}" for k, v in sorted(s.years.items()))
    return (f'<section class="box"><h2>Reports</h2><div class="cards">{html}</div>'
            f'<p class="note">formats: {meta or "–"}; years: {years or "–"}</p></section>')


def rules_section(s: BatchStats) -> str:
    if not s.rule_reports:
        return '<section class="box" id="rules"><h2>Rules broken: none</h2></section>'
    rows = "".join(f'<tr><td>{escape(str(rule))}</td><td class="bad">{n}</td><td>{s.rule_checks[rule]}</td></tr>'
                   for rule, n in s.rule_reports.most_common())
    keys = "".join(f'<tr><td>{escape(rule)}</td><td>{escape(key)}</td><td class="bad">{n}</td></tr>'
                   for (rule, key), n in s.key_reports.most_common(15))
    return (f'<section class="box" id="rules"><h2>Rules broken</h2><table class="list">'
            f'<tr><th>rule</th><th>reports</th><th>failed checks</th></tr>{rows}</table>'
            f'<h3>Checks failed most often</h3><table class="list" id="rule-keys">'
            f'<tr><th>rule</th><th>key</th><th>reports</th></tr>{keys}</table></section>')


def plots_section(s: BatchStats) -> str:
    fields = sorted(s.figure_fields, key=lambda f: -len(s.figure_fields[f]))
    plots = [
        ("Requests by outcome (sum of the 总计 column over reports; "
         + "、".join(zh for _, zh, _ in OUTCOMES) + ")",
         bar_chart(list(s.outcomes), list(s.outcomes.values()), "requests")),
        ("New requests by applicant type (本年新收, "
         + "、".join(map(request_column_label, APPLICANT_COLUMNS)) + ")",
         bar_chart(list(s.applicants), list(s.applicants.values()), "requests")),
        ("New requests per report (本年新收 · 总计)", histogram(s.new_totals, "requests.new.total")),
        ("Review and litigation cases per report (复议 + 诉讼 总计)",
         histogram(s.review_totals, "review + litigation totals")),
    ]
    plots += [(f"Narrative figure {f} ({len(s.figure_fields[f])} figures)",
               histogram(s.figure_fields[f], f)) for f in fields[:4]]
    figs = "".join(f"<figure>{plot or NO_DATA}<figcaption>{escape(caption)}</figcaption></figure>"
                   for caption, plot in plots)
    return f'<section class="box" id="plots"><h2>Distributions</h2><div class="plots">{figs}</div></section>'


def top_section(records: list[Record], link) -> str:
    top = top_failing(records)
    if not top:
        return '<section class="box" id="top"><h2>Reports with failed checks: none</h2></section>'
    rows = "".join(
        f'<tr><td>{link(r)}</td><td>{escape(str(r.agency or ""))}</td>'
        f'<td>{escape(str(r.year or ""))}</td><td class="bad">{len(failed)}</td>'
        f'<td>{escape(", ".join(sorted({str(c.rule) for c in failed})))}</td></tr>'
        for r, failed in top)
    return (f'<section class="box" id="top"><h2>Reports with the most failed checks</h2>'
            f'<table class="list"><tr><th>report</th><th>agency</th><th>year</th><th>failed</th>'
            f'<th>rules</th></tr>{rows}</table></section>')


def errors_section(records: list[Record], link) -> str:
    errors = [r for r in records if r.error is not None]
    if not errors:
        return '<section class="box" id="errors"><h2>Could not be read: none</h2></section>'
    rows = "".join(
        f'<tr><td>{link(r)}</td><td class="bad">{escape(str((r.error.type if r.error else None)))}</td>'
        f'<td>{escape(str((r.error.message if r.error else None)))}</td></tr>' for r in errors)
    return (f'<section class="box" id="errors"><h2>Could not be read: {len(errors)}</h2>'
            f'<table class="list"><tr><th>source</th><th>type</th><th>message</th></tr>{rows}</table></section>')


def warnings_section(s: BatchStats) -> str:
    if not s.warning_kinds:
        return '<section class="box" id="warning-kinds"><h2>Warnings: none</h2></section>'
    rows = "".join(f"<tr><td>{n}</td><td>{escape(w)}</td></tr>" for w, n in s.warning_kinds.most_common(30))
    return (f'<section class="box" id="warning-kinds"><h2>Most common warnings</h2>'
            f'<table class="list"><tr><th>reports</th><th>warning (digits as #)</th></tr>{rows}</table></section>')


def all_section(records: list[Record], link, limit: int = ALL_REPORTS_LIMIT) -> str:
    """Every report (up to `limit`) in input order, folded away by default."""
    rows = []
    for r in records[:limit]:
        if r.error is not None:
            state = f'<td class="bad">{escape(str((r.error.type if r.error else None)))}</td><td></td><td></td>'
        else:
            failed = len(r.failed_checks())
            unchecked = sum(c.ok is None for c in r.all_checks())
            unchecked = f", {unchecked} not checked" if unchecked else ""
            state = (f'<td class="{"bad" if failed else "ok"}">{failed} failed{unchecked}</td>'
                     f'<td>{coverage_text(r)}</td><td>{len(r.warnings or [])}</td>')
        rows.append(f'<tr><td>{link(r)}</td><td>{escape(str(r.source))}</td>{state}</tr>')
    more = f'<p class="note">{len(records) - limit} more not listed.</p>' if len(records) > limit else ""
    return (f'<section class="box" id="all"><details><summary>All reports ({len(records)})</summary>'
            f'<table class="list"><tr><th>report</th><th>source</th><th>checks</th><th>cells read</th><th>warnings</th></tr>'
            f'{"".join(rows)}</table>{more}</details></section>')


def coverage_text(record: Record) -> str:
    """"198 / 200": template cells read of those expected ("" for a record without them)."""
    cov = record.coverage
    if cov is None:
        return ""
    cls = "" if cov.read == cov.expected else ' class="bad"'
    return f'<span{cls}>{cov.read} / {cov.expected}</span>'


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
