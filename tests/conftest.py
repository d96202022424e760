"""Shared test fixtures.

Real reports live outside the project, in ../shared (or where XXGK_SHARED points). Tests that need
them take the `shared` fixture and are skipped, with the reason, where it is absent.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("XXGK_SHARED", REPO.parent / "shared")).resolve()


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skips the calling test when it is not there."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"needs {p} (the shared corpus beside the repo, or set XXGK_SHARED)")
    return p


@pytest.fixture
def shared() -> Path:
    return shared_path()
