"""How a report's text is shown to an annotator: the same characters at the same offsets, with
a table printed one cell per line laid out as rows.

A crawler's or converter's text often prints a table one cell a line ("规章", "0", "30", "0",
each on its own line, often with blank lines between): unreadable in the labeling view. The
shown text joins each value cell onto the line before it — the line break becomes a tab — so a
row reads "规章 0 30 0", and drops blank lines between cell lines (they become zero-width
spaces). Nothing else changes and the length is the same, so every offset Label Studio records in the shown text is an
offset of the document text (`xxgk text`), which the task carries beside it (`document`).
"""
from __future__ import annotations

import re

# A line that holds one value cell: a number, or a mark of a blank cell.
VALUE_CELL = re.compile(r"[0-9０-９][0-9０-９.,，%％]*|[-—–/／]+")
# A line that can be a table cell: short, not a sentence.
CELL_CHARS = 40
SENTENCE_END = "。；;"
TAB, ZERO_WIDTH = "\t", "\u200b"

# Task data keys: what Label Studio shows (the config's $text) and the text offsets index.
SHOWN, DOCUMENT = "text", "document"


def shown_text(text: str) -> str:
    """`text` as the annotator sees it: each value cell joined onto the cell line before it,
    and no blank lines between cell lines."""
    chars = list(text)
    cell_end = None  # end of the last non-blank line when that line is a cell
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        content = line.strip()
        if not content:
            continue
        is_cell = len(content) <= CELL_CHARS and not any(c in content for c in SENTENCE_END)
        first = start + len(line) - len(line.lstrip())  # only blanks from cell_end to here
        if cell_end is not None and VALUE_CELL.fullmatch(content):
            chars[cell_end:first] = TAB + ZERO_WIDTH * (first - cell_end - 1)
        elif cell_end is not None and is_cell and text.count("\n", cell_end, first) > 1:
            chars[cell_end:first] = "\n" + ZERO_WIDTH * (first - cell_end - 1)
        cell_end = start + len(line.rstrip()) if is_cell else None
    return "".join(chars)


def task_data(text: str) -> dict:
    """The text part of a task's data: what is shown, and the document text when it differs."""
    shown = shown_text(text)
    return {SHOWN: shown, DOCUMENT: text} if shown != text else {SHOWN: text}


def document_text(data: dict):
    """The document text of a task's data (the text offsets index; None when there is none)."""
    return data.get(DOCUMENT, data.get(SHOWN))
