"""Title, issuing agency and year of a report. Placeholder."""
from __future__ import annotations


def find_metadata(doc, sections) -> dict:
    return {"title": None, "agency": None, "year": None}
