"""Bounds on merged cells: a span attribute is a number, and a hostile one inflates a grid.

`<td colspan=1000>` repeated over 2,000 rows is 84 KB of HTML and two million grid positions;
one Word cell with `gridSpan="3000000"` takes seconds and a gigabyte. Spans are clamped to what
real tables use, and a table whose merges would cover more positions than any report table is
refused before its grid is built.
"""
from __future__ import annotations

from ..errors import FileTooLarge

MAX_SPAN = 1000          # browsers' own ceiling for colspan; Word tables hold at most 63 columns
MAX_CELLS = 200_000      # grid positions in one table; a report's largest holds a few hundred


def clamp_span(n: int) -> int:
    return min(max(n, 1), MAX_SPAN)


class GridBudget:
    """Counts the grid positions a table's cells cover, refusing the table past MAX_CELLS."""

    def __init__(self, kind: str):
        self.kind = kind  # "an HTML", "a Word": for the message
        self.used = 0

    def take(self, n: int) -> None:
        self.used += n
        self.check(self.used)

    def check(self, positions: int) -> None:
        if positions > MAX_CELLS:
            raise FileTooLarge(f"{self.kind} table whose cells cover more than {MAX_CELLS:,} "
                               "grid positions: refused (broken or hostile markup)", "table_too_large")
