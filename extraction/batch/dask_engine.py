"""The Dask engine: the batch's tasks on a Dask cluster, whose workers may be other hosts.

Nothing is assumed about a worker's disk. A client's file travels with its task as bytes;
the bytes in flight at once are bounded (`BatchSettings.in_flight_mb`), so ten thousand PDFs
fill neither the client's nor the scheduler's memory. A URL is read by the worker itself. The
model and the version check travel in the worker plugin (dask_plugin.py). Records come back
to the client, which alone writes the output folder. A worker lost mid-run loses nothing:
Dask runs its tasks again elsewhere, and each task's record is taken once.
"""
from __future__ import annotations

from collections import deque
from concurrent.futures import CancelledError
from pathlib import Path
from typing import Iterator

from ..errors import FileTooLarge
from ..limits import MB, Limits, check_file_size
from ..pipeline import error_record, open_error
from ..record import Record
from .run import BatchInterrupted, WorkerStartError, failed_record
from .settings import BatchSettings
from .walk import Input

PLUGIN = "xxgk"
MAX_TASKS = 1000  # tasks submitted and not yet collected (URL tasks carry no bytes)


def iter_dask(inputs: list[Input], settings: BatchSettings, config=None) -> Iterator[Record]:
    """Records of `inputs` from `settings.scheduler`'s workers, or from a LocalCluster started here."""
    from distributed import Client, LocalCluster

    cluster = None
    try:
        if settings.scheduler:
            client = Client(settings.scheduler, timeout="30s")
        else:
            cluster = LocalCluster(n_workers=settings.n_jobs, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address="127.0.0.1:0")
            client = Client(cluster)
    except OSError as e:
        raise WorkerStartError(f"cannot reach the Dask scheduler {settings.scheduler}: {e}") from e
    try:
        start_workers(client, settings, config and config.tagger)
        yield from _collect(client, inputs, settings, config)
    finally:
        if client.status == "running":  # a worker joining after the batch owes it nothing
            try:
                client.unregister_worker_plugin(PLUGIN)
            except Exception:  # never registered (refused at the start), or the scheduler is gone
                pass
        client.close()
        if cluster is not None:
            cluster.close()


def start_workers(client, settings: BatchSettings, tagger=None) -> None:
    """Send every worker (now and later) the check of its xxgk and the figure model."""
    from .dask_plugin import XxgkPlugin, model_files, xxgk_version

    model_dir = settings.model_dir
    if settings.figures and model_dir is None:
        from ..figures import default_model_dir
        model_dir = default_model_dir()
    plugin = XxgkPlugin(xxgk_version(), settings.figures,
                        model_files(model_dir) if settings.figures else None, tagger)
    try:
        client.register_plugin(plugin)
    except Exception as e:  # a worker refused, or one without xxgk that cannot read the plugin
        raise WorkerStartError(str(e) if type(e).__name__ == "WorkerRefused"
                               else f"a worker could not set up xxgk ({type(e).__name__}: {e})") from e


def _collect(client, inputs: list[Input], settings: BatchSettings, config=None) -> Iterator[Record]:
    from distributed import as_completed

    from .dask_plugin import run_task

    limits = (config and config.limits) or Limits.from_env()  # the client's limits hold on every worker
    budget = settings.in_flight_mb * MB
    pending = deque(inputs)
    running: dict = {}  # future -> (input, bytes it carries)
    carried = 0
    finished = as_completed()
    while pending or running:
        while pending and len(running) < MAX_TASKS:
            item = pending[0]
            size = 0 if item.is_url else _size(item.path)
            if running and carried + size > budget:
                break
            pending.popleft()
            data = None if item.is_url else _read(item, limits)
            if isinstance(data, Record):  # the client could not send it: its error record
                yield data
                continue
            future = client.submit(run_task, item.path, data, limits, config, pure=False)
            del data
            running[future] = (item, size)
            carried += size
            finished.add(future)
        if not running:
            continue
        future = next(finished)
        item, size = running.pop(future)
        carried -= size
        try:
            record = future.result()
        except CancelledError as e:  # the scheduler is gone: no report is to blame
            raise BatchInterrupted(f"lost the Dask scheduler {settings.scheduler or ''} ({e})") from e
        except Exception as e:  # KilledWorker: the file took down workers on every retry
            record = failed_record(item, e)
        future.release()
        yield record


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def _read(item: Input, limits: Limits) -> bytes | Record:
    """A client's file as bytes for its task, or the error record it gets without a task."""
    path = Path(item.path)
    try:
        check_file_size(path, limits)
        return path.read_bytes()
    except FileTooLarge as e:
        return error_record(item.source, item.sha256, e.type, str(e))
    except OSError as e:
        return open_error(item.source, e)
