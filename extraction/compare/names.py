"""One name per agency: the names reports print for one body, normalised and merged.

Reports name their agency in different ways from year to year. In order:
1. `normalise`: Unicode NFKC (full-width brackets and spaces -> half-width), no whitespace, no
   trailing punctuation, and "…人民政府办公室" -> "…人民政府" (a county's report is often issued by
   its government's office).
2. `--aliases FILE` lines `name as printed = agency`: applied first, always.
3. Short names: "上海市科委" is merged into "上海市科学技术委员会", "洪泽区人民政府" into
   "淮安市洪泽区人民政府", when the short name is an abbreviation (same first two characters,
   a subsequence of the full name, ending in one of its last three characters) or the full name
   minus a leading place (…省/市/州/盟/县/区). Only when exactly one full name fits, and never
   when both names have a report for one year (two bodies, or a report given twice: said, not
   hidden). Every merge is listed, with its reason.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

OFFICE_SUFFIXES = (("人民政府办公室", "人民政府"),)
_PLACE_END = re.compile(r"(?:省|市|州|盟|县|区|自治区)$")
_TRAILING = " .,;:，。；：、·-—"


class AliasError(ValueError):
    pass


def normalise(name: str) -> str:
    name = unicodedata.normalize("NFKC", str(name))
    name = re.sub(r"\s+", "", name).strip(_TRAILING)
    for long, short in OFFICE_SUFFIXES:
        if name.endswith(long):
            name = name[: -len(long)] + short
    return name


def read_aliases(path: str | Path) -> dict[str, str]:
    """`name as printed = agency` per line ('#' starts a comment); normalised on both sides."""
    aliases = {}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8-sig").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, agency = line.partition("=")
        if not sep or not normalise(name) or not normalise(agency):
            raise AliasError(f"{path}:{n}: expected 'name as printed = agency', got {line!r}")
        aliases[normalise(name)] = normalise(agency)
    return aliases


@dataclass
class Merge:
    name: str      # as printed in a report
    agency: str    # the agency it was grouped under
    reason: str


@dataclass
class AgencyNames:
    """Printed name -> agency; what was merged, and short names left apart (with why)."""
    agency_of: dict[str, str] = field(default_factory=dict)
    merges: list[Merge] = field(default_factory=list)
    kept_apart: list[Merge] = field(default_factory=list)  # agency = the candidates, "; "-joined

    def __call__(self, printed: str) -> str:
        return self.agency_of[printed]

    def find(self, name: str, aliases: dict[str, str]) -> str:
        """The agency a name given by a user stands for (as printed, normalised or an alias)."""
        n = aliases.get(normalise(name), normalise(name))
        by_norm = {normalise(p): a for p, a in self.agency_of.items()}
        return self.agency_of.get(name) or by_norm.get(n) or n


def group_names(years_by_name: dict[str, set[int]], aliases: dict[str, str] | None = None) -> AgencyNames:
    """Group printed agency names; `years_by_name` gives the years each printed name has a report."""
    aliases = aliases or {}
    out = AgencyNames()
    norm, reasons = {}, {}
    for printed in years_by_name:
        n = normalise(printed)
        reasons[printed] = [] if n == printed else [_why_normalised(printed)]
        if n in aliases:
            n = aliases[n]
            reasons[printed].append("--aliases")
        norm[printed] = n
    years: dict[str, set[int]] = {}
    for printed, n in norm.items():
        years.setdefault(n, set()).update(years_by_name[printed])
    target = {}
    candidates = _candidates(years)
    for short in years:
        fits = [full for full in candidates(short) if short_for(short, full)]
        clash = [f for f in fits if years[f] & years[short]]
        if len(fits) == 1 and not clash:
            target[short] = fits[0]
        elif fits:
            why = ("both have a report for one year" if clash
                   else "more than one full name fits; say which with --aliases")
            out.kept_apart.append(Merge(short, "; ".join(sorted(fits)), why))
    for printed, n in norm.items():
        agency = n
        while agency in target:  # 科委 -> 科学技术委员会 -> 上海市科学技术委员会
            agency = target[agency]
        if agency != n:
            reasons[printed].append(f"short name of {agency}")
        out.agency_of[printed] = agency
        if reasons[printed]:
            out.merges.append(Merge(printed, agency, "; ".join(reasons[printed])))
    out.merges.sort(key=lambda m: (m.agency, m.name))
    return out


def _candidates(names):
    """A function giving the names `short` may stand for: those ending in it after a place, and
    those sharing its first two characters and holding each of its characters (an index, so
    that thousands of agencies of one city are not compared pair by pair)."""
    by_suffix: dict[str, set[str]] = {}
    by_char: dict[tuple[str, str], set[str]] = {}
    for full in names:
        for i in range(1, len(full)):
            if _PLACE_END.search(full[:i]):
                by_suffix.setdefault(full[i:], set()).add(full)
        for ch in set(full):
            by_char.setdefault((full[:2], ch), set()).add(full)

    def candidates(short: str) -> list[str]:
        sets = sorted((by_char.get((short[:2], ch), set()) for ch in set(short)), key=len)
        found = set.intersection(*sets) if sets else set()
        return sorted((found | by_suffix.get(short, set())) - {short})
    return candidates


def short_for(short: str, full: str) -> bool:
    """Is `short` a short form of `full` (an abbreviation, or `full` without its leading place)?"""
    if len(short) >= len(full) or len(short) < 4:
        return False
    if full.endswith(short) and _PLACE_END.search(full[: -len(short)]):
        return True
    return short[:2] == full[:2] and short[-1] in full[-3:] and _subsequence(short, full)


def _subsequence(short: str, full: str) -> bool:
    chars = iter(full)
    return all(ch in chars for ch in short)


def _why_normalised(printed: str) -> str:
    n = re.sub(r"\s+", "", unicodedata.normalize("NFKC", printed)).strip(_TRAILING)
    reasons = ["spaces, punctuation or full-width characters"] if n != printed else []
    if normalise(printed) != n:
        reasons.append("…人民政府办公室 counted as …人民政府")
    return "; ".join(reasons)
