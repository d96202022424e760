"""Measure the OCR reader: scans of text-layer PDFs read back against the text-layer reading.

    python tools/ocr_bench.py [--dpi 150 200 300] [--synth 2] [--real ../shared/corpus/reports/hongze_2024.pdf ...]

Each PDF (generated reports, and real ones given with --real) is rendered at each dpi, degraded
(tests/scans.py: grey, blur, speckle, 0.6° askew) into an image-only PDF and extracted; every
value of the text-layer record is then exact, missing (null/absent) or wrong, and a wrong one
flagged (`ocr_flag`) or silent. Prints one table row per dpi, seconds per page and peak memory.
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
    ap.add_argument("--real", type=Path, nargs="*", default=[], help="text-layer PDFs to scan")
    args = ap.parse_args()
    import pypdfium2 as pdfium
    from extraction.synth import make_report
    tmp = Path(tempfile.mkdtemp(prefix="ocr_bench_"))
    pdfs = [make_report(tmp / f"synth{i}", seed=100 + i, fmt="pdf").path for i in range(args.synth)]
    pdfs += args.real
    refs = {p: extract(p) for p in pdfs}
    print("| dpi | cells | exact | missing | wrong (flagged) | wrong silent | s/page |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for dpi in args.dpi:
        n = exact = missing = wrong = silent = pages = 0
        seconds = 0.0
        for i, pdf in enumerate(pdfs):
            scan = scan_pdf(pdf, tmp / f"{pdf.stem}-{dpi}.pdf", Degrade(dpi=dpi), seed=i)
            pages += len(pdfium.PdfDocument(str(scan)))
            t = time.perf_counter()
            got = extract(scan, limits=Limits(max_seconds=3600))
            seconds += time.perf_counter() - t
            for key, value in refs[pdf].values.items():
                n += 1
                v = (got.values or {}).get(key, "absent")
                if v == value:
                    exact += 1
                elif v in (None, "absent"):
                    missing += 1
                else:
                    wrong += 1
                    cell = (got.cells or {}).get(key)
                    if cell is None or not cell.ocr_flag:
                        silent += 1
                        print(f"  silent: {pdf.name} {key} {value!r} read {v!r} {cell}",
                              file=sys.stderr)
        print(f"| {dpi} | {n} | {exact} ({exact / n:.1%}) | {missing} | {wrong - silent} | "
              f"{silent} | {seconds / pages:.1f} |", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB; {len(pdfs)} PDFs")


if __name__ == "__main__":
    main()
