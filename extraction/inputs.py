"""The report files a command line names: files as given, folders walked for supported files.

A folder's other files are skipped and counted (`skipped_note` says so in one line), and so are
xxgk's own review pages (`*.review.html`, what `xxgk review FILE` writes beside FILE): they are
HTML, but not reports, and must not come back as records on the next run over that folder.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from .readers import SUPPORTED

REVIEW_PAGE = ".review.html"  # the suffix of xxgk review's pages


def is_report_file(f: Path) -> bool:
    return f.suffix.lower() in SUPPORTED and not f.name.lower().endswith(REVIEW_PAGE)


def folder_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """(report files, skipped files) under a folder, each in a stable order."""
    files = sorted(f for f in folder.rglob("*") if f.is_file())
    return [f for f in files if is_report_file(f)], [f for f in files if not is_report_file(f)]


def iter_inputs(paths, skipped: list | None = None) -> list[Path]:
    """Files named, and every supported report file under folders named, in a stable order; the
    folders' other files are appended to `skipped` when given."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found, other = folder_files(p)
            out += found
            if skipped is not None:
                skipped += other
        else:
            out.append(p)
    return out


def skipped_note(skipped: list[Path]) -> str | None:
    """One line naming what a folder walk skipped (None when nothing was)."""
    if not skipped:
        return None
    kinds = Counter(REVIEW_PAGE if f.name.lower().endswith(REVIEW_PAGE) else (f.suffix.lower() or "no suffix")
                    for f in skipped)
    listed = ", ".join(f"{n} {k}" for k, n in kinds.most_common())
    return (f"skipped {len(skipped)} file{'s' * (len(skipped) > 1)} in the folders that are not reports "
            f"xxgk reads ({listed}); readable: {', '.join(sorted(SUPPORTED))}")
