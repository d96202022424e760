"""What the three table parsers share: their result, and how a reading becomes values and cells."""
from __future__ import annotations

from dataclasses import dataclass, field

from .runs import Piece, RowReadings
from .values import TEXT, Atom


@dataclass
class Part:
    """The values one table parser read, with their cells, warnings and format facts."""
    values: dict = field(default_factory=dict)
    cells: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    found: bool = False
    template: str | None = None      # table 2 only: "2021" | "2019"
    readings: dict = field(default_factory=dict)  # row key -> readings_of(...) of an ambiguous row


# A cell's status: how its value was obtained. Only a printed blank is a blank: a cell that
# was not read (lost, cut off, ambiguous) is unknown, and checks that need it are not checked.
READ, BLANK_CELL, INFERRED, NOT_READ = "read", "blank", "inferred", "not_read"
READ_STATUSES = (READ, BLANK_CELL, INFERRED)


def cell_of(piece: Piece) -> dict:
    cell = {"raw": piece.raw, "page": piece.page, "start": piece.start, "end": piece.end}
    if piece.inferred:
        cell["inferred"] = True
    cell["status"] = (NOT_READ if piece.unread else INFERRED if piece.inferred
                      else BLANK_CELL if piece.value is None else READ)
    return cell


def put(part: Part, keys: list[str], pieces: list[Piece] | None) -> None:
    """Store one row: its values under `keys`, or nulls where the row could not be read."""
    for i, key in enumerate(keys):
        if pieces is None:
            part.values[key] = None
            part.cells[key] = {"raw": None, "page": None, "start": None, "end": None,
                               "status": NOT_READ}
            continue
        part.values[key] = pieces[i].value
        part.cells[key] = cell_of(pieces[i])
    unread = sum(1 for p in pieces or () if p.unread)
    if unread:
        row = keys[0].rsplit(".", 1)[0]
        part.warnings.append(f"table {TABLE_OF.get(row.split('.')[0], '?')}: row {row} read without "
                             f"{unread} of its cells (not printed whole, or a number the print "
                             "leaves unsure): those are not read")


TABLE_OF = {"proactive": 2, "requests": 3, "review": 4, "litigation": 4}


def put_unread(part: Part, keys: list[str], atoms: list[Atom], text: str) -> None:
    """Store a row that could not be read as nulls, each cell keeping the row's printed text
    (`text` is the document's: the stretch from the row's first to its last value)."""
    put(part, keys, None)
    if not atoms:
        return
    start, end = atoms[0].start, atoms[-1].end
    for key in keys:
        part.cells[key] = {"raw": text[start:end], "page": atoms[0].page, "start": start, "end": end,
                           "status": NOT_READ}


MAX_READINGS = 20  # kept in the record per row; a long run can split hundreds of ways


def readings_of(keys: list[str], readings: RowReadings, ranked_by: str) -> dict:
    """An ambiguous row's readings as the record keeps them (record.Readings), in their order."""
    kept = readings.readings[:MAX_READINGS]
    out = {"keys": keys, "values": [list(r.values) for r in kept], "ranked_by": ranked_by}
    if len(readings.readings) > len(kept):
        out["more"] = len(readings.readings) - len(kept)
    return out


def describe(readings: RowReadings, limit: int = 4) -> str:
    shown = ["/".join("" if v is None else str(v) for v in r.values) for r in readings.readings[:limit]]
    more = len(readings.readings) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def until_text(atoms: list[Atom]) -> list[Atom]:
    """The atoms up to the first text that follows a value (the end of a table's last row)."""
    out = []
    seen_value = False
    for a in atoms:
        if a.kind == TEXT and seen_value:
            break
        seen_value = seen_value or a.is_value
        out.append(a)
    return out
