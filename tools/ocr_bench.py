"""Measure the OCR reader: scans of text-layer PDFs read back against the text-layer reading.

    python tools/ocr_bench.py [--dpi 150 200 300] [--synth 2] [--seed 500] [--real ../shared/corpus/reports/hongze_2024.pdf ...] [-v]

Each PDF (generated reports from seeds `--seed`, `--seed`+1, …, and real ones given with --real)
is rendered at each dpi, degraded (tests/scans.py: grey, blur, speckle, 0.6° askew) into an
image-only PDF and extracted; every value of the text-layer record is then exact, missing
(null/absent, or a printed blank read as `not_read`) or wrong, and a wrong one flagged
(`ocr_flag`) or silent. Prints one table row per dpi, seconds per page (wall clock; and the CPU
time of all the process's threads: on a shared machine the wall clock is a lower bound, the CPU
time over the cores it used is what an idle machine would take) and peak memory; `-v` lists
every value not exact.

The OCR reader was tuned on seeds 100-101 (the default); quote a held-out seed (e.g. 500) first.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from scans import Degrade, scan_pdf  # noqa: E402

from extraction.limits import Limits  # noqa: E402
from extraction.pipeline import extract  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dpi", type=int, nargs="+", default=[150, 200, 300])
    ap.add_argument("--synth", type=int, default=2, help="generated reports (PDF) to scan")
    ap.add_argument("--seed", type=int, default=100, help="first seed of the generated reports")
    ap.add_argument("--real", type=Path, nargs="*", default=[], help="text-layer PDFs to scan")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every value not exact")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ocr_bench_") as folder:  # scans: ~10 MB a PDF
        bench(args, Path(folder))


def bench(args, tmp: Path) -> None:
    import pypdfium2 as pdfium
    from extraction.synth import make_report
    pdfs = [make_report(tmp / f"synth{i}", seed=args.seed + i, fmt="pdf").path for i in range(args.synth)]
    pdfs += args.real
    refs = {p: extract(p) for p in pdfs}
    print("| dpi | cells | exact | missing | wrong (flagged) | wrong silent | s/page | CPU s/page |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for dpi in args.dpi:
        n = exact = missing = wrong = silent = pages = 0
        seconds = cpu = 0.0
        for i, pdf in enumerate(pdfs):
            scan = scan_pdf(pdf, tmp / f"{pdf.stem}-{dpi}.pdf", Degrade(dpi=dpi), seed=i)
            pages += len(pdfium.PdfDocument(str(scan)))
            t, c = time.perf_counter(), time.process_time()
            got = extract(scan, limits=Limits(max_seconds=3600))
            seconds += time.perf_counter() - t
            cpu += time.process_time() - c
            for key, value in refs[pdf].values.items():
                n += 1
                v = (got.values or {}).get(key, "absent")
                cell, ref = (got.cells or {}).get(key), refs[pdf].cells.get(key)
                # a printed blank ("—") read as not_read is a null, but not the reading
                unread = (value is None and ref is not None and ref.status == "blank"
                          and (cell is None or cell.status != "blank"))
                if v == value and not unread:
                    exact += 1
                    continue
                if args.verbose:
                    print(f"  {pdf.stem} {key}: printed {ref.raw if ref else None!r}, read "
                          f"{cell.raw if cell else None!r} -> {v!r} "
                          f"({cell.status if cell else '-'}, {cell.ocr_score if cell else '-'}, "
                          f"{cell.ocr_flag if cell else '-'})", file=sys.stderr)
                if v in (None, "absent"):
                    missing += 1
                else:
                    wrong += 1
                    if cell is None or not cell.ocr_flag:
                        silent += 1
                        print(f"  silent: {pdf.name} {key} {value!r} read {v!r} {cell}",
                              file=sys.stderr)
        print(f"| {dpi} | {n} | {exact} ({exact / n:.1%}) | {missing} | {wrong - silent} | "
              f"{silent} | {seconds / pages:.1f} | {cpu / pages:.1f} |", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB; {len(pdfs)} PDFs")


if __name__ == "__main__":
    main()
