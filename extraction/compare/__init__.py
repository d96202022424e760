"""Year over year (issue 16): one agency's reports side by side, the changes, the cross-year checks.

    from extraction.compare import CompareSettings, run_compare
    summary = run_compare(["out/records.jsonl"], "out/compare", CompareSettings())

Steps: read records (`load_records`) -> one name per agency (names.py) -> place reports by
agency and year, with notes on whatever does not fit (series.py) -> series rows -> changes
(changes.py) -> cross-year checks (extraction.batch.crossyear, on the agencies' names) ->
`series`, `changes`, `crossyear`, `notes` as CSV and Parquet, and `compare.html` (page.py).
Nothing here changes a number: a value is the record's, with its source, cell and review page.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from tqdm import tqdm

from ..batch.crossyear import cross_year_checks, slim
from ..record import Record
from ..review.names import review_page_name
from .changes import CHANGE_COLUMNS, Thresholds, agency_changes
from .names import AgencyNames, group_names
from .series import NOTE_COLUMNS, SERIES_COLUMNS, Note, Report, place, series_rows

__all__ = ["CompareSettings", "Comparison", "compare", "load_records", "run_compare"]

CROSS_COLUMNS = ["agency", "year", "prev_year", "rule", "key", "ok", "left", "right", "detail",
                 "blanks_as_zero", "source", "prev_source", "not_checked"]
REVIEWS_DIR = "reviews"


class RecordsError(ValueError):
    pass


@dataclass
class CompareSettings:
    agency: str | None = None          # only this agency (any of its names)
    aliases: dict[str, str] = field(default_factory=dict)
    thresholds: Thresholds = field(default_factory=Thresholds)
    write_reviews: bool = False        # write missing review pages into OUT/reviews (reads sources)
    progress: bool = False             # a progress bar while writing review pages


@dataclass
class Comparison:
    names: AgencyNames
    agencies: dict[str, dict[int, list[Report]]]
    series: list[dict]
    changes: list[dict]
    cross_year: list[dict]
    notes: list[Note]

    def line(self) -> str:
        reports = sum(len(r) for years in self.agencies.values() for r in years.values())
        return (f"{len(self.agencies)} agencies, {reports} reports: {len(self.series)} series values, "
                f"{sum('large' in (c['flags'] or '') for c in self.changes)} large changes, "
                f"{sum(c['ok'] is False for c in self.cross_year)} failed cross-year checks, "
                f"{len(self.names.merges)} names merged, {len(self.notes)} notes")


def load_records(paths) -> list[tuple[Record, str]]:
    """(record, records file) of every line of every JSON Lines file, in order."""
    from ..review.command import read_records  # one line that is not a record: a one-line error
    return [(record, str(path)) for path in map(Path, paths) for record in read_records(path)]


def compare(records: list[tuple[Record, str]], settings: CompareSettings | None = None,
            out_dir: Path | None = None) -> Comparison:
    """Everything `run_compare` writes, in memory. With `out_dir`, rows link review pages."""
    settings = settings or CompareSettings()
    years_by_name: dict[str, set[int]] = {}
    for r, _ in records:
        if r.error is None and r.agency and isinstance(r.year, int):
            years_by_name.setdefault(r.agency, set()).add(r.year)
    names = group_names(years_by_name, settings.aliases)
    agencies, notes = place(records, names)
    if settings.agency:
        wanted = names.find(settings.agency, settings.aliases)
        if wanted not in agencies:
            raise RecordsError(f"no report of an agency named {settings.agency!r} "
                               f"({len(agencies)} agencies in the records)")
        agencies = {wanted: agencies[wanted]}
        notes = [n for n in notes if n.agency == wanted]
    for m in names.merges:
        if m.agency in agencies:
            notes.append(Note(m.agency, None, "name_merged", f"{m.name!r}: {m.reason}"))
    for m in names.kept_apart:
        if not settings.agency or m.name in agencies or set(m.agency.split("; ")) & set(agencies):
            notes.append(Note(m.name, None, "name_kept_apart", f"may be a short name of {m.agency}; {m.reason}"))
    ordered = [r for _, years in sorted(agencies.items()) for _, reports in sorted(years.items()) for r in reports]
    series, changes = [], []
    for report in tqdm(ordered, unit="report", desc="review pages", file=sys.stderr,
                       disable=not (settings.progress and settings.write_reviews and out_dir)):
        if out_dir is not None:
            report.review = review_link(report, Path(out_dir), settings.write_reviews)
        report.rows = series_rows(report)
        series += report.rows
    for _, years in sorted(agencies.items()):
        changes += agency_changes(years, settings.thresholds)
    slims = [dict(slim(r.record), agency=r.agency) for years in agencies.values()
             for reports in years.values() for r in reports]
    skipped: list = []
    cross = cross_year_checks(slims, skipped)
    notes += [Note(a, y, "not_cross_checked", f"{n} reports for {y}: too many to pair for the cross-year checks")
              for a, y, n in skipped]
    return Comparison(names, agencies, series, changes, cross, notes)


def review_link(report: Report, out_dir: Path, write: bool) -> str | None:
    """The report's review page (beside its records file, or in OUT/reviews), relative to OUT."""
    name = review_page_name(report.record)
    page = Path(report.records_file).parent / REVIEWS_DIR / name
    if not page.is_file():
        page = out_dir / REVIEWS_DIR / name
        if write and not page.is_file():
            from ..review import write_review_page
            write_review_page(report.record, page)
    if not page.is_file():
        return None
    return quote(os.path.relpath(page, out_dir).replace(os.sep, "/"))


def cross_rows(checks: list[dict]) -> list[dict]:
    return [{c: check.get(c) for c in CROSS_COLUMNS} for check in checks]


def run_compare(paths, out_dir: str | Path, settings: CompareSettings | None = None) -> Comparison:
    from .page import write_page
    from .write import write_table

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = compare(load_records(paths), settings, out_dir)
    write_table(out_dir, "series", result.series, SERIES_COLUMNS)
    write_table(out_dir, "changes", result.changes, CHANGE_COLUMNS)
    write_table(out_dir, "crossyear", cross_rows(result.cross_year), CROSS_COLUMNS)
    write_table(out_dir, "notes", [n.row() for n in result.notes], NOTE_COLUMNS)
    write_page(result, out_dir / "compare.html", settings or CompareSettings())
    return result

