"""Batch extraction (issue 5): many reports -> records.jsonl and flat tables, resumable.

    from extraction.batch import run_batch, BatchSettings
    summary = run_batch(["reports/"], "out/", BatchSettings(jobs=2))

Steps: walk and hash the inputs, list the URLs (walk.py, remote.py) -> skip what records.jsonl
already holds (store.py) -> extract the rest in worker processes (run.py) or on a Dask cluster
that shares no disk with this machine (dask_engine.py), appending each record durably
-> check consecutive years (crossyear.py) -> flatten (tables.py) -> CSV/Parquet/SQLite
(export.py) -> summary.html and review pages (extraction.review).

Decisions:
- A report is known by the sha256 of its bytes. Identical files are extracted once, under the
  first path in walk order; the others are listed in duplicates.csv. A path this run walked whose
  record is of other content (the file was edited, or was unreadable and is back) has its record
  replaced, with a note: one record per path and content, never two rows for one file.
- The output folder is never read as input (extraction.inputs), even when it lies inside a
  folder walked; links out of a walked folder and dangling links are skipped with a note.
- An output folder accumulates: a re-run extracts only reports it has no record of (error
  records included, unless `retry_errors`), and every table is rebuilt from all its records.
- A killed run loses at most the reports in flight; records.jsonl never holds half a record
  that counts, and the tables are written under temporary names, then renamed.
"""
from __future__ import annotations

import importlib
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from tqdm import tqdm

from .settings import BatchSettings, capped_jobs
from .store import RecordStore, read_records, scan
from .remote import is_url
from .walk import batch_inputs, input_key, split_duplicates

__all__ = ["BatchSettings", "BatchSummary", "run_batch"]


@dataclass
class BatchSummary:
    inputs: int = 0          # files found
    duplicates: int = 0      # files whose bytes another input (or an earlier run) already has
    skipped: int = 0         # reports done by an earlier run
    extracted: int = 0       # reports extracted by this run
    errors: int = 0          # of those, error records
    failed_checks: int = 0   # of those, reports failing at least one check
    records: int = 0         # records in the output folder after the run
    cross_year_failed: int = 0
    cross_year_skipped: int = 0   # agency-years with too many reports to pair (see crossyear.py)
    cross_year_ranked: int = 0    # unread table-2 rows whose readings the previous year ranked
    seconds: float = 0.0             # the whole run
    first_record_seconds: float = 0.0  # until the first record: start-up (workers, model load)
    last_record_seconds: float = 0.0   # until the last record; then the tables are written
    export_seconds: float = 0.0        # sorting records.jsonl, the tables, cross-year checks
    summary_seconds: float = 0.0       # summary.html and review pages
    replaced: int = 0        # records replaced: their file changed since (path and content)
    notes: list = field(default_factory=list)  # what the run skipped or replaced, and why

    def note(self, text: str | None, on_note=None) -> None:
        if text:
            self.notes.append(text)
            if on_note:
                on_note(text)

    def line(self) -> str:
        return (f"{self.inputs} files: {self.extracted} extracted ({self.errors} could not be read, "
                f"{self.failed_checks} failed a check), {self.skipped} already done, "
                f"{self.duplicates} duplicates, {self.replaced} replaced; {self.records} records in all, "
                f"{self.cross_year_failed} failed cross-year checks"
                + (f" ({self.cross_year_skipped} agency-years with more than two reports not paired)"
                   if self.cross_year_skipped else "")
                + (f", {self.cross_year_ranked} ambiguous table-2 rows ranked by the other year "
                   "(xxgk compare: crossyear.csv)" if self.cross_year_ranked else "")
                + f"; {self.seconds:.1f} s")


