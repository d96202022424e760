"""`xxgk extract` over a folder: one JSON line per input in order, exit 0, a summary line."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from extraction.cli import main
from extraction.synth import Layout, make_report

SAMPLES = Path(__file__).resolve().parent.parent / "extraction" / "samples"


def run(args):
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result


def test_folder_gives_one_line_per_input_in_order(tmp_path):
    folder = tmp_path / "in"
    written = [make_report(folder / f"r{i}", seed=i, fmt=fmt, layout=Layout())
               for i, fmt in enumerate(["txt", "html", "docx", "md"])]
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    (folder / "notes.xyz").write_text("not a report", encoding="utf-8")  # not a report type: skipped
    out = tmp_path / "out.jsonl"
    result = run(["extract", str(folder), "-o", str(out), "--no-figures"])
    assert result.exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected = sorted([r.path for r in written] + [folder / "broken.pdf"])
    assert [r["source"] for r in records] == [str(p) for p in expected]
    broken = next(r for r in records if r["source"].endswith("broken.pdf"))
    assert set(broken) == {"source", "sha256", "error"}
    for rec in records:
        if "error" not in rec:
            rep = next(r for r in written if str(r.path) == rec["source"])
            assert (rec["agency"], rec["year"]) == (rep.agency, rep.year)
    assert "5 reports: 4 read" in result.stderr and "1 could not be read" in result.stderr


def test_files_named_keep_the_order_given(tmp_path):
    a = make_report(tmp_path / "b-first", seed=1, fmt="txt", layout=Layout())
    b = make_report(tmp_path / "a-second", seed=2, fmt="txt", layout=Layout())
    result = run(["extract", str(a.path), str(b.path), "--no-figures"])
    assert result.exit_code == 0
    sources = [json.loads(line)["source"] for line in result.stdout.splitlines()]
    assert sources == [str(a.path), str(b.path)]


def test_shipped_samples_extract_to_the_values_they_print(tmp_path):
    """The README's first command, on the shipped samples, checked against their truth."""
    out = tmp_path / "samples.jsonl"
    result = run(["extract", str(SAMPLES), "-o", str(out), "--no-figures"])
    assert result.exit_code == 0
    records = {Path(r["source"]).name: r for r in map(json.loads, out.read_text("utf-8").splitlines())}
    truths = [json.loads(line) for line in (SAMPLES / "expected.jsonl").read_text("utf-8").splitlines()]
    assert sorted(records) == sorted(t["source"] for t in truths)
    wrong = {}
    for t in truths:
        rec = records[t["source"]]
        assert "error" not in rec, rec["error"]
        assert (rec["agency"], rec["year"], rec["template"]) == (t["agency"], t["year"], t["template"])
        bad = {k: (rec["values"].get(k), v) for k, v in t["values"].items() if rec["values"].get(k) != v}
        if bad:
            wrong[t["source"]] = bad
    assert wrong == {}


def test_a_folder_with_a_review_page_and_another_file_reads_only_the_report(tmp_path):
    """`xxgk review FILE` writes FILE's page beside it; the next extract of the folder skips the
    page (and a file of no report format), and says in one line what it skipped."""
    import shutil
    shutil.copy(SAMPLES / "qingchuan-2023.txt", tmp_path)
    (tmp_path / "accounts.xyz").write_bytes(b"not a format xxgk reads")
    review = run(["review", str(tmp_path / "qingchuan-2023.txt"), "--no-figures"])
    assert review.exit_code == 0, review.output
    assert (tmp_path / "qingchuan-2023.review.html").exists()
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", str(tmp_path), "-o", str(out), "--no-figures"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [Path(r["source"]).name for r in records] == ["qingchuan-2023.txt"]
    assert "skipped 2 files" in result.stderr and "1 .xyz" in result.stderr and "1 .review.html" in result.stderr
    assert "1 reports: 1 read" in result.stderr


def test_field_encoder_without_figures_says_it_does_nothing(tmp_path):
    report = make_report(tmp_path / "r", seed=1, fmt="txt", layout=Layout())
    result = run(["extract", str(report.path), "--no-figures", "--field-encoder", "e5"])
    assert result.exit_code == 0
    assert "--field-encoder has no effect" in result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["cells"]
