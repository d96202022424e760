"""The inputs of a batch: every supported report file named or found under a folder, hashed.

A report is known by the sha256 of its bytes, so a re-run can tell what is already done even
when files were moved or renamed. A file that cannot be opened has no hash; it is known by its
path instead (and still gets an error record).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..inputs import display_path, iter_inputs


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


def input_key(source: str, sha256: str | None) -> str:
    """What makes a report done: its content hash, or its path when it has none."""
    return sha256 if sha256 else f"path:{source}"


def record_key(record: dict) -> str:
    return input_key(record.get("source", ""), record.get("sha256"))


def walk(paths, outputs=()) -> list[Path]:
    """The report files of `paths` (extraction.inputs: one place resolves inputs)."""
    return iter_inputs(paths, outputs)


def sha256_of(path: Path) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def hashed_inputs(paths, outputs=()) -> list[Input]:
    return hash_files(walk(paths, outputs))


def hash_files(files) -> list[Input]:
    return [Input(str(f), sha256_of(f)) for f in files]


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
