"""Markdown made from PDFs by converters (MinerU, Docling, Marker, ...).

Pipe tables become Table blocks and everything else stays a paragraph, in order. Converters
break tables apart: a run of pipe rows often holds several tables (each `|---|` separator marks
the row before it as the header of a new one), rows lose their labels to loose lines around
them, and row widths vary. The reader keeps each table as the converter wrote it (separator rows
dropped, cells stripped) and the loose lines as paragraphs, so the table parser sees rows and
lines in their original order. HTML tables embedded in the Markdown (MinerU writes them) are
read as HTML tables.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..document import Document, DocumentBuilder
from ..limits import Limits, check_text_length
from .cjk import join_pieces
from .encoding import decode, refuse_binary_text
from .pdf_text import LIST_MARKER
from .spans import GridBudget
from .registry import reader

SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
IMAGE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")
BOLD = re.compile(r"(\*\*|__)(.+?)\1")
BR = re.compile(r"<br\s*/?>", re.I)


@dataclass(frozen=True)
class MarkdownSettings:
    # Converters keep the PDF's line wraps and drop the blank lines between paragraphs. A line
    # at least this share of the usual full line width is taken to wrap into the next one.
    wrap_share: float = 0.85
    join_wrapped_lines: bool = True

    def __post_init__(self):
        if not 0 < self.wrap_share <= 1:
            raise ValueError("MarkdownSettings.wrap_share must be in (0, 1]")


@reader("md", suffixes=(".md", ".markdown"))
def read_markdown(path: Path, settings: MarkdownSettings | None = None,
                  limits: Limits | None = None) -> Document:
    text, _ = decode(path.read_bytes())
    check_text_length(len(text), limits or Limits())
    refuse_binary_text(text, path.name)
    return markdown_to_document(text.lstrip("\ufeff"), str(path), settings)


def markdown_to_document(text: str, source: str = "", settings: MarkdownSettings | None = None) -> Document:
    settings = settings or MarkdownSettings()
    builder = DocumentBuilder("md", source)
    items = parse_items(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    full = full_width([it[1] for it in items if it[0] == "line"])
    paragraph: list[str] = []

    def flush():
        if paragraph:
            builder.add_paragraph(join_pieces(paragraph))
            paragraph.clear()

    for item in items:
        if item[0] == "line":
            if paragraph and not (settings.join_wrapped_lines and wraps(paragraph[-1], item[1], full, settings)):
                flush()
            paragraph.append(item[1])
        else:
            flush()
            if item[0] == "table":
                # A converter's short row has no cells past its end: none is an empty cell
                # ("| 规章 | 12517 |" under four columns is one run, not a value and two blanks).
                builder.add_table(item[1], spans=item[2], exact_cells=False, fill_short_rows=False)
            elif item[0] == "html":
                add_html_tables(builder, item[1])
    flush()
    if not builder.blocks:
        builder.warn("the file holds no text")
    return builder.build()


def parse_items(lines: list[str]) -> list[tuple]:
    """("line", text), ("break",), ("table", rows, spans) and ("html", markup), in order."""
    items: list[tuple] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if is_pipe_row(line) or is_separator(line):
            run = []
            while i < len(lines) and (is_pipe_row(lines[i]) or is_separator(lines[i])):
                run.append(lines[i])
                i += 1
            for rows in split_tables(run):
                GridBudget("a Markdown").check(len(rows) * max(map(len, rows)))
                items.append(("table", rows, []))
            continue
        i += 1
        if "<table" in line.lower():
            chunk = [line]
            while "</table>" not in chunk[-1].lower() and i < len(lines):
                chunk.append(lines[i])
                i += 1
            items.append(("html", "\n".join(chunk)))
        elif not line.strip() or IMAGE.match(line):
            items.append(("break",))
        elif HEADING.match(line):
            items += [("break",), ("line", clean_line(line)), ("break",)]
        else:
            items.append(("line", clean_line(line)))
    return items


def clean_line(line: str) -> str:
    return BOLD.sub(r"\2", HEADING.sub("", line)).strip()


def is_separator(line: str) -> bool:
    return bool(line.strip()) and bool(SEPARATOR.match(line.strip()))


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def full_width(lines: list[str]) -> float:
    """The usual width of a full line (90th percentile), in half-width characters."""
    widths = sorted(display_width(t) for t in lines)
    return widths[(len(widths) * 9) // 10] if widths else 0


SENTENCE_END = tuple("。！？!?")


def wraps(prev: str, nxt: str, full: float, settings: MarkdownSettings) -> bool:
    """Does `prev` wrap into `nxt` (one paragraph broken at the page's right margin)?"""
    width = display_width(prev)
    if not full or width < settings.wrap_share * full or LIST_MARKER.match(nxt):
        return False
    # A line ending a sentence a little short of full width ends its paragraph.
    return not (prev.endswith(SENTENCE_END) and width < 0.95 * full)


def is_pipe_row(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") and s.count("|") >= 2 and not SEPARATOR.match(s)


def split_cells(line: str) -> list[str]:
    """The cells of a pipe row: split on unescaped pipes, outer pipes dropped, cells stripped."""
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells = re.split(r"(?<!\\)\|", s)
    return [join_pieces(BR.split(c.replace("\\|", "|"))) for c in cells]


def split_tables(run: list[str]) -> list[list[list[str]]]:
    """A run of pipe lines -> tables: a row followed by a separator starts a new table."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for k, line in enumerate(run):
        if SEPARATOR.match(line.strip()):
            continue
        header = k + 1 < len(run) and SEPARATOR.match(run[k + 1].strip())
        if header and current:
            tables.append(current)
            current = []
        current.append(split_cells(line))
    if current:
        tables.append(current)
    return tables


def add_html_tables(builder: DocumentBuilder, chunk: str) -> None:
    from .html import Flow, HtmlSettings, parse_fragment, table_grid, text_lengths
    try:
        root = parse_fragment(chunk)
    except Exception:  # not parseable (or nested too deep): keep the markup as text, not lose it
        builder.add_paragraph(chunk)
        return
    lengths = text_lengths(root)
    flow = Flow(lengths, HtmlSettings())
    for table in root.iter("table"):
        if any(True for _ in table.iterancestors("table")):
            continue
        rows, spans = table_grid(table, flow.cell_text)
        builder.add_table(rows, spans=spans, exact_cells=False)  # a converter's cells
    rest = join_pieces(t for t in (root.text, *(el.tail for el in root)) if t)
    if rest:
        builder.add_paragraph(rest)
