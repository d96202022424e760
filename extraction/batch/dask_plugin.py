"""The worker side of a Dask batch: a plugin that checks a worker and sets it up, and the task.

The plugin travels from the client to every worker (those there at the start and those that
join later). It carries the client's xxgk version and the figure model's files, so a worker
needs xxgk installed but nothing of the client's disk: the model is sent once per worker and
unpacked in the worker's own scratch folder. A worker running another xxgk (other version or
other code) is refused: the batch stops with a clear message when it is there at the start; a
worker that joins later closes itself instead of taking tasks.

Its own module, so that importing the local engine does not import distributed.
"""
from __future__ import annotations

import asyncio
import hashlib
from functools import lru_cache
from pathlib import Path

from distributed import Reschedule, WorkerPlugin

from .run import WorkerNotReady, configured, extract_in_worker, set_worker


class WorkerRefused(RuntimeError):
    pass


@lru_cache(maxsize=1)
def xxgk_version() -> str:
    """This process's xxgk: the package version and a digest of the extraction code.

    Two installs of the same release with different code (a local edit, another commit) give
    different records, so the code counts too.
    """
    from importlib.metadata import PackageNotFoundError, version

    import extraction
    root = Path(extraction.__file__).parent
    h = hashlib.sha256()
    for f in sorted(root.rglob("*.py")):
        h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    try:
        release = version("xxgk")
    except PackageNotFoundError:
        release = "(not installed)"
    return f"xxgk {release} (code {h.hexdigest()[:12]})"


def model_files(model_dir: str | Path | None) -> dict[str, bytes] | None:
    """Every file of a model folder by relative path (None: no model, figures by the rules)."""
    if model_dir is None:
        return None
    root = Path(model_dir)
    return {f.relative_to(root).as_posix(): f.read_bytes()
            for f in sorted(root.rglob("*")) if f.is_file()}


class XxgkPlugin(WorkerPlugin):
    name = "xxgk"  # dask_engine.PLUGIN

    def __init__(self, version: str, figures: bool, model: dict[str, bytes] | None, tagger=None):
        self.version = version
        self.figures = figures
        self.model = model
        self.tagger = tagger  # the model's TaggerSettings (None: defaults)

    async def setup(self, worker):
        try:  # in a thread: loading the model must not stall the worker's heartbeats
            await asyncio.to_thread(self.prepare, Path(worker.local_directory))
        except Exception as e:
            why = str(e) if isinstance(e, WorkerRefused) else f"{type(e).__name__}: {e}"
            message = f"worker {worker.address} refused: {why}"
            # Closing (nanny included) keeps a refused worker that joins mid-run from taking tasks.
            asyncio.get_running_loop().call_soon(
                lambda: asyncio.ensure_future(worker.close(reason=f"xxgk: {message}")))
            raise WorkerRefused(message) from None

    def prepare(self, scratch: Path) -> None:
        mine = xxgk_version()
        if mine != self.version:
            raise WorkerRefused(f"it runs {mine}, the client {self.version}; "
                                "install the client's xxgk on every worker")
        folder = unpack(self.model, scratch) if self.figures and self.model is not None else None
        if configured((folder, self.figures, self.tagger)):
            return  # an earlier batch on this worker loaded the same model
        model = None
        if folder is not None:
            from ..figures import load_default_model
            model = load_default_model(str(folder), self.tagger)
        set_worker(model, self.figures, config=(folder, self.figures, self.tagger))


def unpack(files: dict[str, bytes], scratch: Path) -> Path:
    """Write a model's files under `scratch` (once per distinct model); return the folder."""
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    folder = scratch / f"xxgk-model-{digest.hexdigest()[:16]}"
    if not folder.is_dir():
        tmp = folder.with_suffix(".tmp")
        for name, data in files.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_bytes(data)
        tmp.rename(folder)
    return folder


def run_task(source: str, data: bytes | None, limits, config=None):
    """One input's record on this worker; a worker the plugin has not set up passes it on."""
    try:
        return extract_in_worker(source, data, limits, config)
    except WorkerNotReady:
        raise Reschedule()
