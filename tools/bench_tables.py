"""Time sections + tables on the seeds and real reports of the shared corpus (reading excluded).

    python -m tools.bench_tables [--repeat 3] [--shared ../shared]

Prints, per file, the keys read, the values left blank by an ambiguous print, the warnings, and
the median seconds of `repeat` runs of `find_sections` + `extract_tables` on the read document.
"""
from __future__ import annotations

import statistics
import time

from extraction.readers import read
from tools.bench_readers import corpus_bench_args, corpus_reports
from extraction.sections import find_sections
from extraction.tables import extract_tables


def main() -> None:
    args = corpus_bench_args(__doc__.splitlines()[0])
    files = sorted(args.shared.joinpath("seeds").glob("*.txt")) + corpus_reports(args.shared)
    if not files:
        raise SystemExit(f"no reports under {args.shared}")
    print(f"{'file':28} {'keys':>5} {'null':>5} {'warnings':>8} {'seconds':>8}")
    for f in files:
        doc = read(f)
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            result = extract_tables(doc, find_sections(doc))
            times.append(time.perf_counter() - t)
        nulls = sum(v is None for v in result.values.values())
        print(f"{f.name:28} {len(result.values):5} {nulls:5} {len(result.warnings):8} "
              f"{statistics.median(times):8.3f}")


if __name__ == "__main__":
    main()
