"""Saved web pages (.html/.htm): the article body's paragraphs and tables, in reading order.

Government pages wrap a report in navigation, menus, share bars and footers. The reader drops
scripts, styles and navigation, then keeps the article body when one is recognisable (the
smallest element holding most of the page's non-link text), else the whole body. Tables become
grids with rowspan/colspan resolved; a table that only lays out the page (it holds other tables,
or has a single column) is read as the text it contains.

Hostile pages: entities declared in a DOCTYPE are never expanded and nothing is fetched (the
declarations are dropped with a warning); a page nested deeper than libxml2 parses (256
levels, where it silently stops reading) is refused rather than read in part.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree

from ..document import Document, DocumentBuilder
from ..errors import UnreadableFile
from ..limits import Limits, check_text_length
from .cjk import drop_cjk_spaces, join_pieces
from .encoding import decode, refuse_binary_text
from .spans import MAX_SPAN, GridBudget, clamp_span
from .registry import reader


@dataclass(frozen=True)
class HtmlSettings:
    # A child holding at least this share of its parent's non-link text is "the body" rather
    # than one part of it; the search descends while a child qualifies.
    body_share: float = 0.8
    # A block whose text is mostly link text (menus, related-article lists) is navigation.
    max_link_share: float = 0.6

    def __post_init__(self):
        if not 0.5 <= self.body_share <= 1:
            raise ValueError("HtmlSettings.body_share must be in [0.5, 1]")
        if not 0 < self.max_link_share <= 1:
            raise ValueError("HtmlSettings.max_link_share must be in (0, 1]")


# Never content.
DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
             "canvas", "select", "option", "button", "input", "textarea", "head", "map",
             "nav", "aside", "footer", "audio", "video")
# These start a new paragraph; everything else is inline.
BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5",
              "h6", "section", "article", "main", "header", "blockquote", "pre", "hr", "center",
              "form", "address", "figure", "figcaption", "caption", "fieldset", "legend",
              "details", "summary", "body", "tr", "td", "th", "table", "tbody", "thead", "tfoot"}
# class/id words of page furniture, matched as whole words ("mainNav", "nav-bar"; not "canvas")
FURNITURE_WORDS = {"nav", "navbar", "menu", "footer", "foot", "breadcrumb", "breadcrumbs", "crumb",
                   "crumbs", "sidebar", "share", "copyright", "toolbar", "topbar", "skip",
                   "position", "location", "weizhi", "dqwz"}
CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([a-zA-Z0-9_\-]+)""", re.I)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
SUBSET_END = re.compile(r"\]\s*>")
# libxml2 stops parsing, silently, below this depth unless huge_tree is on (which we never set).
MAX_DEPTH = 256


@reader("html", suffixes=(".html", ".htm", ".shtml", ".xhtml"))
def read_html(path: Path, settings: HtmlSettings | None = None,
              limits: Limits | None = None) -> Document:
    data = path.read_bytes()
    text, _ = decode(data, declared_charset(data))
    check_text_length(len(text), limits or Limits())
    refuse_binary_text(text, path.name)
    return html_to_document(text, str(path), settings)


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> (or an XML declaration), if any."""
    head = data[:8192]
    m = CHARSET.search(head) or XML_ENCODING.search(head)
    return m.group(1).decode("ascii") if m else None


def html_to_document(text: str, source: str = "", settings: HtmlSettings | None = None) -> Document:
    builder = DocumentBuilder("html", source)
    text, entities = strip_doctype_subset(text)
    if entities:
        builder.warn("the page declares entities in its DOCTYPE: they were not expanded")
    for item in html_items(text, settings):
        if item[0] == "p":
            builder.add_paragraph(item[1])
        else:
            builder.add_table(item[1], spans=item[2])
    if not builder.blocks:
        builder.warn("the page holds no text (an empty page, or content loaded by script)")
    return builder.build()


def html_items(text: str, settings: HtmlSettings | None = None) -> list[tuple]:
    """The page's ("p", text) and ("table", rows, spans) items in reading order."""
    settings = settings or HtmlSettings()
    root = parse_html(text)
    body = root.find("body")
    if body is None:
        body = root
    clean(body)
    lengths = text_lengths(body)
    content = find_body(body, lengths, settings)
    flow = Flow(lengths, settings)
    if content is not body:
        title = title_before(content) or page_title(root)
        if title:
            flow.items.append(("p", title))
    flow.root = content
    flow.walk(content)
    flow.flush()
    return flow.items


