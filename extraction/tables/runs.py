"""Read a row whose printed cells are not one value each: run together, or one of them lost.

A crawler text prints a row's cells with nothing between them ("15130000154" for 151, 3, 0, 0,
0, 0, 154); a PDF-to-text conversion can lose a cell (six values printed for seven columns).
The print alone is then ambiguous. The template's rules usually leave one reading: a row's total
is the sum of its parts, a number has no leading zero. This module lists the readings of a row
that fit; the table parsers keep a reading only when it is the only one (marking its values
`inferred`) and warn otherwise. A printed number is never changed — only where the cell
boundaries fall, or that a lost cell held the one value the rules allow, is inferred.

Neither is inferred on a grid that cannot bear it: a number printed alone in a table cell
(`Atom.whole`) is never split, and a grid row with fewer cells than columns is not completed
(a column was lost, and nothing says which). A row of a table cut at the page's edge is read
as far as it was printed; the cells past the edge are `unread`, never blank.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .values import Atom, BLANK, EMPTY, LOST, NUM, TEXT, parse_value

# An equation of the template: values[total] == sum(values[i] for i in parts) (blanks count 0).
Equation = tuple[int, tuple[int, ...]]


@dataclass
class Piece:
    """One value of a row, as read: its text, value and place in the document."""
    raw: str
    value: int | float | None
    start: int
    end: int
    page: int | None = None
    inferred: bool = False
    unread: bool = False     # a cell that was not printed: its value is unknown


@dataclass
class Reading:
    pieces: list[Piece]
    how: str = "printed"      # printed | split | completed

    @property
    def values(self) -> tuple:
        return tuple(p.value for p in self.pieces)


@dataclass
class RowReadings:
    readings: list[Reading] = field(default_factory=list)
    problem: str | None = None   # why there is no reading, or why several are left
    sure: bool = True            # False: even one reading is not sure (listed, not filled in)

    @property
    def unique(self) -> Reading | None:
        return self.readings[0] if len(self.readings) == 1 and self.sure else None


@dataclass
class RunSettings:
    max_splits: int = 5000    # stop enumerating splits of one row beyond this many
    max_digits: int = 7       # no value of these tables has more digits (except an amount)

    def __post_init__(self):
        if self.max_splits < 1 or self.max_digits < 1:
            raise ValueError("RunSettings: max_splits and max_digits must be positive")


def holds(values, equations: list[Equation]) -> bool:
    def v(i):
        x = values[i]
        return 0 if x is None else x
    return all(abs(v(t) - sum(v(i) for i in parts)) < 1e-9 for t, parts in equations)


def piece_of(atom: Atom) -> Piece:
    value = None
    if atom.kind == NUM:
        try:
            value = parse_value(atom.text)
        except ValueError:
            value = None
    return Piece(atom.printed, value, atom.start, atom.end, atom.page)


def read_row(atoms: list[Atom], n: int, equations: list[Equation],
             settings: RunSettings | None = None) -> RowReadings:
    """Every reading of `atoms` (a row's value atoms, in print order) as `n` values that fits."""
    settings = settings or RunSettings()
    if any(a.kind == LOST for a in atoms):
        return _read_cut(atoms, n)
    unparsed = [a.printed for a in atoms if a.kind == NUM and piece_of(a).value is None]
    if len(atoms) == n:
        if unparsed:  # never a blank: the cell printed something that is not a number
            return RowReadings(problem=f"not a number as printed: {', '.join(unparsed)}")
        return RowReadings([Reading([piece_of(a) for a in atoms])])
    if len(atoms) > n:
        return RowReadings(problem=f"{len(atoms)} values printed for {n} columns")
    if not atoms:
        return RowReadings(problem="no values")
    if all(a.whole for a in atoms):
        return RowReadings(problem=f"{len(atoms)} table cells for {n} columns: a column is "
                                   "missing (a number in a table cell is never split)")
    splits = list(_splits(atoms, n, settings))
    if any("," in a.text for a in atoms if a.kind == NUM and not a.whole):
        # "-202,854" run in: -20/2,854 or -202,854? Where a number with thousands separators
        # starts is not known, and those cuts are not listed: no reading is sure.
        return RowReadings(problem="a number with thousands separators run in with others")
    if any(p.raw == "-" and p.value is None and p.inferred for s in splits for p in s):
        # "0 -5" for three columns: 0 / — / 5 (the "-" a blank), or 0 / -5 and a cell lost:
        # the print does not tell, whatever the rules say.
        fitting = _distinct([Reading(s, "split") for s in splits if holds([p.value for p in s], equations)])
        return RowReadings(fitting, problem="a '-' run in with the numbers: a minus sign or a blank",
                           sure=False)
    if len(splits) == 1:
        return RowReadings([Reading(splits[0], "split")])
    fitting = _distinct([Reading(s, "split") for s in splits if holds([p.value for p in s], equations)])
    if not fitting and len(atoms) == n - 1 and not any(a.whole for a in atoms):
        fitting = _distinct(_completions(atoms, n, equations))
    if len(fitting) == 1:
        return RowReadings(fitting)
    if fitting:
        return RowReadings(fitting, problem=f"{len(fitting)} readings fit the template's rules")
    if splits:
        return RowReadings(problem=f"{len(splits)} ways to split the run, none fits the template's rules")
    return RowReadings(problem=f"{len(atoms)} values printed for {n} columns")


def _read_cut(atoms: list[Atom], n: int) -> RowReadings:
    """A row of a table cut at the page's edge: the printed cells as they are, the cells past
    the edge (LOST, and those missing after a trailing LOST) unread."""
    core = list(atoms)
    tail = False
    while core and core[-1].kind == LOST:
        core.pop()
        tail = True
    if len(core) > n or (len(core) < n and not tail):
        return RowReadings(problem=f"{len(core)} cells for {n} columns in a table cut at the "
                                   "page's edge")
    end = atoms[-1]
    pieces = [Piece("", None, a.start, a.end, a.page, unread=True) if a.kind == LOST
              else piece_of(a) for a in core]
    pieces += [Piece("", None, end.end, end.end, end.page, unread=True)
               for _ in range(n - len(core))]
    if all(p.unread for p in pieces):
        return RowReadings(problem="every cell of the row lies past the page's edge")
    return RowReadings([Reading(pieces, "cut")])


def _distinct(readings: list[Reading]) -> list[Reading]:
    """One reading per distinct list of values (where cells split differs, values may not)."""
    seen: dict[tuple, Reading] = {}
    for r in readings:
        seen.setdefault(r.values, r)
    return list(seen.values())


_RUN = re.compile(r"^(-?)(\d+)(\.\d+)?(\s?(?:万元|元))?$")


def _options(atom: Atom, k: int, max_digits: int):
    """The ways to read one atom as k values (k == 1: as printed)."""
    if k == 1:
        p = piece_of(atom)
        if atom.kind == NUM and p.value is None:
            return  # "1123,738": no number as printed (a run with a separator in it)
        if atom.kind == NUM:
            m = _RUN.match(atom.text)
            if m and len(m.group(2)) > 1 and m.group(2).startswith("0"):
                return  # "00" is two zeros run together, not a value
        yield [p]
        return
    if _signed(atom):  # run in with other cells, "-" is a minus sign or a blank mark ("-160": —/16/0)
        yield from _dash_as_blank(atom, k, max_digits)
    m = _RUN.match(atom.text) if atom.kind == NUM and not atom.whole else None
    if not m:
        return
    sign, digits, frac, unit = m.group(1), m.group(2), m.group(3) or "", m.group(4) or ""
    # A decimal run ends in an amount, which may be long; counts are short.
    for parts in _cut(digits, k, max_digits, long_last=bool(frac)):
        if sign and parts[0] == "0":
            continue
        pieces = []
        pos = atom.start + len(sign)
        for i, part in enumerate(parts):
            raw = (sign if i == 0 else "") + part + (frac + unit if i == k - 1 else "")
            start = pos - (len(sign) if i == 0 else 0)
            end = pos + len(part) + (len(frac) + len(unit) if i == k - 1 else 0)
            value = parse_value(raw) if i == k - 1 and (frac or unit) else int(raw)
            # The value from the normalised text, the raw text as printed ("１５" stays "１５").
            printed = atom.printed[start - atom.start:end - atom.start]
            pieces.append(Piece(printed, value, start, end, atom.page, True))
            pos += len(part)
        yield pieces


def _dash_as_blank(atom: Atom, k: int, max_digits: int):
    """The readings of a signed run ("-160") whose "-" is a blank cell: a blank, then the rest
    as k - 1 values."""
    dash = Piece(atom.printed[:1], None, atom.start, atom.start + 1, atom.page, True)
    rest = Atom(atom.kind, atom.text[1:], atom.start + 1, atom.end, atom.page, atom.row, atom.cell,
                atom.printed[1:])
    for tail in _options(rest, k - 1, max_digits):
        yield [dash] + [replace(p, inferred=True) for p in tail]


def _cut(digits: str, k: int, max_digits: int, long_last: bool = False):
    """The ways to cut a digit string into k numbers without leading zeros, each of at most
    `max_digits` digits (the last one of any length if `long_last`)."""
    if k == 1:
        if (len(digits) == 1 or not digits.startswith("0")) and (long_last or len(digits) <= max_digits):
            yield [digits]
        return
    longest = 1 if digits.startswith("0") else max_digits
    for size in range(1, min(longest, len(digits) - (k - 1)) + 1):
        rest = digits[size:]
        if not long_last and len(rest) > (k - 1) * max_digits:
            continue
        for tail in _cut(rest, k - 1, max_digits, long_last):
            yield [digits[:size]] + tail


def _signed(atom: Atom) -> bool:
    return atom.kind == NUM and not atom.whole and atom.text.startswith("-")


def _capacity(atom: Atom) -> int:
    m = _RUN.match(atom.text) if atom.kind == NUM and not atom.whole else None
    return (len(m.group(2)) if m else 1) + _signed(atom)


def _splits(atoms: list[Atom], n: int, settings: RunSettings):
    """Every way to read the atoms as n values, cutting runs of digits (no leading zeros)."""
    limit = settings.max_splits
    capacities = [_capacity(a) for a in atoms]
    count = 0

    def go(i: int, left: int, acc: list[Piece]):
        nonlocal count
        if count >= limit:
            return
        if i == len(atoms):
            if left == 0:
                count += 1
                yield list(acc)
            return
        rest_min = len(atoms) - i - 1
        rest_max = sum(capacities[i + 1:])
        for k in range(1, min(capacities[i], left - rest_min) + 1):
            if left - k > rest_max:
                continue
            for opt in _options(atoms[i], k, settings.max_digits):
                yield from go(i + 1, left - k, acc + opt)
                if count >= limit:
                    return

    yield from go(0, n, [])


def _completions(atoms: list[Atom], n: int, equations: list[Equation]) -> list[Reading]:
    """Readings of n-1 printed values as n, one cell lost, its value the one the rules allow."""
    printed = [piece_of(a) for a in atoms]
    out = []
    for lost in range(n - 1, -1, -1):   # the last column first: a lost total is the usual case
        values = [p.value for p in printed]
        values.insert(lost, None)
        value = _solve(values, lost, equations)
        if value is None:
            continue
        values[lost] = value
        if not holds(values, equations):
            continue
        anchor = printed[lost - 1].end if lost else printed[0].start
        page = printed[min(lost, len(printed) - 1)].page
        pieces = [Piece(p.raw, p.value, p.start, p.end, p.page, True) for p in printed]
        pieces.insert(lost, Piece("", value, anchor, anchor, page, True))
        out.append(Reading(pieces, "completed"))
    return out


def _solve(values: list, lost: int, equations: list[Equation]):
    for total, parts in equations:
        if lost == total:
            return sum(v or 0 for v in (values[i] for i in parts))
        if lost in parts:
            if values[total] is None:
                return None
            rest = sum(values[i] or 0 for i in parts if i != lost)
            value = values[total] - rest
            return value if value >= 0 else None
    return None


def value_atoms(atoms: list[Atom], n: int, blanks_first_at_start: bool = False,
                grid_rows: int = 1) -> list[Atom]:
    """The atoms that are a row's cells: values, and empty cells among them (blanks).

    Label and header text is dropped. Empty cells before the first or after the last value of a
    row count only if they are needed to make up the row's n cells (and sit in the same row):
    those at the end first (table 3, whose value columns end the grid), or those at the start
    first (`blanks_first_at_start`: table 2, narrower than its grid, padded at the end).
    Values from more than `grid_rows` rows of a grid are no row: none are returned.
    """
    vals = [a for a in atoms if a.kind != TEXT]
    idx = [i for i, a in enumerate(vals) if a.kind in (NUM, BLANK)]
    if not idx:  # a row of empty cells: n blanks
        empties = [a for a in vals if a.kind == EMPTY and a.row == vals[0].row] if vals else []
        return empties[-n:] if len(empties) >= n else []
    first, last = idx[0], idx[-1]
    # A cell not read (LOST) before the row's first value is one of its cells too.
    first = next((i for i in range(first) if vals[i].kind == LOST and vals[i].row == vals[first].row),
                 first)
    core = vals[first:last + 1]
    grid = {a.row for a in core if a.kind in (NUM, BLANK) and a.whole}
    if len(grid) > grid_rows:
        # Values of more table rows than one row has (a label not found between them): cells of
        # two grid rows are never read as one row, whatever their count.
        return []
    if len(core) > n and not any(a.kind == LOST for a in core):
        # Empty cells among more values than columns are layout (a text line's gaps); a cell
        # not printed (LOST) is never dropped: it may be one of the row's values.
        core = [a for a in core if a.kind != EMPTY]
    if len(core) >= n:
        return core
    row_end = vals[last].row
    row_start = vals[first].row
    trailing = [a for a in vals[last + 1:] if a.kind in (EMPTY, LOST) and a.row == row_end]
    lost = next((i for i, a in enumerate(trailing) if a.kind == LOST), None)
    if lost is not None:
        # The row ran past the page's edge: every cell it printed after its label, then the
        # edge (unless that is more cells than columns: then the row was printed whole).
        at = atoms.index(vals[first])
        lead = []
        while at > 0 and atoms[at - 1].kind == EMPTY and atoms[at - 1].row == row_start:
            at -= 1
            lead.insert(0, atoms[at])
        printed = lead + core + trailing[:lost]
        if len(printed) <= n:
            return printed + [trailing[lost]]
    trailing = [a for a in trailing if a.kind == EMPTY]
    leading = [a for a in vals[:first] if a.kind == EMPTY and a.row == row_start]
    need = n - len(core)
    if blanks_first_at_start:
        add_l = leading[max(0, len(leading) - need):]
        add_t = trailing[:need - len(add_l)]
    else:
        add_t = trailing[:need]
        add_l = leading[len(leading) - (need - len(add_t)):] if need > len(add_t) else []
    return add_l + core + add_t
