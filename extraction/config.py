"""One settings object for every stage: `extract(path, config=Config(...))`, `xxgk extract --config`.

    Config(readers={"html": HtmlSettings(body_share=0.3)}, limits=Limits(max_pages=50), figures=False)

or, as JSON (`Config.from_json`): {"readers": {"html": {"body_share": 0.3}}, "limits":
{"max_pages": 50}, "figures": false, "model": "path/to/model"}. A reader's settings are the
dataclass its registered read function takes (readers/registry.py); unknown names are errors.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path

from .limits import Limits


@dataclass(frozen=True)
class Config:
    readers: dict = field(default_factory=dict)   # reader name -> its settings dataclass
    limits: Limits | None = None                  # None: Limits.from_env()
    figures: bool = True                          # tag narrative figures
    model: str | None = None                      # figure model folder; None: the default model

    @classmethod
    def from_json(cls, raw: dict) -> "Config":
        from .readers.registry import READERS
        unknown = set(raw) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown config keys: {', '.join(sorted(unknown))}")
        readers = {}
        for name, values in (raw.get("readers") or {}).items():
            reader = READERS.get(name)
            if reader is None or reader.settings is None:
                takes = sorted(n for n, r in READERS.items() if r.settings)
                raise ValueError(f"no reader {name!r} takes settings (these do: {', '.join(takes)})")
            readers[name] = reader.settings(**values)
        limits = Limits(**raw["limits"]) if raw.get("limits") is not None else None
        return cls(readers, limits, bool(raw.get("figures", True)), raw.get("model"))

    @classmethod
    def from_file(cls, path: str | Path) -> "Config":
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
