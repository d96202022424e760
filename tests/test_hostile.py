"""Bad input never crashes a run, hangs it, or loses data (issue 6).

A hostile folder is built at test time: empty files of each type, random bytes, truncated and
encrypted PDFs, an image-only PDF, a DOCX whose XML inflates to 2 GiB, HTML nested 200,000 deep, a
60 MB text, wrong extensions, a text that is not a report, and real reports re-encoded in GB18030
and UTF-16. `xxgk extract` over it must exit 0 with one line per input and the right error types.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import hostile
from conftest import REPO, shared_path

XXGK = [sys.executable, "-m", "extraction.cli"]


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("hostile")
    for ext in ("txt", "html", "docx", "pdf", "md"):
        (d / f"empty.{ext}").write_bytes(b"")
    hostile.random_bytes(d / "random.pdf")
    hostile.random_bytes(d / "random.docx")
    hostile.random_bytes(d / "random.txt")
    good = hostile.chinese_pdf(d / "good.pdf", ["示例县人民政府2023年政府信息公开工作年度报告",
                                                 "一、总体情况", "主动公开政府信息1234条。"])
    hostile.truncate(good, d / "truncated.pdf")
    hostile.chinese_pdf(d / "encrypted.pdf", ["示例县2023年年度报告"], encrypt="secret")
    hostile.image_only_pdf(d / "scan.pdf")
    hostile.zip_bomb_docx(d / "bomb.docx")
    hostile.nested_html(d / "nested.html")
    hostile.big_text(d / "huge.txt", mb=60)
    (good.parent / "pdf_named.docx").write_bytes(good.read_bytes())
    (d / "page_named.txt").write_text("<!DOCTYPE html><html><body><p>示例</p></body></html>",
                                      encoding="utf-8")
    (d / "recipe.txt").write_text("红烧肉的做法：五花肉切块，加糖炒色，小火慢炖一小时。\n",
                                  encoding="utf-8")
    (d / "opening.txt").write_text(
        "示例市数据局2023年政府信息公开工作年度报告\n一、总体情况\n"
        "2023年，我局主动公开政府信息356条，其中政策文件12件。\n", encoding="gb18030")
    return d


def run_extract(paths, out: Path, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(XXGK + ["extract", *map(str, paths), "-o", str(out), "--no-figures"],
                          cwd=REPO, capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})})


def records_by_name(out: Path) -> dict[str, dict]:
    lines = out.read_text(encoding="utf-8").splitlines()
    return {Path(json.loads(line)["source"]).name: json.loads(line) for line in lines}


def test_extract_over_hostile_folder_gives_one_line_each_and_no_traceback(hostile_dir, tmp_path):
    out = tmp_path / "out.jsonl"
    proc = run_extract([hostile_dir], out)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    recs = records_by_name(out)
    files = sorted(p.name for p in hostile_dir.iterdir())
    assert sorted(recs) == files  # exactly one line per input
    kinds = {name: r.get("error", {}).get("type") for name, r in recs.items()}
    assert kinds["bomb.docx"] == "zip_bomb"
    assert kinds["huge.txt"] == "file_too_large"
    assert "60." in recs["huge.txt"]["error"]["message"] and "limit" in recs["huge.txt"]["error"]["message"]
    assert kinds["encrypted.pdf"] == "encrypted_pdf"
    assert "password" in recs["encrypted.pdf"]["error"]["message"]
    assert kinds["scan.pdf"] == "no_text_layer"
    assert "OCR" in recs["scan.pdf"]["error"]["message"]
    for name in ("random.pdf", "truncated.pdf", "random.docx", "empty.pdf", "empty.docx"):
        assert kinds[name] is not None, name  # an error record, not a crash or a fake result
        assert kinds[name] != "internal_error", recs[name]
    assert kinds["random.txt"] == "not_text"
    # readable texts are read, and say what they are
    assert kinds["good.pdf"] is None and kinds["pdf_named.docx"] is None
    assert recs["pdf_named.docx"]["format"] == "pdf"
    assert recs["page_named.txt"]["format"] == "html"
    assert any("not an annual report" in w for w in recs["recipe.txt"]["warnings"])
    opening = recs["opening.txt"]
    assert "error" not in opening
    assert any("missing" in w for w in opening["warnings"])
    assert kinds["nested.html"] in (None, "too_deeply_nested")


def test_time_and_size_limits_are_configurable(hostile_dir, tmp_path):
    out = tmp_path / "out.jsonl"
    proc = run_extract([hostile_dir / "good.pdf"], out, env={"XXGK_MAX_FILE_MB": "0.0001"})
    assert proc.returncode == 0
    assert records_by_name(out)["good.pdf"]["error"]["type"] == "file_too_large"


def test_time_limit_stops_a_slow_document():
    import time
    from extraction.errors import TimeLimit
    from extraction.limits import time_limit
    with pytest.raises(TimeLimit):
        with time_limit(0.2):
            time.sleep(5)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_real_report_in_other_encodings_reads_the_same(encoding, tmp_path):
    from extraction import extract
    seed = shared_path("seeds", "002_34b90e918291ef22.txt")
    crlf = seed.read_text(encoding="utf-8").replace("\n", "\r\n")
    copy = tmp_path / f"002_{encoding}.txt"
    copy.write_bytes(crlf.encode(encoding))
    original = extract(seed, figures=False)
    again = extract(copy, figures=False)
    assert again.error is None
    assert again.values == original.values
    assert again.title == original.title


def test_extraction_opens_no_network_connection(monkeypatch, tmp_path):
    """Reading and extracting a report must never touch the network."""
    import socket
    from extraction import extract

    def refuse(*a, **k):
        raise AssertionError("xxgk tried to open a network connection")
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    p = tmp_path / "r.txt"
    p.write_text("示例县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n主动公开政府信息12条。\n",
                 encoding="utf-8")
    record = extract(p, figures=False)
    assert record.error is None


def run_measured(args: list[str]) -> tuple[subprocess.CompletedProcess, float]:
    """Run an xxgk command in a child and return it with the peak RSS (MB) of its process tree."""
    probe = ("import resource, subprocess, sys; "
             "p = subprocess.run(sys.argv[1:]); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, file=sys.stderr); "
             "sys.exit(p.returncode)")
    proc = subprocess.run([sys.executable, "-c", probe, *XXGK, *args], cwd=REPO,
                          capture_output=True, text=True, timeout=900)
    return proc, float(proc.stderr.strip().splitlines()[-1])


def test_batch_over_hostile_folder_finishes_with_every_file_accounted_for(hostile_dir, tmp_path):
    out = tmp_path / "batch"
    proc, peak_mb = run_measured(["batch", str(hostile_dir), "-o", str(out), "--no-figures",
                                  "--quiet", "--jobs", "2"])
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    names = sorted(Path(json.loads(line)["source"]).name for line in lines)
    files = sorted(p.name for p in hostile_dir.iterdir())
    # identical files are extracted once and listed in duplicates.csv: every file is accounted for
    dupes = (out / "duplicates.csv").read_text(encoding="utf-8") if (out / "duplicates.csv").exists() else ""
    assert set(names) | {f for f in files if f in dupes} == set(files)
    assert len(names) == len(set(names))
    errors = (out / "errors.csv").read_text(encoding="utf-8")
    for name in ("bomb.docx", "encrypted.pdf", "scan.pdf", "huge.txt"):
        assert name in errors
    assert peak_mb < 2048, f"peak memory {peak_mb} MB"


def test_extract_peak_memory_stays_under_2_gb(hostile_dir, tmp_path):
    proc, peak_mb = run_measured(["extract", str(hostile_dir), "-o", str(tmp_path / "o.jsonl"),
                                  "--no-figures"])
    assert proc.returncode == 0
    assert peak_mb < 2048, f"peak memory {peak_mb} MB"
