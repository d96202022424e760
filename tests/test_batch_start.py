"""How a local batch starts its workers: forked from the batch process, which loaded the figure
model once, so no worker loads it again and every worker still tags figures with it; no more
workers than reports; a forked worker holds no lock of the output folder; the tables are
written without pandas. Counted by wrapping the real functions in a real `xxgk batch` process."""
from __future__ import annotations

import json
import multiprocessing as mp
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from extraction.batch.settings import capped_jobs
from extraction.batch.store import BatchLocked, RecordStore
from extraction.synth import make_report

# Runs `xxgk batch IN -o OUT -j 2` with the model loading, worker start and extraction
# functions wrapped to log the process that called them. Only a worker forked from the batch
# process has the wrappers (they cannot be pickled): a batch that stops forking fails here.
SCRIPT = r"""
import json, os, sys
import extraction.figures as figures
import extraction.batch.run as run

logs = sys.argv[3]
def logged(name, function):
    def wrapper(*args, **kwargs):
        with open(os.path.join(logs, name), "a") as f:
            f.write(f"{os.getpid()}\n")
        return function(*args, **kwargs)
    return wrapper

figures.load_default_model = logged("loads", figures.load_default_model)
run.init_local_worker = logged("workers", run.init_local_worker)
run.extract = logged("extracts", run.extract)
from extraction.cli import main
try:
    main(["batch", sys.argv[1], "-o", sys.argv[2], "-j", "2", "--quiet", "--no-summary"])
except SystemExit as e:
    assert not e.code, e.code
print(json.dumps({"pid": os.getpid(), "pandas": "pandas" in sys.modules}))
"""


def run_logged(tmp_path: Path, n_reports: int) -> tuple[dict, dict[str, list[int]], list[dict]]:
    inputs, logs = tmp_path / "in", tmp_path / "logs"
    inputs.mkdir()
    logs.mkdir()
    for i in range(n_reports):
        make_report(inputs / f"r{i}", seed=i, fmt="txt", agency=f"示例县第{i}局", year=2022)
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(inputs), str(tmp_path / "out"), str(logs)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    pids = {name: [int(p) for p in (logs / name).read_text().split()] if (logs / name).exists() else []
            for name in ("loads", "workers", "extracts")}
    records = [json.loads(line) for line in (tmp_path / "out" / "records.jsonl").open(encoding="utf-8")]
    return info, pids, records


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")
def test_the_model_is_loaded_once_and_every_worker_tags_figures_with_it(tmp_path):
    info, pids, records = run_logged(tmp_path, n_reports=3)
    assert pids["loads"] == [info["pid"]]  # once, in the batch process
    workers = set(pids["workers"])
    assert len(workers) == capped_jobs(2)[0] and info["pid"] not in workers
    assert set(pids["extracts"]) <= workers  # the reports were read in the workers
    assert len(records) == 3
    for r in records:  # ... with the model the batch process loaded
        assert any(f["by"] == "model" for f in r["figures"]), r["source"]
    assert not info["pandas"]  # the tables are written without it


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")
def test_no_more_workers_than_reports(tmp_path):
    info, pids, records = run_logged(tmp_path, n_reports=1)
    assert len(pids["workers"]) == 1 and len(records) == 1


def _hold(started, release):
    started.set()
    release.wait(60)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork")
def test_a_forked_worker_does_not_hold_the_output_folders_lock(tmp_path):
    """A worker can outlive the batch that forked it by a moment; the next batch must not find
    the folder locked by it."""
    context = mp.get_context("fork")
    started, release = context.Event(), context.Event()
    with RecordStore(tmp_path / "out"):
        child = context.Process(target=_hold, args=(started, release))
        child.start()
        assert started.wait(60)
    try:
        with RecordStore(tmp_path / "out"):  # the child still runs, with its copy of the lock file
            assert child.is_alive()
            with pytest.raises(BatchLocked):  # the lock itself still works
                RecordStore(tmp_path / "out").__enter__()
    finally:
        release.set()
        child.join(60)
