"""Readers by name: `@reader("pdf", suffixes=(".pdf",))` on a module's read function registers it.

A new format is one module with one registered function (path, [limits=], [settings=]) -> Document, plus its
import in readers/__init__.py. The suffixes a folder walk picks up come from the registrations.
"""
from __future__ import annotations

import inspect
import typing
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Reader:
    name: str                 # the record's `format`
    suffixes: tuple[str, ...]
    read: Callable
    takes_limits: bool        # whether `read` accepts limits=
    settings: type | None     # the dataclass `read` takes as settings= (Config.readers[name])


READERS: dict[str, Reader] = {}


def reader(name: str, suffixes: tuple[str, ...]):
    """Register the decorated function as the reader of format `name`."""
    def register(fn):
        READERS[name] = Reader(name, tuple(suffixes), fn,
                               "limits" in inspect.signature(fn).parameters, settings_class(fn))
        return fn
    return register


def settings_class(fn) -> type | None:
    """The settings dataclass of a read function's `settings` parameter (None when it has none)."""
    hint = typing.get_type_hints(fn).get("settings")
    return next((a for a in (typing.get_args(hint) or (hint,)) if a not in (None, type(None))), None)


def suffixes(*names: str) -> tuple[str, ...]:
    """The suffixes of the readers named (all readers when none is named), in registration order."""
    return tuple(s for r in READERS.values() if not names or r.name in names for s in r.suffixes)


def format_of_suffix(suffix: str) -> str | None:
    return next((r.name for r in READERS.values() if suffix in r.suffixes), None)
