"""Run extraction over many reports: a local process pool, or a Dask cluster.

Both engines yield finished records as they complete (in no fixed order) and load the figure
model once per worker process, not once per report. Every input yields exactly one record: a
worker that dies on a file (twice, so a neighbour's crash is not blamed on it) gives that file
an error record and the run goes on.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import sys
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator

from ..pipeline import error_record, extract
from ..record import Record
from .settings import BatchSettings
from .walk import Input

# Per worker process: the loaded figure model, set once by the initializer / Dask plugin.
_WORKER: dict = {}

MAX_CRASHES = 2          # a report in flight at this many pool crashes gets an error record
MAX_FRUITLESS_POOLS = 2  # pools in a row that die before any result: give up, record nothing


class WorkerStartError(RuntimeError):
    """A worker could not start (e.g. the figure model does not load): no report is to blame."""


def init_worker(model_dir: str | None, figures: bool, threads: int = 1) -> None:
    """Load the figure model into this worker process (once)."""
    if _WORKER.get("config") == (model_dir, figures):
        return
    model = None
    if figures:
        from ..figures import load_default_model
        model = load_default_model(model_dir)
    if "torch" in sys.modules:  # N workers on N cores: one compute thread each, no oversubscription
        sys.modules["torch"].set_num_threads(max(1, threads))
    _WORKER.update(config=(model_dir, figures), model=model, figures=figures)


def init_local_worker(model_dir: str | None, figures: bool, threads: int) -> None:
    _die_with_parent()
    try:
        init_worker(model_dir, figures, threads)
    except Exception as e:  # kept for the first task to raise: a failing initializer breaks the pool
        _WORKER["start_error"] = f"{type(e).__name__}: {e}"


def extract_in_worker(source: str, model_dir: str | None = None, figures: bool = True) -> dict:
    if "start_error" in _WORKER:
        raise WorkerStartError(_WORKER["start_error"])
    try:
        init_worker(model_dir, figures)  # no-op when the initializer / plugin already ran
    except Exception as e:
        raise WorkerStartError(f"{type(e).__name__}: {e}") from e
    return extract(source, model=_WORKER["model"], figures=_WORKER["figures"])


def iter_records(inputs: Iterable[Input], settings: BatchSettings) -> Iterator[Record]:
    if settings.engine == "dask":
        return iter_dask(list(inputs), settings)
    return iter_local(list(inputs), settings)


def iter_local(inputs: list[Input], settings: BatchSettings) -> Iterator[dict]:
    """A pool of `settings.n_jobs` processes; a crashed pool is restarted without the culprit."""
    pending = deque(inputs)
    crashes: Counter = Counter()
    fruitless = 0  # pools in a row that broke before finishing anything
    threads = max(1, (os.cpu_count() or 1) // settings.n_jobs)
    window = settings.n_jobs * settings.in_flight_per_job
    while pending:
        inflight: dict = {}
        with ProcessPoolExecutor(settings.n_jobs, mp_context=mp.get_context("spawn"),
                                 initializer=init_local_worker,
                                 initargs=(settings.model_dir, settings.figures, threads)) as pool:
            try:
                while pending or inflight:
                    while pending and len(inflight) < window:
                        item = pending[0]  # taken off only once submitted: submit may raise
                        inflight[pool.submit(extract_in_worker, item.path, settings.model_dir,
                                             settings.figures)] = item
                        pending.popleft()
                    done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                    for fut in done:
                        exc = fut.exception()
                        if isinstance(exc, (BrokenProcessPool, WorkerStartError)):
                            raise exc
                        item = inflight.pop(fut)
                        fruitless = 0
                        yield fut.result() if exc is None else _failed(item, exc)
            except BrokenProcessPool as e:
                fruitless += 1
                if fruitless >= MAX_FRUITLESS_POOLS:
                    # Workers die before any report: the environment, not a file (nothing recorded).
                    raise RuntimeError("batch worker processes keep dying before finishing any "
                                       f"report ({e}); check that xxgk imports in a fresh "
                                       "interpreter and that memory suffices") from e
                # Some worker died (segfault, OOM kill): every unfinished task is a suspect.
                for item in inflight.values():
                    crashes[item.key] += 1
                    if crashes[item.key] >= MAX_CRASHES:
                        yield error_record(item.source, item.sha256, "worker_crashed",
                                           "the worker process died while reading this file, twice")
                    else:
                        pending.appendleft(item)


def iter_dask(inputs: list[Input], settings: BatchSettings) -> Iterator[dict]:
    """The same tasks on a Dask cluster: `settings.scheduler`, or a LocalCluster started here.

    Workers read the files by path, so on a real cluster the inputs must be on a filesystem
    every worker sees under the same path, and xxgk must be installed on every worker. Dask runs
    tasks in worker threads, where the per-document time limit (SIGALRM) cannot act.
    """
    from distributed import Client, LocalCluster, as_completed

    from .dask_plugin import ModelPlugin

    cluster = None
    if settings.scheduler:
        client = Client(settings.scheduler)
    else:
        cluster = LocalCluster(n_workers=settings.n_jobs, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
        client = Client(cluster)
    try:
        client.register_plugin(ModelPlugin(settings.model_dir, settings.figures))
        # Workers get absolute paths (their working folder may differ); records keep `source`
        # as walked, as the local engine writes it.
        futures = {client.submit(extract_in_worker, os.path.abspath(i.path), settings.model_dir,
                                 settings.figures, pure=False): i for i in inputs}
        for fut in as_completed(futures):
            item = futures.pop(fut)
            try:
                record = fut.result()
                record.source = item.source
            except WorkerStartError:
                raise
            except Exception as e:  # KilledWorker: the file took down workers on every retry
                record = _failed(item, e)
            fut.release()
            yield record
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _failed(item: Input, exc: BaseException) -> dict:
    kind = "worker_crashed" if type(exc).__name__ == "KilledWorker" else "internal_error"
    return error_record(item.source, item.sha256, kind, f"{type(exc).__name__}: {exc}")


def _die_with_parent() -> None:
    """Linux: end this worker when the batch process dies (kill -9 leaves no orphans)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
