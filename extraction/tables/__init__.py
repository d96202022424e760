"""Table 2, 3 and 4 of the template -> canonical keys. Placeholder."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TableResult:
    template: str | None = None          # "2021" | "2019" | None (no table 2 found)
    values: dict = field(default_factory=dict)   # key -> int | float | None
    cells: dict = field(default_factory=dict)    # key -> {"raw", "page", "start", "end", ["inferred"]}
    warnings: list = field(default_factory=list)


def extract_tables(doc, sections) -> TableResult:
    return TableResult()
