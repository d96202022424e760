"""compare.html: one self-contained page (no external resources, no script), agency by agency.

Per agency: the names merged into it and its notes; small line charts of the main series
(inline SVG: drawn by the browser, cheap for thousands of agencies); a table of years × main
figures whose values link to their report's review page, large changes and values in a failed
cross-year check highlighted; the failed cross-year checks with both sides; the largest changes
of any key. Narrative figures are shown apart from table values and labelled as such.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from ..figures.fields import FIELDS
from ..review.assets import CSS
from ..review.tables import format_value
from ..template import all_keys
from .series import FIGURE_PREFIX, label

# What the page shows per agency (series.csv has every key): the request flow of table 3, the
# in-force count cross-checked from year to year, the review and litigation totals, and the
# narrative figures that say the same things in words.
TABLE_MAIN = ("requests.new.total", "requests.carried_over.total", "requests.granted.total",
              "requests.partially_granted.total", "requests.total.total", "requests.carried_forward.total",
              "proactive.normative_docs.in_force", "review.total", "litigation.direct.total",
              "litigation.after_review.total")
NARRATIVE_MAIN = ("proactive_total", "requests_received", "review_cases", "litigation_cases")
CHARTS = ("requests.new.total", "requests.granted.total", "review.total", "litigation.direct.total",
          FIGURE_PREFIX + "proactive_total")
TOP_CHANGES = 15
assert set(TABLE_MAIN) <= set(all_keys("2021")) and set(NARRATIVE_MAIN) <= set(FIELDS)

EXTRA_CSS = """
main.compare { padding: 12px 18px 40px; }
nav.agencies a { margin-right: 12px; white-space: nowrap; }
section.agency h2 small { font-weight: normal; color: #5c6573; margin-left: 8px; }
.charts { display: flex; flex-wrap: wrap; gap: 10px; margin: 6px 0 10px; }
.charts figure { margin: 0; border: 1px solid #e3e6eb; padding: 4px; background: #fff; }
.charts figcaption { font-size: 11px; color: #5c6573; max-width: 240px; }
svg.chart .series { fill: none; stroke: #3b5bdb; stroke-width: 2; }
svg.chart .pt { fill: #3b5bdb; }
svg.chart .pt.large { fill: #e03131; }
svg.chart .axis { stroke: #9aa3b0; stroke-width: 1; }
svg.chart text { font-size: 10px; fill: #5c6573; }
table.years { width: auto; min-width: 50%; }
table.years td.v { min-width: 64px; text-align: right; font-variant-numeric: tabular-nums; }
table.years td.v a { color: #0b4f9c; text-decoration: none; }
table.years td.v a:hover { text-decoration: underline; }
table.years td.large { background: #fff3bf; font-weight: 600; }
table.years td.xfail { outline: 2px solid #e03131; outline-offset: -2px; }
table.years td.blank, table.years td.unread { color: #9aa3b0; }
table.years tr.narrative th { font-style: italic; }
table.years tr.narrative td { background: #f3f0ff; }
.flag { font-size: 11px; padding: 0 4px; border-radius: 3px; background: #e9ecef; margin-right: 3px; }
.flag.large { background: #ffe066; }
.flag.definition_changed { background: #d0bfff; }
"""


def write_page(result, path: Path, settings) -> Path:
    path.write_text(render(result, settings), encoding="utf-8")
    return path


def render(result, settings) -> str:
    n_reports = sum(len(r) for years in result.agencies.values() for r in years.values())
    years = sorted({y for ys in result.agencies.values() for y in ys})
    cards = [("agencies", len(result.agencies), "n-agencies"), ("reports", n_reports, "n-reports"),
             ("large changes", sum(_has(c, "large") for c in result.changes), "n-large"),
             ("failed cross-year checks", sum(c["ok"] is False for c in result.cross_year), "n-xfail"),
             ("notes", len(result.notes), "n-notes")]
    t = settings.thresholds
    head = (f'<section class="box"><div class="cards">'
            + "".join(f'<div class="card" id="{i}"><b>{n}</b>{escape(k)}</div>' for k, n, i in cards)
            + f'</div><p class="note">years {years[0] if years else "–"}–{years[-1] if years else "–"}; '
              f'a change is large when |change| ≥ {t.min_change:g} and |change / previous| ≥ '
              f'{t.relative:g} (or the previous value was 0). Click a value to open its report’s '
              f'review page. series.csv, changes.csv, crossyear.csv and notes.csv beside this page '
              f'have every key.</p></section>')
    index = ('<section class="box"><h2>Agencies</h2><nav class="agencies">'
             + "".join(f'<a href="#a{n}">{escape(a)}</a>' for n, a in enumerate(sorted(result.agencies)))
             + "</nav></section>")
    body = [head, notes_section([n for n in result.notes if n.agency not in result.agencies], "Notes"), index]
    by_agency = _group(result)
    for n, agency in enumerate(sorted(result.agencies)):
        body.append(agency_section(n, agency, result.agencies[agency], *by_agency[agency]))
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>xxgk compare</title><style>{CSS}{EXTRA_CSS}</style></head>\n<body>\n'
            f'<header><h1>Year over year: {len(result.agencies)} agencies, {n_reports} reports</h1></header>\n'
            f'<main class="compare">{"".join(body)}</main>\n</body></html>\n')


def _group(result) -> dict:
    out = {a: ([], [], [], []) for a in result.agencies}
    for row in result.series:
        out[row["agency"]][0].append(row)
    for c in result.changes:
        out[c["agency"]][1].append(c)
    for c in result.cross_year:
        if c["agency"] in out:
            out[c["agency"]][2].append(c)
    for note in result.notes:
        if note.agency in out:
            out[note.agency][3].append(note)
    return out


def agency_section(n: int, agency: str, years: dict, series: list, changes: list, cross: list,
                   notes: list) -> str:
    reports = [r for y in sorted(years) for r in years[y]]
    value = {(r["source"], r["year"], r["key"]): r for r in series}
    large = {(c["source"], c["year"], c["key"]) for c in changes if _has(c, "large")}
    failed = [c for c in cross if c["ok"] is False]
    xfail = {(c["source"], c["year"], c["key"]) for c in failed}
    span = f"{min(years)}–{max(years)}" if len(years) > 1 else str(min(years))
    parts = [f'<section class="box agency" id="a{n}" data-agency="{escape(agency)}">'
             f'<h2>{escape(agency)}<small>{len(reports)} reports, {span}</small></h2>',
             notes_section(notes, None),
             charts(reports, value, large),
             years_table(reports, value, large, xfail),
             cross_section(failed), ranked_section(cross), changes_section(changes), "</section>"]
    return "".join(parts)


def years_table(reports, value, large, xfail) -> str:
    head = "".join(f'<th title="{escape(r.source)}">{r.year}{_mark(r, reports)}<br>'
                   f'<span class="note">{escape(str(r.template or "–"))} format</span></th>' for r in reports)
    rows = []
    for key in TABLE_MAIN + tuple(FIGURE_PREFIX + f for f in NARRATIVE_MAIN):
        if not any((r.source, r.year, key) in value for r in reports):
            continue
        narrative = key.startswith(FIGURE_PREFIX)
        cells = "".join(value_cell(value.get((r.source, r.year, key)), (r.source, r.year, key), large, xfail)
                        for r in reports)
        rows.append(f'<tr data-key="{escape(key)}"{" class=narrative" if narrative else ""}>'
                    f'<th class="rowlabel" title="{escape(key)}">{escape(label(key))}</th>{cells}</tr>')
    return (f'<table class="tpl years"><tr><th class="rowlabel">year (table 2 format)</th>{head}</tr>'
            f'{"".join(rows)}</table><p class="note">Narrative rows (shaded) are figures from the '
            f'report’s text, not table values. Yellow: a large change from the year before; red frame: '
            f'in a failed cross-year check; – : the report has no such key; empty: printed blank; ? : a print too '
            f'ambiguous to read (see the review page).</p>')


def value_cell(row: dict | None, at, large, xfail) -> str:
    if row is None:
        return '<td class="v absent">–</td>'
    classes = ["v"] + (["large"] if at in large else []) + (["xfail"] if at in xfail else [])
    if row["value"] is None:
        classes.append(row["status"])
    shown = {"blank": "", "unread": "?"}.get(row["status"]) if row["value"] is None else \
        escape(format_value(row["value"]))
    title = f'{row["label"]} = {shown or "blank"} ({row["status"]}: {row.get("raw") or "–"}) — {row["source"]}'
    if row.get("note"):
        title += f' — {row["note"]}'
    if row.get("review"):
        shown = f'<a class="review-link" href="{escape(row["review"])}">{shown or "(blank)"}</a>'
    return (f'<td class="{" ".join(classes)}" data-key="{escape(row["key"])}" data-year="{row["year"]}" '
            f'title="{escape(title)}">{shown}</td>')


def charts(reports, value, large, width: int = 240, height: int = 110) -> str:
    figs = []
    years = sorted({r.year for r in reports})
    for key in CHARTS:
        points = [(r.year, value[(r.source, r.year, key)]["value"], (r.source, r.year, key) in large)
                  for r in reports if (r.source, r.year, key) in value
                  and isinstance(value[(r.source, r.year, key)]["value"], (int, float))]
        if not points:
            continue
        figs.append(f'<figure data-key="{escape(key)}">{line_chart(points, years, width, height)}'
                    f'<figcaption>{escape(label(key))}</figcaption></figure>')
    return f'<div class="charts">{"".join(figs)}</div>' if figs else ""


def line_chart(points: list[tuple[int, float, bool]], years: list[int], width: int, height: int) -> str:
    """An SVG line chart: one dot per report (red when its change is large), the line broken at a
    missing year, the first and last year and the largest value written on the axes."""
    left, right, top, bottom = 34, 16, 8, 18
    low, high = years[0], years[-1]
    top_value = max(max(v for _, v, _ in points), 1)

    def x(year):
        return left + (width - left - right) * ((year - low) / (high - low) if high > low else 0.5)

    def y(v):
        return top + (height - top - bottom) * (1 - v / top_value) if v >= 0 else height - bottom

    first = {}
    for year, v, _ in points:
        first.setdefault(year, v)
    runs, run = [], []
    for year in range(low, high + 1):
        if year in first:
            run.append(f"{x(year):.1f},{y(first[year]):.1f}")
        elif run:
            runs.append(run)
            run = []
    runs.append(run)
    lines = "".join(f'<polyline class="series" points="{" ".join(r)}"/>' for r in runs if len(r) > 1)
    dots = "".join(f'<circle class="pt{" large" if big else ""}" cx="{x(yr):.1f}" cy="{y(v):.1f}" r="3">'
                   f"<title>{yr}: {escape(format_value(v))}</title></circle>" for yr, v, big in points)
    axis = (f'<line class="axis" x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}"/>'
            f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}"/>'
            f'<text x="{left - 3}" y="{top + 8}" text-anchor="end">{escape(format_value(top_value))}</text>'
            f'<text x="{left - 3}" y="{height - bottom}" text-anchor="end">0</text>'
            f'<text x="{x(low):.1f}" y="{height - 4}" text-anchor="middle">{low}</text>'
            + (f'<text x="{x(high):.1f}" y="{height - 4}" text-anchor="middle">{high}</text>' if high > low else ""))
    return (f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">{axis}{lines}{dots}</svg>')


def ranked_section(cross: list[dict]) -> str:
    """Table-2 rows left unread (their digits split several ways), ranked by the in-force rule
    across the two years: the readings with which it holds first. Nothing was filled in."""
    def fitting(r):
        shown = ", ".join("/".join(format_value(v) for v in x) for x in r["readings"][:r["fit"]])
        return escape(shown or "none")

    rows = "".join(f'<tr class="ranked"><td>{r["year"]}</td><td>{escape(r["row"])}</td>'
                   f'<td>{fitting(r)}</td><td>{r["fit"]} of {len(r["readings"])}</td>'
                   f'<td title="{escape(str(r["source"]))}">{escape(Path(str(r["source"])).name)}</td></tr>'
                   for c in cross for r in c.get("ranked") or ())
    if not rows:
        return ""
    return ('<h3>Ambiguous rows ranked by the other year</h3><table class="list ranked">'
            '<tr><th>year</th><th>row</th><th>readings that fit in-force (t) = in-force (t−1) + '
            'issued − repealed</th><th>fit</th><th>report</th></tr>' + rows + '</table>'
            '<p class="note">A ranking only: these cells stay unread (blank in the tables); '
            'documents that lapse without a repeal also break the rule.</p>')


def cross_section(failed: list[dict]) -> str:
    if not failed:
        return ""
    rows = "".join(f'<tr class="xfail"><td>{c["year"]}</td><td>{escape(str(c["rule"]))}</td>'
                   f'<td class="bad">{escape(format_value(c["left"]))}</td>'
                   f'<td class="bad">{escape(format_value(c["right"]))}</td><td>{escape(str(c["detail"]))}'
                   f'{" (blanks counted as 0)" if c.get("blanks_as_zero") else ""}</td>'
                   f'<td>{_files(c["source"], c["prev_source"])}</td></tr>' for c in failed)
    return (f'<h3>Failed cross-year checks: {len(failed)}</h3><table class="list cross">'
            f'<tr><th>year</th><th>rule</th><th>this year</th><th>from last year</th><th>detail</th>'
            f'<th>reports</th></tr>{rows}</table>')


def changes_section(changes: list[dict]) -> str:
    big = [c for c in changes if _has(c, "large") or _has(c, "definition_changed")]
    if not big:
        return ""
    big.sort(key=lambda c: (not _has(c, "large"), -abs(c["change"] or 0)))
    rows = "".join(
        f'<tr class="change"><td>{c["prev_year"]}→{c["year"]}</td><td title="{escape(c["key"])}">'
        f'{escape(c["label"])}</td><td>{_fmt(c["prev_value"])}</td><td>{_fmt(c["value"])}</td>'
        f'<td>{_fmt(c["change"], sign=True)}</td><td>{_pct(c["relative"])}</td>'
        f'<td>{_flags(c)}</td><td>{_files(c["source"], c["prev_source"])}</td></tr>'
        for c in big[:TOP_CHANGES])
    more = f'<p class="note">{len(big) - TOP_CHANGES} more in changes.csv.</p>' if len(big) > TOP_CHANGES else ""
    return (f'<h3>Large changes and changed definitions: {len(big)}</h3><table class="list changes">'
            f'<tr><th>years</th><th>what</th><th>before</th><th>after</th><th>change</th><th>relative</th>'
            f'<th>flags</th><th>reports</th></tr>{rows}</table>{more}')


def notes_section(notes: list, title: str | None) -> str:
    if not notes:
        return ""
    rows = "".join(f'<tr class="note-row" data-kind="{escape(n.kind)}"><td>{escape(n.kind)}</td>'
                   + (f'<td>{escape(str(n.agency or ""))}</td>' if title else "")
                   + f'<td>{escape(str(n.year or ""))}</td><td>{escape(n.detail)}</td>'
                   f'<td>{escape(str(n.source or ""))}</td></tr>' for n in notes)
    head = "<tr><th>note</th>" + ("<th>agency</th>" if title else "") + \
        "<th>year</th><th>detail</th><th>source</th></tr>"
    h = f"<h2>{escape(title)}: {len(notes)}</h2>" if title else ""
    table = f'<table class="list notes">{head}{rows}</table>'
    return f'<section class="box" id="notes">{h}{table}</section>' if title else table


def _mark(report, reports) -> str:
    same = [r for r in reports if r.year == report.year]
    return f" ({same.index(report) + 1}/{len(same)})" if len(same) > 1 else ""


def _files(source, prev_source) -> str:
    """The two reports compared, by file name (the whole path on hover)."""
    return " ← ".join(f'<span title="{escape(str(p))}">{escape(Path(str(p)).name)}</span>'
                      for p in (source, prev_source))


def _flags(change: dict) -> str:
    return "".join(f'<span class="flag {f}">{f}</span>' for f in (change["flags"] or "").split(";") if f)


def _has(change: dict, flag: str) -> bool:
    return flag in (change.get("flags") or "").split(";")


def _fmt(v, sign: bool = False) -> str:
    if v is None:
        return "blank"
    s = escape(format_value(v))
    return f"+{s}" if sign and v > 0 else s


def _pct(v) -> str:
    return "" if v is None else f"{v * 100:+.0f}%"
