"""Review pages: one report with its numbers marked (`page`), and a batch summary (`summary`)."""
from __future__ import annotations

from .names import review_page_name
from .page import render_page, write_review_page
from .summary import write_summary

__all__ = ["review_page_name", "render_page", "write_review_page", "write_summary"]