def strip_doctype_subset(text: str) -> tuple[str, bool]:
    """The page without an XML declaration and a DOCTYPE's internal subset (entity
    declarations), and whether it had one. The HTML parser would show the subset as text."""
    text = XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1)
    at = _skip_comments(text)
    if text[at:at + 9].upper() != "<!DOCTYPE":
        return text, False
    opening, close = text.find("[", at), text.find(">", at)
    if opening < 0 or (0 <= close < opening):
        return text, False  # a DOCTYPE without an internal subset
    end = SUBSET_END.search(text, opening)
    return (text[end.end():], True) if end else (text, False)


def _skip_comments(text: str) -> int:
    """Where the first markup that is not a comment starts (plain loops: no regex backtracking)."""
    at = 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if not text.startswith("<!--", at):
            return at
        end = text.find("-->", at + 4)
        if end < 0:
            return at
        at = end + 3


def html_parser():
    # Stated, not left to defaults: no network, libxml2's size and depth limits on. One parser
    # per page: its error log tells whether a limit cut the page short.
    return lxml.html.HTMLParser(no_network=True, huge_tree=False, decompress=False)


def parse_html(text: str):
    # lxml refuses str input that carries an XML encoding declaration; it is decoded already.
    text, _ = strip_doctype_subset(text)
    text = text.replace("\x00", "")
    if not text.strip():
        raise UnreadableFile("empty HTML page: the file holds no markup or text", "empty_html")
    parser = html_parser()
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as e:
        raise UnreadableFile(f"not readable as HTML ({e})", "bad_html")
    check_parsed(root, parser)
    return root


def parse_fragment(markup: str):
    """An HTML snippet (a table in Markdown) under one <div>, with the checks of `parse_html`."""
    parser = html_parser()
    root = lxml.html.fragment_fromstring(markup, create_parent="div", parser=parser)
    check_parsed(root, parser)
    return root


def check_parsed(root, parser) -> None:
    """Refuse a tree the parser cut short, or one too deep to walk."""
    for e in parser.error_log:
        if e.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in e.message:
            if "depth" in e.message.lower():
                raise too_deep()
            raise UnreadableFile(f"the page breaks an HTML parser limit ({e.message.strip()})",
                                 "html_too_large")
    depth = 0  # libxml2 builds without the cap would hand over any depth
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > MAX_DEPTH:
            raise too_deep()


def too_deep() -> UnreadableFile:
    return UnreadableFile(f"the page nests elements more than {MAX_DEPTH} deep (broken or hostile "
                          "markup): the HTML parser stops there, so its text would be cut off",
                          "too_deeply_nested")


