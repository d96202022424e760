"""Batch extraction on one machine: outputs, errors, duplicates, re-runs, formats agreeing."""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import REPO
from extraction.batch import BatchSettings, run_batch
from extraction.record import Record
from extraction.synth import make_report
from extraction.batch.tables import FIGURE_FIELDS, value_keys, values_columns
from extraction.template import table2_keys

TABLES = ("values", "figures", "checks", "errors", "duplicates")


def make_inputs(folder: Path, n: int = 6) -> Path:
    """n small invented reports (TXT and HTML), an unreadable file and a duplicate."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        fmt = ("txt", "html")[i % 2]
        make_report(folder / f"r{i:02d}", seed=i, fmt=fmt, agency=f"示例县第{i % 3}局", year=2021 + i // 3)
    (folder / "sub").mkdir(exist_ok=True)
    (folder / "sub" / "broken.txt").write_bytes(b"\x00\x01\x02\x03 not a report" * 20)
    (folder / "sub" / "copy-of-r00.txt").write_bytes((folder / "r00.txt").read_bytes())
    (folder / "notes.xyz").write_text("not a report format: not picked up", encoding="utf-8")
    return folder


def settings(**kw) -> BatchSettings:
    return BatchSettings(**{"jobs": 2, "figures": False, "progress": False, "summary": False, **kw})


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("batch")
    inputs = make_inputs(base / "in")
    summary = run_batch([inputs], base / "out", settings(summary=True))
    return inputs, base / "out", summary


def test_every_report_gets_one_record_and_the_run_goes_on(batch_run):
    inputs, out, summary = batch_run
    records = [json.loads(line) for line in (out / "records.jsonl").open(encoding="utf-8")]
    sources = [r["source"] for r in records]
    # 6 reports + the broken file; the duplicate is extracted once, under its first path.
    assert len(records) == 7 and len(set(sources)) == 7
    assert sources == sorted(sources)
    assert str(inputs / "sub" / "copy-of-r00.txt") not in sources
    assert summary.inputs == 8 and summary.extracted == 7 and summary.duplicates == 1
    assert summary.errors == 1


def test_errors_csv_has_the_unreadable_file(batch_run):
    inputs, out, _ = batch_run
    errors = pd.read_csv(out / "errors.csv")
    assert list(errors["source"]) == [str(inputs / "sub" / "broken.txt")]
    assert errors["type"][0] == "not_text"
    dups = pd.read_csv(out / "duplicates.csv")
    assert list(dups["path"]) == [str(inputs / "sub" / "copy-of-r00.txt")]
    assert list(dups["same_as"]) == [str(inputs / "r00.txt")]


def test_summary_page_links_review_pages_of_the_listed_reports(batch_run):
    from extraction.review import review_page_name
    _, out, _ = batch_run
    records = [json.loads(line) for line in (out / "records.jsonl").open(encoding="utf-8")]
    (broken,) = [r for r in records if "error" in r]
    page = out / "reviews" / review_page_name(Record.from_json(broken))
    assert page.exists()
    assert f"reviews/{review_page_name(Record.from_json(broken))}" in (out / "summary.html").read_text(encoding="utf-8")


def test_values_csv_has_a_stable_column_set(batch_run):
    _, out, _ = batch_run
    values = pd.read_csv(out / "values.csv")
    assert list(values.columns) == values_columns()
    # every key of both table-2 formats and both （六） variants, and every figure field
    for key in table2_keys("2019") + ["requests.other.total.total", "requests.other.other.total",
                                      "litigation.after_review.total"]:
        assert key in values.columns
    assert [c for c in values.columns if c.startswith("figures.")] == [f"figures.{f}" for f in FIGURE_FIELDS]
    assert len(values) == 6  # reports that were read; the broken one is in errors.csv
    assert len(value_keys()) == len(set(value_keys()))


def test_csv_parquet_and_sqlite_agree(batch_run):
    _, out, _ = batch_run
    con = sqlite3.connect(out / "batch.sqlite")
    try:
        for name in TABLES:
            csv = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
            parquet = pd.read_parquet(out / f"{name}.parquet")
            sql = pd.read_sql(f'SELECT * FROM "{name}"', con)
            assert list(csv.columns) == list(parquet.columns) == list(sql.columns), name
            assert len(csv) == len(parquet) == len(sql), name
            assert _as_text(parquet) == _as_text(sql) == _as_text(csv), name
        n_records = con.execute("SELECT count(*) FROM records").fetchone()[0]
        indexes = {row[1] for row in con.execute("SELECT * FROM sqlite_master WHERE type='index'")}
    finally:
        con.close()
    assert n_records == 7
    assert {"values_agency_year", "figures_agency_year", "checks_agency_year",
            "records_agency_year"} <= indexes


def _as_text(df: pd.DataFrame) -> list[list[str]]:
    """Cells compared as values: blanks empty, 3 == 3.0, True == 1 (SQLite stores booleans as 1)."""
    def text(v):
        if v is None or (not isinstance(v, str) and pd.isna(v)) or v == "":
            return ""
        if isinstance(v, bool) or v in ("True", "False"):
            return str(int(v in (True, "True")))
        if isinstance(v, str):
            return v[:-2] if v.endswith(".0") and v[:-2].isdigit() else v  # CSV prints Float64 3 as 3.0
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)
    return [[text(v) for v in row] for row in df.astype(object).itertuples(index=False)]


def test_rerun_skips_done_reports_and_adds_new_ones(tmp_path):
    inputs = make_inputs(tmp_path / "in", n=3)
    first = run_batch([inputs], tmp_path / "out", settings())
    before = (tmp_path / "out" / "values.csv").read_bytes()
    again = run_batch([inputs], tmp_path / "out", settings())
    assert (first.extracted, again.extracted, again.skipped) == (4, 0, 4)
    assert (tmp_path / "out" / "values.csv").read_bytes() == before
    # a renamed copy is known by its bytes; a new report is extracted
    (inputs / "r00.txt").rename(inputs / "renamed.txt")
    make_report(inputs / "new", seed=99, fmt="txt", agency="示例县新局", year=2022)
    third = run_batch([inputs], tmp_path / "out", settings())
    assert third.extracted == 1 and third.skipped == 4
    values = pd.read_csv(tmp_path / "out" / "values.csv")
    assert len(values) == 4 and str(inputs / "new.txt") in set(values["source"])


def test_cli_batch_writes_every_output(tmp_path):
    inputs = make_inputs(tmp_path / "in", n=2)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "extraction.cli", "batch", str(inputs), "-o", str(out),
                           "--jobs", "2", "--no-figures", "--no-summary"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for name in TABLES:
        assert (out / f"{name}.csv").exists() and (out / f"{name}.parquet").exists()
    assert (out / "batch.sqlite").exists()
    assert "report/s" in proc.stderr and "errors=1" in proc.stderr  # the progress bar, with failures
    assert "3 extracted (1 could not be read" in proc.stderr


def test_default_figure_model_path(tmp_path):
    """Without --no-figures the workers load the shipped model (whatever it is) and still run."""
    inputs = make_inputs(tmp_path / "in", n=2)
    summary = run_batch([inputs], tmp_path / "out", settings(figures=True, jobs=1))
    assert summary.extracted == 3 and summary.errors == 1
    records = [json.loads(line) for line in (tmp_path / "out" / "records.jsonl").open(encoding="utf-8")]
    assert all("figures" in r for r in records if "error" not in r)


def test_settings_reject_bad_values():
    with pytest.raises(ValueError):
        BatchSettings(engine="spark")
    with pytest.raises(ValueError):
        BatchSettings(jobs=-1)
    with pytest.raises(ValueError):
        BatchSettings(scheduler="tcp://127.0.0.1:8786")


def test_retry_errors_redoes_error_records_only(tmp_path, monkeypatch):
    inputs = make_inputs(tmp_path / "in", n=2)
    monkeypatch.setenv("XXGK_MAX_SECONDS", "0.000001")  # every report runs out of time
    first = run_batch([inputs], tmp_path / "out", settings())
    assert first.errors == 3
    monkeypatch.delenv("XXGK_MAX_SECONDS")
    assert run_batch([inputs], tmp_path / "out", settings()).extracted == 0  # errors are done too
    again = run_batch([inputs], tmp_path / "out", settings(retry_errors=True))
    assert again.extracted == 3 and again.errors == 1  # only the broken file still fails
    lines = (tmp_path / "out" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3  # the retried records replaced the error records
    errors = pd.read_csv(tmp_path / "out" / "errors.csv")
    assert list(errors["type"]) == ["not_text"]


def test_workers_that_cannot_start_stop_the_run_and_record_nothing(tmp_path):
    inputs = make_inputs(tmp_path / "in", n=2)
    not_a_model = tmp_path / "empty-model-dir"
    not_a_model.mkdir()
    # a config that passes the folder check (extraction/figures/model_folder.py), no weights
    shutil.copy(REPO / "models" / "xxgk-figures" / "config.json", not_a_model)
    from extraction.batch.run import WorkerStartError
    with pytest.raises(WorkerStartError, match="model.safetensors"):
        run_batch([inputs], tmp_path / "out", settings(figures=True, model_dir=str(not_a_model)))
    assert (tmp_path / "out" / "records.jsonl").read_text(encoding="utf-8") == ""


def test_field_encoder_without_figures_says_it_does_nothing(tmp_path):
    """As `xxgk extract`: --no-figures (here, or "figures": false in a --config) with
    --field-encoder runs, figures-free, and says the option did nothing."""
    from click.testing import CliRunner
    from extraction.cli import main
    inputs = make_inputs(tmp_path / "in", n=1)
    no_figures = tmp_path / "no-figures.json"
    no_figures.write_text('{"figures": false}', encoding="utf-8")
    for n, flag in enumerate((["--no-figures"], ["--config", str(no_figures)])):
        out = tmp_path / f"out{n}"
        r = CliRunner().invoke(main, ["batch", str(inputs), "-o", str(out), "-j", "1", "--quiet",
                                      "--no-summary", "--field-encoder", "e5", *flag])
        assert r.exit_code == 0, r.output
        assert "note: --field-encoder has no effect without figures (--no-figures)" in r.stderr
        records = [json.loads(line) for line in (out / "records.jsonl").open(encoding="utf-8")]
        assert [r["figures"] for r in records if "error" not in r] == [[]]
