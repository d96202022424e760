"""Benchmark batch extraction per format: `python -m tools.bench_batch --n 50`.

For each format it writes N synthetic reports (extraction.synth), runs the batch over them in a
fresh process (default settings: the machine's cores, the figure model on), and a bare text pass
over the same files with the same number of processes (pdfplumber / lxml / python-docx reading
text only). It prints reports/s end to end and steady (first to last record: no start-up, no
tables), start-up and table/summary seconds, the ratio of steady batch rate to the bare pass,
and peak memory (largest worker, and the main process). Numbers depend on what else runs.

`python -m tools.bench_batch --startup extraction/samples --repeat 8` instead times the two
commands a user runs on a few files, `xxgk extract FOLDER` and `xxgk batch FOLDER`, alternating,
best of N: wall seconds, and CPU seconds of the whole process tree (polled with psutil, so
processes that live less than a poll are missed: a lower bound).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

FORMATS = ("txt", "html", "docx", "pdf", "md")


def make_inputs(folder: Path, n: int, fmt: str) -> list[Path]:
    from extraction.synth import make_report

    folder.mkdir(parents=True, exist_ok=True)
    return [make_report(folder / f"bench-{i:04d}", seed=1000 + i, fmt=fmt).path for i in range(n)]


def bare_text(path: str) -> int:
    """Read a file's text the plainest way its library allows; returns the characters read."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".pdf":
        import pdfplumber
        with pdfplumber.open(p) as pdf:
            return sum(len(page.extract_text() or "") for page in pdf.pages)
    if suffix == ".docx":
        import docx
        d = docx.Document(str(p))
        n = sum(len(par.text) for par in d.paragraphs)
        return n + sum(len(c.text) for t in d.tables for row in t.rows for c in row.cells)
    if suffix in (".html", ".htm"):
        import lxml.html
        return len(lxml.html.fromstring(p.read_bytes()).text_content())
    from extraction.readers.encoding import decode
    return len(decode(p.read_bytes())[0])


def _noop(_=None) -> None:
    return None


def measure_bare(files: list[str], jobs: int) -> dict:
    with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
        list(pool.map(_noop, range(jobs)))  # start the workers before the clock
        list(pool.map(bare_text, files[:jobs]))  # and import the libraries
        start = time.monotonic()
        list(pool.map(bare_text, files))
        seconds = time.monotonic() - start
    return {"seconds": seconds, "rate": len(files) / seconds}


