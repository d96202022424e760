"""The record of one report (docs/record.md), as typed objects, and its assembly from a document.

`Record.to_json()` is exactly the JSON line `xxgk extract` writes; `Record.from_json()` reads one
back. Every class keeps keys it does not know in `extra` (written after the known ones), so a
record written by a newer xxgk survives a round trip; adding a field is one line in its class.
Fields listed in a class's OPTIONAL are written only when they are not None.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field, fields
from typing import Any, ClassVar

from .document import Document
from .ocr_confidence import add_ocr_confidence


class JsonObject:
    """to_json()/from_json() for the dataclasses below: known fields in order, then `extra`."""
    OPTIONAL: ClassVar[tuple[str, ...]] = ()
    NESTED: ClassVar[dict[str, Any]] = {}   # field -> how to read it: C, [C] or {str: C}

    def to_json(self) -> dict:
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "extra" or (f.name in self.OPTIONAL and value is None):
                continue
            out[f.name] = _dump(value)
        out.update(self.extra)
        return out

    @classmethod
    def from_json(cls, raw: dict):
        known = {f.name for f in fields(cls)} - {"extra"}
        kwargs = {k: _load(cls.NESTED.get(k), v) for k, v in raw.items() if k in known}
        return cls(**kwargs, extra={k: v for k, v in raw.items() if k not in known})


def _dump(value):
    if isinstance(value, JsonObject):
        return value.to_json()
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


def _load(kind, value):
    if kind is None or value is None:
        return value
    if isinstance(kind, list):
        return [kind[0].from_json(v) for v in value]
    if isinstance(kind, dict):
        (cls,) = kind.values()
        return {k: cls.from_json(v) for k, v in value.items()}
    return kind.from_json(value)


@dataclass
class Cell(JsonObject):
    """Where a value came from: the raw cell text and its span in the document's text."""
    raw: str | None = None
    page: int | None = None
    start: int | None = None
    end: int | None = None
    inferred: bool | None = None     # True: the print was ambiguous and the rules left one reading
    # read | blank (printed blank) | inferred | not_read (lost in the print: unknown, not blank)
    status: str | None = None
    ocr_score: float | None = None   # a scan: the OCR engine's confidence in the printed value
    ocr_flag: str | None = None      # a scan: why a person should check the value (ocr_confidence)
    extra: dict = dc_field(default_factory=dict)
    OPTIONAL: ClassVar = ("inferred", "status", "ocr_score", "ocr_flag")


@dataclass
class Figure(JsonObject):
    """A narrative figure (annotation.md): the quantity, its item, value, unit and field."""
    item: str | None = None
    qty: str | None = None
    value: float | int | None = None
    unit: str | None = None
    approx: bool | None = None
    field: str | None = None
    start: int | None = None
    end: int | None = None
    item_start: int | None = None
    item_end: int | None = None
    score: float | None = None
    by: str | None = None            # "model" or "rule"
    field_score: float | None = None  # the field classifier's probability of `field` (of "no
                                      # field" when None); absent where a rule decided
    ocr_score: float | None = None   # a scan: as Cell
    ocr_flag: str | None = None
    extra: dict = dc_field(default_factory=dict)
    OPTIONAL: ClassVar = ("field_score", "ocr_score", "ocr_flag")


@dataclass
class Check(JsonObject):
    """A consistency rule evaluated on the values (template rules), or a narrative figure against
    the tables (narrative checks: with the figure's span and the table keys compared)."""
    rule: str | None = None
    key: str | None = None
    ok: bool | None = None
    left: Any = None
    right: Any = None
    detail: str | None = None
    blanks_as_zero: bool | None = None
    start: int | None = None
    end: int | None = None
    table_keys: list | None = None
    not_checked: str | None = None   # why a rule was not checked (a cell it needs was not read)
    extra: dict = dc_field(default_factory=dict)
    OPTIONAL: ClassVar = ("blanks_as_zero", "start", "end", "table_keys", "not_checked")


@dataclass
class ErrorInfo(JsonObject):
    """Why a report could not be read (type: a short name such as unreadable_pdf)."""
    type: str = ""
    message: str = ""
    extra: dict = dc_field(default_factory=dict)


@dataclass
class Readings(JsonObject):
    """The readings of a row left `not_read` because its printed digits split several ways
    (`58214360`: 58/214/360, 5/82/14360 …): each a list of values for `keys`, the likeliest
    first; `ranked_by` names what ranked them. None is filled in; a person picks."""
    keys: list = dc_field(default_factory=list)
    values: list = dc_field(default_factory=list)
    ranked_by: str | None = None
    more: int | None = None          # further readings not kept (a long run splits many ways)
    extra: dict = dc_field(default_factory=dict)
    OPTIONAL: ClassVar = ("more",)


