"""The same batch on a Dask cluster (real scheduler and worker processes on 127.0.0.1)."""
from __future__ import annotations

from pathlib import Path

import pytest

from extraction.batch import BatchSettings, run_batch
from extraction.synth import make_report
from batch_outputs import assert_same_outputs

distributed = pytest.importorskip("distributed")

@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dask") / "in"
    folder.mkdir()
    for i in range(8):
        fmt = ("txt", "html")[i % 2]
        make_report(folder / f"r{i}", seed=i, fmt=fmt, agency=f"示例区第{i % 2}局", year=2021 + i // 2)
    (folder / "broken.txt").write_bytes(b"\x00\x01" * 100)
    (folder / "same.txt").write_bytes((folder / "r0.txt").read_bytes())
    return folder


@pytest.fixture(scope="module")
def local_out(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local") / "out"
    run_batch([corpus], out, BatchSettings(jobs=2, figures=False, progress=False, summary=False))
    return out


def test_dask_cluster_gives_the_local_outputs(corpus, local_out, tmp_path):
    from distributed import LocalCluster
    with LocalCluster(host="127.0.0.1", n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        settings = BatchSettings(engine="dask", scheduler=cluster.scheduler_address,
                                 figures=False, progress=False, summary=False)
        summary = run_batch([corpus], tmp_path / "out", settings)
    assert summary.extracted == 9 and summary.errors == 1 and summary.duplicates == 1
    assert_same_outputs(tmp_path / "out", local_out)


def test_dask_without_a_scheduler_starts_its_own_cluster(corpus, local_out, tmp_path):
    settings = BatchSettings(engine="dask", jobs=1, figures=False, progress=False, summary=False)
    summary = run_batch([corpus], tmp_path / "out", settings)
    assert summary.extracted == 9
    assert (tmp_path / "out" / "values.csv").read_bytes() == (local_out / "values.csv").read_bytes()
