"""The batch on Dask: a LocalCluster, and a cluster that shares no disk with the client (issue 18).

A real `dask scheduler` and real `dask worker` processes on 127.0.0.1. The workers run in their
own mount namespace (`unshare -m`, root) where the input folder and the figure model's folder
are empty tmpfs mounts: they see none of the client's files, as on another host. Inputs come as
the client's files, from an HTTP server, or from an S3-compatible server (moto).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from extraction.batch import BatchSettings, run_batch
from extraction.batch.run import WorkerStartError
from extraction.batch.store import RECORDS
from extraction.synth import make_report
from batch_outputs import assert_same_outputs
from tools.bench_cluster import DaskProcesses  # run from the repository root, as CI does

distributed = pytest.importorskip("distributed")

SECRET = "xxgk-test-secret-7c1e"  # the S3 secret key: must appear in no output and no log


def _can_hide_folders() -> str | None:
    """Why workers cannot be given their own mount namespace here (None: they can)."""
    if shutil.which("unshare") is None:
        return "unshare is not installed"
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs tmpfs /mnt"],
                           capture_output=True, text=True)
    return None if probe.returncode == 0 else f"unshare -m not permitted: {probe.stderr.strip()}"


NO_NAMESPACE = _can_hide_folders()
needs_namespace = pytest.mark.skipif(NO_NAMESPACE is not None, reason=str(NO_NAMESPACE))


def hidden(*folders) -> list[str]:
    """A command prefix that runs the command in its own mount namespace, `folders` emptied."""
    mounts = " && ".join(f"mount -t tmpfs tmpfs '{d}'" for d in folders)
    return ["unshare", "-m", "sh", "-c", f'{mounts} && exec "$0" "$@"']


@pytest.fixture
def cluster(tmp_path):
    c = DaskProcesses(tmp_path)
    yield c
    c.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cluster") / "in"
    folder.mkdir()
    for i, fmt in enumerate(("txt", "html", "docx", "pdf", "md", "txt")):
        make_report(folder / f"r{i}", seed=40 + i, fmt=fmt, agency=f"示例县第{i % 2}局",
                    year=2021 + i // 2)
    (folder / "broken.txt").write_bytes(b"\x00\x01" * 100)
    (folder / "same.txt").write_bytes((folder / "r0.txt").read_bytes())
    return folder


@pytest.fixture(scope="module")
def model_out(corpus, tmp_path_factory) -> Path:
    """The same batch by the local engine, figure model on: what every cluster run must give."""
    out = tmp_path_factory.mktemp("model") / "out"
    run_batch([corpus], out, BatchSettings(jobs=2, progress=False, summary=False))
    return out


@pytest.fixture(scope="module")
def local_out(corpus, tmp_path_factory) -> Path:
    """The local batch without the figure model (the runs that test inputs, not the model)."""
    out = tmp_path_factory.mktemp("local") / "out"
    run_batch([corpus], out, BatchSettings(jobs=2, figures=False, progress=False, summary=False))
    return out


def test_dask_cluster_gives_the_local_outputs(corpus, local_out, tmp_path):
    from distributed import LocalCluster
    with LocalCluster(host="127.0.0.1", n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address="127.0.0.1:0") as cluster:
        settings = BatchSettings(engine="dask", scheduler=cluster.scheduler_address,
                                 figures=False, progress=False, summary=False)
        summary = run_batch([corpus], tmp_path / "out", settings)
    assert summary.extracted == 7 and summary.errors == 1 and summary.duplicates == 1
    assert_same_outputs(tmp_path / "out", local_out)


def test_dask_without_a_scheduler_starts_its_own_cluster(corpus, local_out, tmp_path):
    settings = BatchSettings(engine="dask", jobs=1, figures=False, progress=False, summary=False)
    summary = run_batch([corpus], tmp_path / "out", settings)
    assert summary.extracted == 7
    assert (tmp_path / "out" / "values.csv").read_bytes() == (local_out / "values.csv").read_bytes()


def model_folder() -> Path:
    from extraction.figures import default_model_dir
    return default_model_dir()


def dask_settings(cluster, **kw) -> BatchSettings:
    return BatchSettings(engine="dask", scheduler=cluster.address, progress=False, summary=False,
                         **kw)


def records(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / RECORDS).open(encoding="utf-8")]


@needs_namespace
def test_a_worker_that_sees_none_of_the_clients_files_gives_the_local_outputs(
        corpus, model_out, cluster, tmp_path):
    worker = cluster.worker(hidden(corpus, model_folder()))
    summary = run_batch([corpus], tmp_path / "out", dask_settings(cluster))
    assert summary.extracted == 7 and summary.errors == 1 and summary.duplicates == 1
    assert any(f["by"] == "model" for r in records(tmp_path / "out") for f in r.get("figures", []))
    assert_same_outputs(tmp_path / "out", model_out)
    assert worker.poll() is None


@pytest.fixture
def http_folder(corpus):
    """The corpus served over HTTP by the standard library's server, on a free port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 partial(_QuietHandler, directory=str(corpus)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def assert_same_records_but_source(out: Path, local_out: Path, prefix: str) -> None:
    """Records of inputs named `prefix` + file name equal the local records of the same files."""
    local = {Path(r["source"]).name: r for r in records(local_out)}
    got = records(out)
    assert sorted(r["source"] for r in got) == sorted(prefix + name for name in local)
    for r in got:
        assert r == {**local[r["source"][len(prefix):]], "source": r["source"]}


