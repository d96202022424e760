"""Reports placed by agency and year, and their values as series rows.

A report is placed under its agency (names.py) and the year its record gives. Whatever does not
fit one report per agency-year is kept and said in a note, never merged or dropped silently:
- the same file given twice (one sha256 in two record files): counted once, noted;
- two or more reports for one agency-year (a revised report, the report in two formats, two
  bodies under one name): all kept, each row naming its source;
- a title that prints another year than its statistics period (the record's warning): kept
  under the title's year, as extracted;
- years missing between an agency's first and last report;
- records that cannot be placed (no agency, no year) and error records.

Series rows: every template key of a report (a printed blank is an empty value, kept apart
from 0), then its narrative figures (`figures.<field>`, kind "narrative") where a figure has a
field — summed per field as the batch tables do (`figure_totals`), with the same notes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..batch.tables import figure_totals
from ..metadata import year_conflict
from ..record import Cell, Figure, Record
from ..review.labels import key_label
from ..template import OTHER_SINGLE, OTHER_SUBROWS, table2_keys

SERIES_COLUMNS = ["agency", "year", "key", "value", "source", "kind", "label", "template", "scope",
                  "raw", "status", "where", "review", "note"]
# status: printed | inferred (one reading of an ambiguous print, as the record marks it) |
# blank (printed blank: no number, not 0) | unread (an ambiguous print left blank; see the
# record's warnings) | approximate (a narrative figure printed with 余/多/约)
NOTE_COLUMNS = ["agency", "year", "kind", "detail", "source"]
FIGURE_PREFIX = "figures."


@dataclass
class Report:
    record: Record
    agency: str
    year: int
    records_file: str = ""
    review: str | None = None     # link to its review page, relative to the output folder
    period_year: int | None = None  # where its statistics period says another year than its title
    notes: list[str] = field(default_factory=list)   # said on each of its series rows
    rows: list[dict] = field(default_factory=list)    # its series rows (series_rows)

    @property
    def source(self) -> str:
        return str(self.record.source or "")

    @property
    def template(self) -> str | None:
        return self.record.template


@dataclass
class Note:
    agency: str | None
    year: int | None
    kind: str
    detail: str
    source: str | None = None

    def row(self) -> dict:
        return {c: getattr(self, c) for c in NOTE_COLUMNS}


@lru_cache(maxsize=None)
def key_scope(key: str) -> str:
    """Which reports have this key: both table-2 formats, one of them, one （六） layout."""
    if key.startswith(FIGURE_PREFIX):
        return "narrative"
    row = key.rpartition(".")[0]
    if row == OTHER_SINGLE:
        return "single （六） row only"
    if row in OTHER_SUBROWS:
        return "（六） sub-rows only"
    in_2019, in_2021 = key in _TABLE2["2019"], key in _TABLE2["2021"]
    if in_2019 != in_2021:
        return "2019 format only" if in_2019 else "2021 format only"
    return "both formats"


_TABLE2 = {t: set(table2_keys(t)) for t in ("2019", "2021")}


@lru_cache(maxsize=None)
def definition_changed(key: str) -> bool:
    """Does the template print this key under other words in the 2019 and 2021 formats?"""
    return (key_scope(key) == "both formats" and key in _TABLE2["2019"]
            and key_label(key, ("2019",)) != key_label(key, ("2021",)))


@lru_cache(maxsize=None)
def label(key: str) -> str:
    if key.startswith(FIGURE_PREFIX):
        return f"narrative figure {key[len(FIGURE_PREFIX):]}"
    return key_label(key)


def place(records: list[tuple[Record, str]], agency_of) -> tuple[dict[str, dict[int, list[Report]]], list[Note]]:
    """(agency -> year -> reports, notes). `agency_of` maps a printed name to its agency."""
    notes: list[Note] = []
    seen: dict[str, str] = {}
    by_agency: dict[str, dict[int, list[Report]]] = {}
    for record, records_file in records:
        source, sha = record.source, record.sha256
        if sha and sha in seen:
            notes.append(Note(None, record.year, "same_file",
                              f"the same file again (sha256 {sha[:12]}), counted once: {seen[sha]}", source))
            continue
        if sha:
            seen[sha] = str(source)
        if record.error is not None:
            notes.append(Note(None, None, "unreadable", f"{record.error.type}: {record.error.message}", source))
            continue
        missing = [k for k in ("agency", "year") if not placeable(record, k)]
        if missing:
            notes.append(Note(record.agency, None, "unplaced",
                              f"no {' and no '.join(missing)} found in the report: not in any series", source))
            continue
        report = Report(record, agency_of(record.agency), record.year, records_file)
        for w in record.warnings or []:
            conflict = year_conflict(w)
            if conflict:
                report.period_year = conflict[1]
                said = (f"the title says {conflict[0]}, the statistics period starts in {conflict[1]}: "
                        f"kept under {conflict[0]} as printed")
                report.notes.append(said)
                notes.append(Note(report.agency, report.year, "year_conflict", said, source))
        by_agency.setdefault(report.agency, {}).setdefault(report.year, []).append(report)
    for agency, years in sorted(by_agency.items()):
        notes += _series_notes(agency, years)
    return by_agency, notes


def placeable(record: Record, key: str) -> bool:
    value = getattr(record, key)
    if key == "year":
        return isinstance(value, int) and not isinstance(value, bool)
    return bool(str(value or "").strip())


def _series_notes(agency: str, years: dict[int, list[Report]]) -> list[Note]:
    notes = []
    gaps = [y for y in range(min(years), max(years)) if y not in years]
    if gaps:
        notes.append(Note(agency, None, "missing_years",
                          f"no report for {', '.join(map(str, gaps))} (between {min(years)} and {max(years)})"))
    for year, reports in sorted(years.items()):
        if len(reports) < 2:
            continue
        differ = differing_keys(reports)
        said = (f"{len(reports)} reports for {year} (a revised report, or one report in two files?): "
                + (f"values differ in {len(differ)} keys ({', '.join(differ[:5])}"
                   f"{', …' if len(differ) > 5 else ''})" if differ else "the same values")
                + "; all kept, each row names its source")
        for r in reports:
            r.notes.append(f"{len(reports)} reports for {year}")
            if r.period_year is not None:
                said += (f"; {r.source}'s statistics period starts in {r.period_year}"
                         + ("" if r.period_year in years else ", a year with no report")
                         + ": its title may print the wrong year")
        notes.append(Note(agency, year, "several_reports", said,
                          " | ".join(r.source for r in reports)))
    for prev, year in zip(sorted(years), sorted(years)[1:]):
        templates = {r.template for r in years[prev]}, {r.template for r in years[year]}
        if templates[0] != templates[1]:
            notes.append(Note(agency, year, "format_change",
                              f"table 2 format {'/'.join(sorted(map(str, templates[0])))} in {prev}, "
                              f"{'/'.join(sorted(map(str, templates[1])))} in {year}: only the keys both "
                              "formats have are compared; the rest are kept in series.csv, marked in `scope`"))
    return notes


def differing_keys(reports: list[Report]) -> list[str]:
    keys = sorted({k for r in reports for k in (r.record.values or {})})
    return [k for k in keys if len({repr((r.record.values or {}).get(k)) for r in reports}) > 1]


def series_rows(report: Report) -> list[dict]:
    """One row per template key the report has, then one per narrative figure field."""
    r = report.record
    base = {"agency": report.agency, "year": report.year, "source": report.source,
            "template": report.template, "review": report.review, "note": "; ".join(report.notes) or None}
    cells = r.cells or {}
    rows = []
    for key, value in (r.values or {}).items():
        cell = cells.get(key) or Cell()
        rows.append(dict(base, key=key, value=value, kind="table", label=label(key), scope=key_scope(key),
                         raw=cell.raw, status=cell_status(value, cell), where=where(cell)))
    totals, figure_notes = figure_totals(r.figures or [])
    by_field: dict[str, list[Figure]] = {}
    for f in r.figures or []:
        if f.field and f.value is not None:
            by_field.setdefault(f.field, []).append(f)
    for fld, figs in by_field.items():  # a field left out of the totals (units differ) is said, blank
        value = totals.get(fld)
        said = [base["note"]] + [n for n in figure_notes if n.startswith(f"{fld}:")]
        status = "unread" if value is None else \
            "approximate" if any(f.approx for f in figs) else "printed"
        rows.append(dict(base, key=FIGURE_PREFIX + fld, value=value, kind="narrative",
                         label=label(FIGURE_PREFIX + fld), scope="narrative",
                         raw=" + ".join(str(f.qty) for f in figs), status=status,
                         where=" ".join(where(f) or "" for f in figs).strip() or None,
                         note="; ".join(x for x in said if x) or None))
    return rows


def cell_status(value, cell: Cell) -> str:
    if value is not None:
        return "inferred" if cell.inferred else "printed"
    return "unread" if re.search(r"[0-9０-９]", str(cell.raw or "")) else "blank"


def where(span: Cell | Figure) -> str | None:
    """"start-end" in the text `xxgk text` prints (with "p.N " for a cell on a PDF page)."""
    if span.start is None:
        return None
    page = getattr(span, "page", None)
    return f"{'' if page is None else f'p.{page} '}{span.start}-{span.end}"
