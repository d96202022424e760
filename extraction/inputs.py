"""The report files a command line names, and where its outputs may go: one place for both.

Files named are taken as given; folders are walked for supported files. What a walk leaves out
is said, never dropped silently (`Inputs.skipped`, `Inputs.notes()`): files no reader takes and
xxgk's own review pages (`*.review.html`, which `xxgk review FILE` writes beside FILE: HTML, but
not reports) are counted in one line; anything inside an output of the same
command (a batch's `-o out` inside the folder it reads), a symlink whose target lies outside the
folder named (`passwd.txt -> /etc/passwd`), a dangling link. An output that *is* an input
(`extract a.txt -o a.txt`) is refused before anything is written (`InputError`).

File names are bytes on Linux and need not be UTF-8: Python hands them over with lone
surrogates, which no UTF-8 file, CSV, Parquet or HTML page can hold. `display_path` is the name
a record and every table carry: the undecodable bytes written as `\\xff`.
"""
from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .readers import SUPPORTED

REVIEW_PAGE = ".review.html"  # the suffix of xxgk review's pages


class InputError(ValueError):
    """A command line that would lose or corrupt data (e.g. an output that is an input)."""


@dataclass
class Inputs:
    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (display path, why)
    other: list[Path] = field(default_factory=list)   # files in the folders that are not reports

    def notes(self) -> list[str]:
        notes = [f"skipped {p}: {why}" for p, why in self.skipped]
        return notes + ([skipped_note(self.other)] if self.other else [])


def is_report_file(f: Path) -> bool:
    return f.suffix.lower() in SUPPORTED and not f.name.lower().endswith(REVIEW_PAGE)


def skipped_note(skipped: list[Path]) -> str | None:
    """One line naming the files a folder walk skipped as not reports (None when none were)."""
    if not skipped:
        return None
    kinds = Counter(REVIEW_PAGE if f.name.lower().endswith(REVIEW_PAGE) else (f.suffix.lower() or "no suffix")
                    for f in skipped)
    listed = ", ".join(f"{n} {k}" for k, n in kinds.most_common())
    return (f"skipped {len(skipped)} file{'s' * (len(skipped) > 1)} in the folders that are not reports "
            f"xxgk reads ({listed}); readable: {', '.join(sorted(SUPPORTED))}")


def display_path(path) -> str:
    """The path as text any UTF-8 output can hold (undecodable bytes as \\xNN)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def resolve_inputs(paths, outputs=(), unique: bool = True) -> Inputs:
    """Files named, and every supported report file under folders named, in a stable order.

    A file found twice is listed once (with `unique=False`, a file named twice is listed twice:
    one result per argument). `outputs` are the paths the command will write (files or
    folders): a walk skips them and what is inside them; a file named that is an output is refused.
    """
    outs = [_real(o) for o in outputs]
    found = Inputs()
    seen: set[Path] = set()

    def take(f: Path, real: Path, named: bool = False) -> None:
        if real not in seen or (named and not unique):
            seen.add(real)
            found.files.append(f)

    for p in map(Path, paths):
        if not p.is_dir():
            real = _real(p)
            if any(real == o for o in outs):
                raise InputError(f"{display_path(p)} is both an input and the output; "
                                 "choose another output name")
            take(p, real, named=True)
            continue
        root = _real(p)
        for f in _walk(p, outs, found):
            real = _real(f)
            if any(_inside(real, o) for o in outs):
                found.skipped.append((display_path(f), "inside the output, not read as a report"))
            elif f.is_symlink() and not f.exists():
                found.skipped.append((display_path(f), "a dangling symbolic link"))
            elif f.is_symlink() and not _inside(real, root):
                found.skipped.append((display_path(f), f"a link to {display_path(real)}, "
                                      f"outside {display_path(p)}; not followed"))
            elif f.is_dir():
                continue  # a link to a folder inside this one: its files are walked there
            else:
                take(f, real)
    return found


def refuse_overwrite(output, inputs) -> None:
    """InputError when `output` is one of the files `inputs` (same file by any name)."""
    if output is None or str(output) == "-":
        return
    out = _real(output)
    for f in inputs:
        if _real(f) == out:
            raise InputError(f"{display_path(f)} is both an input and the output; "
                             "choose another output name")


def iter_inputs(paths, outputs=()) -> list[Path]:
    """The files of `resolve_inputs` (callers that have no outputs to guard)."""
    return resolve_inputs(paths, outputs).files



def _walk(folder: Path, outs: list[Path], found: Inputs) -> list[Path]:
    """Supported files under `folder` (links included, as links), and links to folders, sorted.

    Output folders are not entered (one note each). Links to folders are listed, not descended:
    their target is either inside `folder` (and walked anyway) or outside it (and reported)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        d = Path(dirpath)
        for n in sorted(dirnames):
            if _real(d / n) in outs:
                dirnames.remove(n)
                found.skipped.append((display_path(d / n) + "/", "the output folder, not read as input"))
        for n in filenames:
            (out if is_report_file(d / n) else found.other).append(d / n)
        out += [d / n for n in dirnames if (d / n).is_symlink()]
    found.other.sort()
    return sorted(out)


def _real(p) -> Path:
    return Path(os.path.realpath(p))


def _inside(p: Path, folder: Path) -> bool:
    return p == folder or folder in p.parents


def file_sha256(path) -> str:
    """The sha256 of a file's bytes, read a megabyte at a time."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
