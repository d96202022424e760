"""Assemble the record of ../shared/spec/output.md from a document's parts."""
from __future__ import annotations

from .document import Document
from .sections import find_sections
from .tables import extract_tables
from .metadata import find_metadata
from .checks import run_checks


def build_record(doc: Document, sha256: str | None = None, model=None, figures: bool = True) -> dict:
    sections = find_sections(doc)
    tables = extract_tables(doc, sections)
    meta = find_metadata(doc, sections)
    record = {
        "source": doc.source,
        "sha256": sha256,
        "format": doc.format,
        "title": meta.get("title"),
        "agency": meta.get("agency"),
        "year": meta.get("year"),
        "template": tables.template,
        "values": tables.values,
        "cells": tables.cells,
        "figures": [],
        "checks": run_checks(tables.values, tables.template),
        # The narrative against the tables: not a template.md rule, so kept apart from `checks`
        # (an addition to spec/output.md; gold `failing_rules` count template rules only).
        "narrative_checks": [],
        "warnings": list(doc.warnings) + list(tables.warnings),
    }
    if figures:  # narrative figures (issue 3): by the model, or by the rules when model is None
        from .figures import find_figures
        try:
            record["figures"], record["narrative_checks"] = find_figures(
                doc, sections, model, tables.values)
        except Exception as e:  # the tables stand without the figures: keep them, say why
            record["warnings"].append(f"narrative figures failed: {type(e).__name__}: {e}")
    record["warnings"] += completeness_warnings(record, sections)
    return record


def all_checks(record: dict) -> list[dict]:
    """The template's rules and the narrative-vs-table checks of a record, in that order."""
    return list(record.get("checks") or []) + list(record.get("narrative_checks") or [])


TABLE_PREFIXES = {
    "table 2 (主动公开政府信息情况)": ("proactive.",),
    "table 3 (收到和处理政府信息公开申请情况)": ("requests.",),
    "table 4 (行政复议、行政诉讼情况)": ("review.", "litigation."),
}


def completeness_warnings(record: dict, sections) -> list[str]:
    """Say which template tables a readable text lacks, or that it is not a report at all."""
    keys = record["values"].keys()
    missing = [name for name, prefixes in TABLE_PREFIXES.items()
               if not any(k.startswith(prefixes) for k in keys)]
    if len(missing) < len(TABLE_PREFIXES):
        return [f"missing {name}: no values found" for name in missing]
    looks_like_report = bool(sections) or "年度报告" in (record.get("title") or "")
    if not looks_like_report and not record["figures"]:
        return ["not an annual report: no template table, no report heading and no figure found"]
    return ["missing all three template tables: only the narrative was read"]
