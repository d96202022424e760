"""Time the readers on the real reports of the shared corpus (read only: no extraction).

    python -m tools.bench_readers [--repeat 3] [--shared ../shared]

Prints, per file, its format, size, blocks, tables and the median seconds of `repeat` reads
(after one warm-up read that also pays the imports).
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from extraction.readers import SUPPORTED, read
from training.corpus import default_shared_dir


def corpus_bench_args(description: str) -> argparse.Namespace:
    """--shared and --repeat, the options of both corpus benchmarks (readers, tables)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--shared", type=Path, default=default_shared_dir(),
                        help="Shared corpus folder (default: $XXGK_SHARED or ../shared).")
    parser.add_argument("--repeat", type=int, default=3)
    return parser.parse_args()


def corpus_reports(shared: Path) -> list[Path]:
    """The real reports of the shared corpus in a format xxgk reads."""
    folder = shared / "corpus" / "reports"
    return sorted(f for f in folder.iterdir() if f.suffix.lower() in SUPPORTED) if folder.is_dir() else []


def main() -> None:
    args = corpus_bench_args(__doc__.splitlines()[0])
    files = corpus_reports(args.shared)
    if not files:
        raise SystemExit(f"no reports under {args.shared / 'corpus' / 'reports'}")
    print(f"{'file':28} {'format':6} {'KB':>6} {'blocks':>6} {'tables':>6} {'seconds':>8}")
    for f in files:
        doc = read(f)  # warm-up
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            read(f)
            times.append(time.perf_counter() - t)
        print(f"{f.name:28} {doc.format:6} {f.stat().st_size / 1024:6.0f} {len(doc.blocks):6} "
              f"{len(doc.tables):6} {statistics.median(times):8.3f}")


if __name__ == "__main__":
    main()