@dataclass
class Coverage(JsonObject):
    """How many of the template cells the report's tables have were read."""
    read: int = 0
    expected: int = 0
    extra: dict = dc_field(default_factory=dict)

    @classmethod
    def of(cls, values: dict, unread: set[str]) -> Coverage:
        return cls(sum(1 for k in values if k not in unread), len(values))


@dataclass
class Record(JsonObject):
    """One report's record. An error record has `error` set and none of the other parts."""
    source: str | None = None
    sha256: str | None = None
    format: str | None = None
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    template: str | None = None
    values: dict | None = None                  # canonical key -> number (None: a blank cell)
    cells: dict[str, Cell] | None = None
    figures: list[Figure] | None = None
    checks: list[Check] | None = None
    # The narrative against the tables: not a template.md rule, so kept apart from `checks`.
    narrative_checks: list[Check] | None = None
    warnings: list[str] | None = None
    # Template cells read (a printed value, a printed blank or inferred) of those expected.
    coverage: Coverage | None = None
    # Row key -> the readings of a row its digits left ambiguous (written only when there is one).
    readings: dict[str, Readings] | None = None
    error: ErrorInfo | None = None
    extra: dict = dc_field(default_factory=dict)
    # narrative_checks, coverage: absent in older records
    OPTIONAL: ClassVar = ("narrative_checks", "coverage", "readings", "error")
    NESTED: ClassVar = {"cells": {str: Cell}, "figures": [Figure], "checks": [Check],
                        "narrative_checks": [Check], "coverage": Coverage,
                        "readings": {str: Readings}, "error": ErrorInfo}

    def to_json(self) -> dict:
        if self.error is None:
            return super().to_json()
        # An error record says only which file and why (docs/record.md).
        return {"source": self.source, "sha256": self.sha256, "error": self.error.to_json(),
                **self.extra}

    @classmethod
    def failed(cls, source: str, sha256: str | None, type: str, message: str) -> Record:
        return cls(source=source, sha256=sha256, error=ErrorInfo(type, message))

    def all_checks(self) -> list[Check]:
        """The template's rules and the narrative-vs-table checks, in that order."""
        return list(self.checks or []) + list(self.narrative_checks or [])

    def failed_checks(self) -> list[Check]:
        return [c for c in self.all_checks() if c.ok is False]


def all_checks(record: Record) -> list[Check]:
    return record.all_checks()


def build_record(doc: Document, sha256: str | None = None, model=None, figures: bool = True,
                 sections=None) -> Record:
    """`sections`: the SectionSettings to find the report's sections with (None: defaults)."""
    from .checks import cells_not_read, run_checks
    from .metadata import find_metadata
    from .sections import find_sections
    from .tables import extract_tables

    sections = find_sections(doc, sections)
    tables = extract_tables(doc, sections)
    unread = cells_not_read(tables.cells)
    meta = find_metadata(doc, sections)
    found_figures, narrative_checks = [], []
    warnings = list(doc.warnings) + list(tables.warnings) + list(meta.get("warnings") or [])
    if figures:  # narrative figures: by the model, or by the rules when model is None
        from .figures import find_figures
        try:
            found_figures, narrative_checks = find_figures(doc, sections, model, tables.values)
        except Exception as e:  # the tables stand without the figures: keep them, say why
            warnings.append(f"narrative figures failed: {type(e).__name__}: {e}")
    record = Record(
        source=doc.source, sha256=sha256, format=doc.format, title=meta.get("title"),
        agency=meta.get("agency"), year=meta.get("year"), template=tables.template,
        values=tables.values,
        cells={k: Cell.from_json(c) for k, c in tables.cells.items()},
        figures=[Figure.from_json(f) for f in found_figures],
        checks=[Check.from_json(c) for c in run_checks(tables.values, tables.template, unread)],
        narrative_checks=[Check.from_json(c) for c in narrative_checks],
        warnings=warnings, coverage=Coverage.of(tables.values, unread),
        readings={k: Readings.from_json(r) for k, r in tables.readings.items()} or None)
    record.warnings += completeness_warnings(record, sections)
    add_ocr_confidence(record, doc)  # a scan: scores, and the values to check flagged
    return record


TABLE_PREFIXES = {
    "table 2 (主动公开政府信息情况)": ("proactive.",),
    "table 3 (收到和处理政府信息公开申请情况)": ("requests.",),
    "table 4 (行政复议、行政诉讼情况)": ("review.", "litigation."),
}


def completeness_warnings(record: Record, sections) -> list[str]:
    """Say which template tables a readable text lacks, or that it is not a report at all."""
    keys = record.values.keys()
    missing = [name for name, prefixes in TABLE_PREFIXES.items()
               if not any(k.startswith(prefixes) for k in keys)]
    if len(missing) < len(TABLE_PREFIXES):
        return [f"missing {name}: no values found" for name in missing]
    looks_like_report = bool(sections) or "年度报告" in (record.title or "")
    if not looks_like_report and not record.figures:
        return ["not an annual report: no template table, no report heading and no figure found"]
    return ["missing all three template tables: only the narrative was read"]
