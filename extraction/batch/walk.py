"""The inputs of a batch: every supported report file named or found under a folder, hashed,
and every file a URL stands for (remote.py).

A report is known by the sha256 of its bytes, so a re-run can tell what is already done even
when files were moved or renamed. A file that cannot be opened has no hash; it is known by its
path instead (and still gets an error record). A URL is known by its name until a worker has
read it (the client does not download it to hash it).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .. import inputs as local_inputs
from ..inputs import display_path, file_sha256
from ..readers import SUPPORTED
from .remote import is_url, list_url


@dataclass(frozen=True)
class Input:
    path: str              # as walked (may hold surrogates: a name that is not UTF-8)
    sha256: str | None     # None: the file could not be opened

    @property
    def source(self) -> str:
        """The record's `source`: the path as any UTF-8 output can hold it."""
        return display_path(self.path)

    @property
    def key(self) -> str:
        return input_key(self.source, self.sha256)

    @property
    def is_url(self) -> bool:
        return is_url(self.path)


def input_key(source: str, sha256: str | None) -> str:
    """What makes a report done: its content hash, or its path when it has none."""
    return sha256 if sha256 else f"path:{source}"


def record_key(record: dict) -> str:
    return input_key(record.get("source", ""), record.get("sha256"))




def sha256_of(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None


def batch_inputs(paths, outputs=(), notes: list | None = None) -> list[Input]:
    """What a batch's PATHS stand for, in order: local files hashed here, URLs listed (not read).

    The one place where what the user named becomes the batch's inputs. Local paths go through
    `extraction.inputs` (outputs skipped, links confined, non-reports counted: its notes are
    appended to `notes`); a file found twice is listed once.
    """
    out: list[Input] = []
    seen: set[str] = set()
    urls: set[str] = set()
    for p in paths:
        if is_url(p):
            new = [u for u in list_url(p, SUPPORTED) if u not in urls]
            urls.update(new)
            out += [Input(u, None) for u in new]
            continue
        found = local_inputs.resolve_inputs([p], outputs)
        if notes is not None:
            notes += found.notes()
        for f in found.files:
            real = os.path.realpath(f)
            if real not in seen:
                seen.add(real)
                out.append(Input(str(f), sha256_of(f)))
    return out


def split_duplicates(inputs: list[Input]) -> tuple[list[Input], list[tuple[Input, Input]]]:
    """Distinct reports (first path of each content, in walk order) and (duplicate, first) pairs.

    The same bytes under two names are one report: extracted once, under its first path; the
    other paths are listed in duplicates.csv, never extracted twice nor counted twice.
    """
    first: dict[str, Input] = {}
    unique, dups = [], []
    for i in inputs:
        if i.key in first:
            dups.append((i, first[i.key]))
        else:
            first[i.key] = i
            unique.append(i)
    return unique, dups
