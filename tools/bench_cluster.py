"""Benchmark the Dask engine on real processes: `python -m tools.bench_cluster --n 200`.

Starts a `dask scheduler` and 1, 2, 4 … `dask worker` processes (one thread each) on 127.0.0.1,
batches N synthetic reports (the client's files, so their bytes travel with the tasks) from a
fresh client process each time, after a small batch that starts the workers (the model loads
once per worker), and prints reports/s (end to end with the tables and summary page, and
steady: first to last record), that cold start, and the client's peak memory. Numbers depend
on what else runs on the machine.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


class DaskProcesses:
    """A scheduler and worker processes on 127.0.0.1 (free ports), all stopped by `close()`."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.procs: list[subprocess.Popen] = []
        self.logs: list[Path] = []
        file = self.folder / "scheduler.json"
        self.start(["-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                    "--no-dashboard", "--dashboard-address", "127.0.0.1:0",
                    "--scheduler-file", str(file)])
        deadline = time.monotonic() + 120
        while True:
            if self.procs[0].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the scheduler did not start: {self.logs[0].read_text()}")
            try:  # written once the scheduler listens (perhaps not at once in full)
                self.address = json.loads(file.read_text())["address"]
                break
            except (OSError, ValueError, KeyError):
                time.sleep(0.1)

    def start(self, args: list[str], prefix=(), env=None) -> subprocess.Popen:
        """`python ARGS` (after `prefix`, which must exec it: the pid stays the process's)."""
        log = self.folder / f"process-{len(self.procs)}.log"
        with open(log, "w") as out:
            proc = subprocess.Popen([*prefix, sys.executable, *args], stdout=out,
                                    stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        self.procs.append(proc)
        self.logs.append(log)
        return proc

    def worker(self, prefix=(), env=None, wait: bool = True,
               launch=("-m", "distributed.cli.dask_worker")) -> subprocess.Popen:
        """One more worker process, one thread; with `wait`, once the scheduler has it."""
        before = self.n_workers() if wait else 0
        proc = self.start([*launch, self.address, "--nthreads", "1", "--no-nanny",
                           "--host", "127.0.0.1", "--no-dashboard"], prefix, env)
        if wait:
            from distributed import Client
            with Client(self.address, timeout="60s") as client:
                client.wait_for_workers(before + 1, timeout=300)
        return proc

    def n_workers(self) -> int:
        from distributed import Client
        with Client(self.address, timeout="60s") as client:
            return len(client.scheduler_info()["workers"])

    def stop(self, proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:  # a worker that loaded torch may take ~10 s to exit; it holds nothing worth waiting for
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def close(self) -> None:
        for proc in reversed(self.procs):
            self.stop(proc)


def main(argv=None) -> None:
    from tools.bench_batch import in_fresh_process, make_inputs

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="reports")
    ap.add_argument("--workers", default="1,2,4", help="worker process counts to try")
    ap.add_argument("--format", default="txt")
    ap.add_argument("--no-figures", action="store_true")
    args = ap.parse_args(argv)
    print(f"{args.n} {args.format} reports, figures {'off' if args.no_figures else 'on'}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"{'workers':>7} {'reports/s':>10} {'steady/s':>9} {'cold start s':>12} {'client MB':>10} "
          f"{'errors':>6}")
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-cluster-") as tmp:
        folder = Path(tmp) / "in"
        make_inputs(folder, args.n, args.format)
        warm_folder = Path(tmp) / "warm"
        make_inputs(warm_folder, 8, args.format)
        for k in map(int, args.workers.split(",")):
            (Path(tmp) / f"cluster-{k}").mkdir()
            cluster = DaskProcesses(Path(tmp) / f"cluster-{k}")
            flags = ["--scheduler", cluster.address] + (["--no-figures"] if args.no_figures else [])
            try:
                for _ in range(k):
                    cluster.worker()
                # A first small batch starts the workers (model loaded once per worker); the
                # measured one finds them ready, as batches on a long-lived cluster do.
                warm = in_fresh_process("--_batch", str(warm_folder), str(Path(tmp) / f"warm-{k}"),
                                        *flags)
                b = in_fresh_process("--_batch", str(folder), str(Path(tmp) / f"out-{k}"), *flags)
            finally:
                cluster.close()
            print(f"{k:7d} {b['rate']:10.2f} {(b['steady_rate'] or b['rate']):9.2f} "
                  f"{warm['startup']:12.1f} {b['peak_main_mb']:10.0f} {b['errors']:6d}", flush=True)


if __name__ == "__main__":
    main()