def run_batch(paths, out_dir: str | Path, settings: BatchSettings | None = None,
              on_note=None, config=None) -> BatchSummary:
    """Run a batch (see the module's docstring); `on_note(text)` hears each note as it is made.
    `config` (extraction.config.Config): the settings every report is extracted with (readers,
    limits, sections, tagger), and `config.batch` when `settings` is None."""
    from .run import iter_records

    settings = settings or (config and config.batch) or BatchSettings()
    out_dir = Path(out_dir)
    started = time.monotonic()
    summary = BatchSummary()
    if not settings.scheduler:  # workers on this machine: capped by its cores and memory
        jobs, warning = capped_jobs(settings.jobs)
        settings = replace(settings, jobs=jobs)
        summary.note(warning, on_note)
    if settings.figures:  # a bad folder or field encoder: one line now, not per worker
        from ..figures import check_field_encoder
        from ..figures.model_folder import check_model_folder
        if settings.model_dir:
            check_model_folder(settings.model_dir)
        check_field_encoder(settings.model_dir, config and config.tagger and config.tagger.field_encoder)
    notes: list[str] = []
    inputs = batch_inputs(paths, outputs=[out_dir], notes=notes)  # never reads its own output back
    for note in notes:
        summary.note(note, on_note)
    unique, _ = split_duplicates(inputs)
    summary.inputs = len(inputs)
    current = {i.source: i.key for i in inputs if not i.is_url}  # URLs are hashed once read
    with RecordStore(out_dir) as store:
        replaced = store.stale_sources(current)
        summary.replaced = len(replaced)
        for source in replaced:
            summary.note(f"{source}: changed since its record; the record is replaced", on_note)
        done = store.done_keys(retry_errors=settings.retry_errors, current=current)
        todo = [i for i in unique if i.key not in done]
        summary.skipped = len(unique) - len(todo)
        recorded = store.sources()  # key -> source, to tell a URL whose bytes are already in
        read_urls: dict[str, str] = {}  # URL -> sha256 of its bytes, as the workers read them
        order = {i.path: n for n, i in enumerate(todo)}  # of this run's inputs
        bar = Progress(total=len(todo), unit="report", file=sys.stderr, disable=not settings.progress,
                       desc="extracting", dynamic_ncols=True)
        with bar:
            for n, record in enumerate(iter_records(todo, settings, config)):
                if n == 0:  # the workers have started (forked while this was the only thread)
                    _import_meanwhile("extraction.batch.export")
                bar.update()
                key, source = input_key(record.source, record.sha256), record.source
                if is_url(source) and record.sha256:
                    # URLs are hashed only once read: the same bytes as another input are one
                    # report, recorded under the earlier input (a later line replaces a line
                    # of this run), the other one listed as a duplicate.
                    read_urls[source] = record.sha256
                    first = recorded.get(key, source)
                    if first != source:
                        if order.get(source, -1) < order.get(first, -1):
                            store.append(record)
                            recorded[key] = source
                        continue
                recorded[key] = source
                store.append(record)
                summary.last_record_seconds = time.monotonic() - started
                if not summary.extracted:
                    summary.first_record_seconds = summary.last_record_seconds
                summary.extracted += 1
                if record.error:
                    summary.errors += 1
                elif record.failed_checks():
                    summary.failed_checks += 1
                bar.set_postfix(errors=summary.errors, failed_checks=summary.failed_checks,
                                refresh=False)
        inputs = [replace(i, sha256=read_urls[i.path]) if i.path in read_urls else i for i in inputs]
        mark = time.monotonic()
        summary.records = store.finish(current)
        duplicates = find_duplicates(inputs, store.path)
        skipped: list = []
        from .export import export
        cross = export(store.path, out_dir, duplicates, skipped=skipped)
        summary.export_seconds = time.monotonic() - mark
        if settings.summary:  # the summary page reads every record at once
            from ..review import write_summary
            mark = time.monotonic()
            write_summary(read_records(store.path), out_dir, pages=settings.review_pages)
            summary.summary_seconds = time.monotonic() - mark
    summary.duplicates = len(duplicates)
    summary.cross_year_failed = sum(c["ok"] is False for c in cross)
    summary.cross_year_skipped = len(skipped)
    summary.cross_year_ranked = sum(len(c.get("ranked") or ()) for c in cross)
    summary.seconds = time.monotonic() - started
    return summary


class Progress(tqdm):
    """The progress bar, without tqdm's monitor thread: the workers are forked from this process
    only while it runs no other thread (run.py, pool_start)."""
    monitor_interval = 0


def _import_meanwhile(module: str) -> None:
    """Import `module` in a thread: the tables' library (pyarrow: ~0.1 s of CPU) loads while the
    workers extract, not after them."""
    threading.Thread(target=importlib.import_module, args=(module,), daemon=True).start()


def find_duplicates(inputs, records_path: Path) -> list[tuple[str, str | None, str]]:
    """Inputs whose bytes are in a record under another path: (path, sha256, that path)."""
    source_of = {key: source for key, source, *_ in scan(records_path)}
    return [(i.source, i.sha256, source_of[i.key]) for i in inputs
            if i.key in source_of and source_of[i.key] != i.source]