def clean(body) -> None:
    """Drop scripts, styles, comments and navigation in place (their tail text stays)."""
    for el in list(body.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop(el)
    for el in list(body.iter(*DROP_TAGS)):
        _drop(el)
    for el in list(body.iter("header")):
        if not any(a.tag in ("article", "main") for a in el.iterancestors()):
            _drop(el)


def _drop(el) -> None:
    if el.getparent() is not None:
        el.drop_tree()


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def text_lengths(body) -> dict:
    """For every element: (non-space characters of its text, those inside links)."""
    lengths: dict = {}

    def visit(el, in_link: bool) -> tuple[int, int]:
        link = in_link or _tag(el) == "a"
        n = _count(el.text)
        n_link = n if link else 0
        for child in el:
            cn, cl = visit(child, link)
            tail = _count(child.tail)
            n += cn + tail
            n_link += cl + (tail if link else 0)
        lengths[el] = (n, n_link)
        return n, n_link

    visit(body, False)
    return lengths


def _count(s: str | None) -> int:
    return len("".join(s.split())) if s else 0


def find_body(body, lengths: dict, settings: HtmlSettings):
    """The smallest element holding most of the page's non-link text (or the body itself)."""
    node = body
    while True:
        total = _plain(lengths, node)
        children = [c for c in node if _tag(c)]
        if not total or not children:
            return node
        best = max(children, key=lambda c: _plain(lengths, c))
        if _plain(lengths, best) < settings.body_share * total:
            return node
        if _tag(best) == "table" and not is_layout_table(best):
            return node  # a data table is part of the body, not the body
        if _tag(best) in ("p", "span", "font", "a", "b", "strong", "li"):
            return node
        node = best


def _plain(lengths: dict, el) -> int:
    n, n_link = lengths.get(el, (0, 0))
    return n - n_link


HEADINGS = ("h1", "h2", "h3")


def title_before(content) -> str | None:
    """The nearest heading before the article body (its title), searching up three levels."""
    node = content
    for _ in range(3):
        for sib in node.itersiblings(preceding=True):
            for el in reversed(list(sib.iter())):
                if _tag(el) in HEADINGS or (_tag(el) and "title" in (el.get("class") or "").lower()):
                    text = " ".join(el.text_content().split())
                    if 4 <= len(text) <= 150:
                        return text
        node = node.getparent()
        if node is None:
            return None
    return None


def page_title(root) -> str | None:
    el = root.find(".//title")
    if el is None:
        return None
    text = " ".join(el.text_content().split())
    return text or None


def is_layout_table(table) -> bool:
    """A table that lays out the page rather than holding data: it nests tables, or is one column."""
    if any(True for _ in table.iterdescendants("table")):
        return True
    rows = table_rows(table)
    return max((len(cells_of(tr)) for tr in rows), default=0) <= 1


def table_rows(table) -> list:
    """The table's own rows (not those of tables nested in its cells)."""
    rows = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows += [tr for tr in child if _tag(tr) == "tr"]
    return rows


def cells_of(tr) -> list:
    return [c for c in tr if _tag(c) in ("td", "th")]


def _span(el, name: str, limit: int) -> int:
    try:
        n = int(re.match(r"\s*(\d{1,9})", el.get(name, "1")).group(1))  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        return 1
    return min(clamp_span(n), limit)


def table_grid(table, cell_text) -> tuple[list[list[str | None]], list[tuple[int, int, int, int]]]:
    """The HTML table model: rows of cell texts with covered positions None, and the spans."""
    trs = table_rows(table)
    taken: dict[tuple[int, int], bool] = {}
    placed: list[tuple[int, int, int, int, str]] = []
    budget = GridBudget("an HTML")
    for r, tr in enumerate(trs):
        c = 0
        for td in cells_of(tr):
            while taken.get((r, c)):
                c += 1
            rs = _span(td, "rowspan", len(trs) - r)
            cs = _span(td, "colspan", MAX_SPAN)
            budget.take(rs * cs)
            for rr in range(r, r + rs):
                for cc in range(c, c + cs):
                    taken[(rr, cc)] = True
            placed.append((r, c, rs, cs, cell_text(td)))
            c += cs
    n_cols = max((c + cs for _, c, _, cs, _ in placed), default=0)
    budget.check(n_cols * len(trs))  # ragged rows are filled out to the widest
    rows: list[list[str | None]] = [[None] * n_cols for _ in trs]
    spans = []
    for r, c, rs, cs, text in placed:
        rows[r][c] = text
        if rs > 1 or cs > 1:
            spans.append((r, c, rs, cs))
    # Positions no cell covers (ragged rows) are empty cells, not merges.
    for r, row in enumerate(rows):
        for c in range(n_cols):
            if row[c] is None and not taken.get((r, c)):
                row[c] = ""
    return rows, spans


class Flow:
    """Walks elements, collecting paragraphs ("p", text) and tables ("table", rows, spans)."""

    def __init__(self, lengths: dict, settings: HtmlSettings):
        self.lengths = lengths
        self.settings = settings
        self.items: list[tuple] = []
        self._buf: list[str] = []
        self.root = None  # the element walked first: the body found, never itself navigation

    def text(self, s: str | None) -> None:
        if s:
            self._buf.append(s)

    def flush(self) -> None:
        if self._buf:
            text = drop_cjk_spaces(" ".join("".join(self._buf).split())).strip()
            self._buf = []
            if text:
                self.items.append(("p", text))

    def walk(self, el) -> None:
        tag = _tag(el)
        if not tag:
            return
        if tag == "br":
            self.flush()
            return
        if tag == "table" and not is_layout_table(el):
            self.flush()
            for caption in el.iterchildren("caption"):
                self.walk(caption)
            rows, spans = table_grid(el, self.cell_text)
            if rows:
                self.items.append(("table", rows, spans))
            return
        if tag in BLOCK_TAGS and el is not self.root and self.is_navigation(el):
            return
        block = tag in BLOCK_TAGS
        if block:
            self.flush()
        self.text(el.text)
        for child in el:
            self.walk(child)
            self.text(child.tail)
        if block:
            self.flush()

    def is_navigation(self, el) -> bool:
        """A link list (menu, related links) or a block named like page furniture."""
        n, n_link = self.lengths.get(el, (0, 0))
        if n and n_link >= self.settings.max_link_share * n and _n_links(el) >= 2:
            return True
        name = f"{el.get('class') or ''} {el.get('id') or ''}"
        words = {w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name)}
        return bool(words & FURNITURE_WORDS) and not any(True for _ in el.iter("table"))

    def cell_text(self, td) -> str:
        """A cell's text on one line: its paragraphs joined (no space between CJK)."""
        sub = Flow(self.lengths, self.settings)
        sub.text(td.text)
        for child in td:
            sub.walk(child)
            sub.text(child.tail)
        sub.flush()
        parts = []
        for item in sub.items:
            if item[0] == "p":
                parts.append(item[1])
            else:  # a table inside a data cell (rare): its cells in reading order
                parts += [t for row in item[1] for t in row if t]
        return join_pieces(parts)


def _n_links(el) -> int:
    return sum(1 for _ in el.iter("a"))
