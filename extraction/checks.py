"""Consistency rules (勾稽关系) of template.md. Placeholder."""
from __future__ import annotations


def run_checks(values: dict, template: str | None) -> list[dict]:
    return []
