"""A batch killed at any moment (kill -9) and run again ends with exactly the uninterrupted rows."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extraction.batch import BatchSettings, run_batch
from extraction.synth import make_report
from extraction.batch.store import RECORDS

from batch_outputs import assert_same_outputs


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("resume") / "in"
    folder.mkdir()
    for i in range(60):
        fmt = ("txt", "html")[i % 2]
        make_report(folder / f"r{i:03d}", seed=i, fmt=fmt, agency=f"示例市第{i % 5}局", year=2021 + i % 4)
    (folder / "broken.txt").write_bytes(b"\x00\xff" * 500)
    (folder / "twin.txt").write_bytes((folder / "r000.txt").read_bytes())
    return folder


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference") / "out"
    run_batch([corpus], out, BatchSettings(jobs=2, figures=False, progress=False, summary=False))
    return out


def batch_command(corpus: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "extraction.cli", "batch", str(corpus), "-o", str(out),
            "--jobs", "2", "--no-figures", "--quiet", "--no-summary"]


def kill_after(cmd: list[str], out: Path, n_records: int) -> int:
    """Start the batch and SIGKILL it (and its workers) once records.jsonl has n_records lines."""
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    path = out / RECORDS
    deadline = time.monotonic() + 300
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if path.exists() and path.read_bytes().count(b"\n") >= n_records:
                break
            time.sleep(0.002)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return proc.returncode


def test_killed_run_resumed_equals_uninterrupted_run(corpus, reference, tmp_path, seed=1):
    out = tmp_path / "out"
    cmd = batch_command(corpus, out)
    n = random.Random(seed).randint(3, 30)
    code = kill_after(cmd, out, n)
    assert code == -signal.SIGKILL, "the batch finished before it could be killed"
    lines = (out / RECORDS).read_bytes().count(b"\n")
    assert 0 < lines < 62  # interrupted mid-way, some records kept
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"{lines} already done" in done.stderr or lines >= 61
    assert_same_outputs(out, reference)


def test_torn_last_line_is_dropped_and_redone(corpus, reference, tmp_path):
    """A crash in the middle of writing a record leaves half a line; the re-run redoes it."""
    out = tmp_path / "out"
    out.mkdir()
    lines = (reference / RECORDS).read_bytes().splitlines(keepends=True)
    (out / RECORDS).write_bytes(b"".join(lines[:10]) + lines[10][: len(lines[10]) // 2])
    summary = run_batch([corpus], out, BatchSettings(jobs=2, figures=False, progress=False, summary=False))
    assert summary.skipped == 10 and summary.extracted == 51
    assert_same_outputs(out, reference)


def test_a_second_batch_on_the_same_folder_is_refused(corpus, tmp_path):
    from extraction.batch.store import BatchLocked, RecordStore
    with RecordStore(tmp_path / "out"):
        with pytest.raises(BatchLocked):
            run_batch([corpus], tmp_path / "out", BatchSettings(jobs=1, figures=False, progress=False, summary=False))


def test_a_worker_killed_mid_run_loses_and_doubles_no_report(corpus, reference):
    """kill -9 of one worker process: the pool restarts and its unfinished reports are redone."""
    import json

    import psutil

    from extraction.batch.run import iter_records
    from extraction.batch.walk import batch_inputs, split_duplicates

    unique, _ = split_duplicates(batch_inputs([corpus]))
    settings = BatchSettings(jobs=2, figures=False, progress=False, summary=False)
    def worker_pids() -> set[int]:
        """The pool's workers: forked by this process (its command line), spawned by it, or
        forked by its forkserver."""
        pids, me = set(), psutil.Process()
        for p in me.children(recursive=True):
            try:
                line = " ".join(p.cmdline())
                if (p.cmdline() == me.cmdline() or "spawn_main" in line
                        or ("forkserver" in line and p.ppid() != os.getpid())):
                    pids.add(p.pid)
            except psutil.Error:  # a worker that just died (the one killed, a zombie)
                pass
        return pids

    records, first_pool, seen = [], set(), set()
    for record in iter_records(unique, settings):
        records.append(json.loads(json.dumps(record.to_json(), ensure_ascii=False)))  # as stored
        if not first_pool:
            first_pool = worker_pids()
            psutil.Process(min(first_pool)).kill()
        seen |= worker_pids()
    assert seen - first_pool, "the pool was not restarted after its worker died"
    expected = [json.loads(line) for line in (reference / RECORDS).open(encoding="utf-8")]
    key = lambda r: r["source"]
    assert [r["source"] for r in sorted(records, key=key)] == [r["source"] for r in expected]
    diffs = [(r["source"], k, r.get(k), e.get(k)) for r, e in zip(sorted(records, key=key), expected)
             for k in set(r) | set(e) if r.get(k) != e.get(k)]
    assert not diffs
