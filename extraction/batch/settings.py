"""Settings of a batch run, checked once where they are made."""
from __future__ import annotations

import os
from dataclasses import dataclass

ENGINES = ("local", "dask")


@dataclass(frozen=True)
class BatchSettings:
    jobs: int = 0                   # worker processes; 0 = the machine's cores
    engine: str = "local"           # "local" (a process pool here) | "dask" (a Dask cluster)
    scheduler: str | None = None    # dask: tcp://HOST:PORT; None starts a LocalCluster
    figures: bool = True            # tag narrative figures with the model
    model_dir: str | None = None    # figure model folder; None = the shipped model
    progress: bool = True           # tqdm bar on stderr
    in_flight_per_job: int = 2      # local: tasks queued per worker (bounds what a crash loses)
    in_flight_mb: int = 256         # dask: bytes of client files sent and not yet extracted
    retry_errors: bool = False      # re-extract reports whose record is an error record
    summary: bool = True            # write summary.html (extraction.review) after the run
    review_pages: str = "listed"    # review pages under reviews/: "none" | "listed" | "all"

    def __post_init__(self):
        if self.jobs < 0:
            raise ValueError("BatchSettings.jobs must be >= 0 (0 = the machine's cores)")
        if self.engine not in ENGINES:
            raise ValueError(f"BatchSettings.engine must be one of {ENGINES}, not {self.engine!r}")
        if self.scheduler and self.engine != "dask":
            raise ValueError("a scheduler address needs engine='dask'")
        if self.review_pages not in ("none", "listed", "all"):
            raise ValueError("BatchSettings.review_pages must be 'none', 'listed' or 'all'")
        if self.in_flight_per_job < 1:
            raise ValueError("BatchSettings.in_flight_per_job must be >= 1")
        if self.in_flight_mb < 1:
            raise ValueError("BatchSettings.in_flight_mb must be >= 1")

    @property
    def n_jobs(self) -> int:
        return self.jobs or os.cpu_count() or 1


# What one local worker holds at its peak (the figure model, a large report, torch's buffers);
# measured: 16 workers took 7.2 GB on a 2-core machine.
WORKER_BYTES = 600 * 1024**2


def capped_jobs(requested: int) -> tuple[int, str | None]:
    """Local workers to start: at most one per core and as many as available memory holds.

    More processes than cores only queue for the same cores and multiply memory; returns
    (n, a warning when `requested` was lowered)."""
    cores = os.cpu_count() or 1
    by_memory = max(1, available_memory() // WORKER_BYTES)
    n = min(requested or cores, cores, by_memory)
    if requested and requested > n:
        return n, (f"-j {requested}: using {n} workers ({cores} cores, "
                   f"{available_memory() / 1024**3:.1f} GB memory available); "
                   "more would only compete for them")
    return n, None


def available_memory() -> int:
    """Bytes of memory available now (Linux /proc/meminfo; elsewhere: unknown, no limit)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 1 << 62