@needs_namespace
def test_a_folder_over_http_is_read_by_the_workers(corpus, local_out, cluster, http_folder, tmp_path):
    cluster.worker(hidden(corpus))
    out = tmp_path / "out"
    summary = run_batch([http_folder], out, dask_settings(cluster, figures=False))
    assert summary.extracted == 7 and summary.duplicates == 1
    assert_same_records_but_source(out, local_out, http_folder)
    dup = (out / "duplicates.csv").read_text(encoding="utf-8")
    assert f"{http_folder}same.txt" in dup and f"{http_folder}r0.txt" in dup

    # Resumed: nothing is read again; a URL missing from the server is an error record.
    again = run_batch([http_folder, http_folder + "gone.pdf"], out,
                      dask_settings(cluster, figures=False))
    assert again.extracted == 1 and again.errors == 1 and again.skipped == 7
    gone = [r for r in records(out) if r["source"].endswith("gone.pdf")]
    assert gone[0]["error"]["type"] == "unreadable_file"
    assert "FileNotFoundError" in gone[0]["error"]["message"]


@pytest.fixture
def s3_bucket(corpus, monkeypatch):
    """The corpus uploaded to a local S3-compatible server (moto); its settings in the environment."""
    pytest.importorskip("s3fs")
    boto3 = pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {"AWS_ACCESS_KEY_ID": "xxgk-test", "AWS_SECRET_ACCESS_KEY": SECRET,
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": f"http://{host}:{port}"}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="reports")
    for f in corpus.iterdir():
        s3.upload_file(str(f), "reports", f"2021/{f.name}")
    yield env
    server.stop()


@needs_namespace
def test_s3_inputs_are_read_by_the_workers_with_their_credentials(corpus, local_out, cluster,
                                                                  s3_bucket, tmp_path):
    cluster.worker(hidden(corpus), env=s3_bucket)
    out = tmp_path / "out"
    summary = run_batch(["s3://reports/2021/"], out, dask_settings(cluster, figures=False))
    assert summary.extracted == 7 and summary.duplicates == 1
    assert_same_records_but_source(out, local_out, "s3://reports/2021/")
    # A glob: only what it matches.
    globbed = run_batch(["s3://reports/2021/r*.txt"], tmp_path / "glob",
                        dask_settings(cluster, figures=False))
    assert globbed.extracted == 2
    written = [p for p in [*out.iterdir(), *cluster.logs] if p.is_file()]
    assert not [p.name for p in written if SECRET.encode() in p.read_bytes()]


@needs_namespace
def test_a_worker_killed_mid_run_loses_nothing_and_records_each_report_once(cluster, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    n = 30
    for i in range(n):
        make_report(folder / f"p{i:02d}", seed=100 + i, fmt="pdf")
    first = cluster.worker(hidden(folder))
    out = tmp_path / "out"
    result: dict = {}

    def batch():
        try:
            result["summary"] = run_batch([folder], out, dask_settings(cluster, figures=False))
        except BaseException as e:  # surfaced by the assertion below
            result["error"] = e

    thread = threading.Thread(target=batch)
    thread.start()
    while not (out / RECORDS).exists() or not (out / RECORDS).read_bytes():
        assert thread.is_alive(), result
        time.sleep(0.05)
    first.kill()
    recorded_when_killed = (out / RECORDS).read_bytes().count(b"\n")
    cluster.worker(hidden(folder), wait=False)
    thread.join(timeout=600)
    assert not thread.is_alive() and "error" not in result, result
    assert recorded_when_killed < n, "the run ended before the worker was killed: nothing was tested"
    summary = result["summary"]
    assert summary.extracted == n and summary.errors == 0 and summary.records == n
    assert sorted(r["source"] for r in records(out)) == sorted(str(p) for p in folder.iterdir())


def test_a_worker_running_other_xxgk_code_is_refused_at_the_start(cluster, corpus, tmp_path):
    import extraction
    other = tmp_path / "other"
    shutil.copytree(Path(extraction.__file__).parent, other / "extraction",
                    ignore=shutil.ignore_patterns("__pycache__"))
    with open(other / "extraction" / "pipeline.py", "a") as f:
        f.write("\n# another build\n")
    # The worker imports the copy: not through the editable install's finder, which would win.
    launch = ("-c", "import sys; sys.meta_path[:] = [f for f in sys.meta_path if '__editable__' "
                    f"not in f.__module__]; sys.path.insert(0, {str(other)!r}); "
                    "from distributed.cli.dask_worker import main; main()")
    worker = cluster.worker(launch=launch)
    with pytest.raises(WorkerStartError) as e:
        run_batch([corpus], tmp_path / "out", dask_settings(cluster, figures=False))
    assert "refused: it runs xxgk" in str(e.value) and "install the client's xxgk" in str(e.value)
    assert not (tmp_path / "out" / RECORDS).read_bytes()
    worker.wait(timeout=60)  # the refused worker closed itself


def test_the_local_engine_reads_urls_too(corpus, local_out, http_folder, tmp_path):
    out = tmp_path / "out"
    summary = run_batch([http_folder], out, BatchSettings(jobs=1, figures=False, progress=False,
                                                          summary=False))
    assert summary.extracted == 7 and summary.duplicates == 1
    assert_same_records_but_source(out, local_out, http_folder)


def test_batch_refuses_a_url_with_a_password_and_a_missing_path_in_one_line(tmp_path):
    from click.testing import CliRunner

    from extraction.cli import main

    secret = CliRunner().invoke(main, ["batch", f"https://someone:{SECRET}@127.0.0.1:9/r/",
                                       "-o", str(tmp_path / "out")])
    assert secret.exit_code == 1 and "credentials in the environment" in secret.output
    assert SECRET not in secret.output
    missing = CliRunner().invoke(main, ["batch", str(tmp_path / "nowhere"), "-o", str(tmp_path / "o")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