def measure_batch(folder: str, out: str, jobs: int, figures: bool, scheduler: str | None = None) -> dict:
    from extraction.batch import BatchSettings, run_batch

    engine = "dask" if scheduler else "local"
    s = run_batch([folder], out, BatchSettings(jobs=jobs, figures=figures, progress=False,
                                               engine=engine, scheduler=scheduler))
    steady = s.last_record_seconds - s.first_record_seconds
    return {
        "reports": s.extracted, "errors": s.errors, "seconds": s.seconds,
        "rate": s.extracted / s.seconds,
        "steady_rate": (s.extracted - 1) / steady if steady > 0 else None,
        "startup": s.first_record_seconds,
        "export": s.export_seconds, "summary": s.summary_seconds,
        "peak_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "peak_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_tree(argv: list[str], poll: float = 0.01) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and every descendant seen) of one command."""
    import psutil

    cpu: dict[int, float] = {}
    start = time.monotonic()
    proc = psutil.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while proc.poll() is None:
        for p in [proc, *proc.children(recursive=True)]:
            try:
                t = p.cpu_times()
                cpu[p.pid] = t.user + t.system  # children_*: would count reaped ones twice
            except psutil.Error:  # gone between listing and reading
                pass
        time.sleep(poll)
    wall = time.monotonic() - start
    if proc.returncode:
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}")
    return wall, sum(cpu.values())


def measure_startup(folder: str, repeat: int, jobs: int) -> None:
    """`xxgk extract FOLDER` against `xxgk batch FOLDER -j JOBS`, alternating, best of `repeat`."""
    xxgk = str(Path(sys.executable).with_name("xxgk"))  # this interpreter's xxgk
    if not Path(xxgk).exists():
        raise SystemExit(f"no {xxgk}: run this with the python of the environment xxgk is installed in")
    best = {"extract": [float("inf")] * 2, "batch": [float("inf")] * 2}
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as tmp:
        for n in range(repeat):
            commands = {"extract": [xxgk, "extract", folder, "-o", f"{tmp}/x{n}.jsonl"],
                        "batch": [xxgk, "batch", folder, "-o", f"{tmp}/b{n}", "-j", str(jobs),
                                  "--quiet"]}
            for name, argv in commands.items():
                wall, cpu = run_tree(argv)
                best[name] = [min(best[name][0], wall), min(best[name][1], cpu)]
    (xw, xc), (bw, bc) = best["extract"], best["batch"]
    print(f"best of {repeat}, {jobs} workers, load average {os.getloadavg()[0]:.1f}: "
          f"extract {xw:.2f} s wall, {xc:.2f} s CPU; batch {bw:.2f} s wall, {bc:.2f} s CPU; "
          f"batch/extract {bw / xw:.2f}x wall, {bc / xc:.2f}x CPU")


def in_fresh_process(*args: str) -> dict:
    """Run one measurement in its own interpreter, so peak memory is per format."""
    proc = subprocess.run([sys.executable, "-m", "tools.bench_batch", *args],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=50, help="reports per format")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--no-figures", action="store_true")
    ap.add_argument("--startup", metavar="FOLDER",
                    help="time `xxgk extract FOLDER` against `xxgk batch FOLDER` instead")
    ap.add_argument("--repeat", type=int, default=8, help="with --startup: runs of each, best kept")
    ap.add_argument("--_batch", nargs=2, metavar=("FOLDER", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--_bare", metavar="FOLDER", help=argparse.SUPPRESS)
    ap.add_argument("--scheduler", help=argparse.SUPPRESS)  # with --_batch: bench_cluster.py
    args = ap.parse_args(argv)
    if args.startup:
        measure_startup(args.startup, args.repeat, args.jobs)
        return
    if args._batch:
        print(json.dumps(measure_batch(*args._batch, args.jobs, not args.no_figures, args.scheduler)))
        return
    if args._bare:
        files = sorted(str(p) for p in Path(args._bare).iterdir() if p.is_file())
        print(json.dumps(measure_bare(files, args.jobs)))
        return

    common = ["--jobs", str(args.jobs)] + (["--no-figures"] if args.no_figures else [])
    print(f"{args.n} reports per format, {args.jobs} jobs, figures {'off' if args.no_figures else 'on'}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"{'format':6} {'reports/s':>10} {'steady/s':>9} {'start s':>8} {'tables s':>8} "
          f"{'summary s':>9} {'bare/s':>8} {'batch/bare':>10} {'worker MB':>10} {'main MB':>8} "
          f"{'errors':>6}")
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as tmp:
        for fmt in args.formats.split(","):
            folder = Path(tmp) / fmt
            make_inputs(folder, args.n, fmt)
            b = in_fresh_process("--_batch", str(folder), str(Path(tmp) / f"out-{fmt}"), *common)
            bare = in_fresh_process("--_bare", str(folder), "--jobs", str(args.jobs))
            steady = b["steady_rate"] or b["rate"]
            print(f"{fmt:6} {b['rate']:10.1f} {steady:9.1f} {b['startup']:8.1f} {b['export']:8.1f} "
                  f"{b['summary']:9.1f} {bare['rate']:8.1f} "
                  f"{steady / bare['rate']:10.2f} {b['peak_worker_mb']:10.0f} {b['peak_main_mb']:8.0f} "
                  f"{b['errors']:6d}", flush=True)


if __name__ == "__main__":
    main()
