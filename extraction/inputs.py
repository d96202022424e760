"""The report files a command line names: files as given, folders walked for supported files."""
from __future__ import annotations

from pathlib import Path

from .readers import SUPPORTED


def iter_inputs(paths) -> list[Path]:
    """Files named, and every supported report file under folders named, in a stable order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED)
        else:
            out.append(p)
    return out
