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
        "warnings": list(doc.warnings) + list(tables.warnings),
    }
    return record
