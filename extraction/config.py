"""One settings object for every stage: `extract(path, config=Config(...))`, `xxgk extract
--config`, `run_batch(..., config=...)`, `xxgk batch --config`.

    Config(readers={"html": HtmlSettings(body_share=0.3)}, limits=Limits(max_pages=50), figures=False,
           sections=SectionSettings(max_heading_line=30), tagger=TaggerSettings(window=64, stride=48),
           batch=BatchSettings(jobs=1))

or, as JSON (`Config.from_json`): {"readers": {"html": {"body_share": 0.3}}, "limits":
{"max_pages": 50}, "figures": false, "model": "path/to/model", "sections": {"max_heading_line":
30}, "tagger": {"window": 64, "stride": 48}, "batch": {"jobs": 1}}. A reader's settings are the
dataclass its registered read function takes (readers/registry.py); each other stage's are its
settings dataclass; unknown names are errors.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING

from .limits import Limits

if TYPE_CHECKING:
    from .batch.settings import BatchSettings
    from .figures.model import TaggerSettings
    from .sections import SectionSettings


@dataclass(frozen=True)
class Config:
    readers: dict = field(default_factory=dict)   # reader name -> its settings dataclass
    limits: Limits | None = None                  # None: Limits.from_env()
    figures: bool = True                          # tag narrative figures
    model: str | None = None                      # figure model folder; None: the default model
    sections: SectionSettings | None = None       # finding the report's sections (sections.py)
    tagger: TaggerSettings | None = None          # the figure model's windows, threads, decoding
    batch: BatchSettings | None = None            # xxgk batch / run_batch (batch/settings.py)

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
        from .batch.settings import BatchSettings
        from .figures.model import TaggerSettings
        from .sections import SectionSettings
        stages = {name: kind(**raw[name]) if raw.get(name) is not None else None for name, kind in (
            ("limits", Limits), ("sections", SectionSettings), ("tagger", TaggerSettings),
            ("batch", BatchSettings))}
        return cls(readers, figures=bool(raw.get("figures", True)), model=raw.get("model"), **stages)

    @classmethod
    def from_file(cls, path: str | Path) -> "Config":
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
