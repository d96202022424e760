"""Word documents (.docx): paragraphs and tables in document order.

The body XML is walked directly (python-docx's `paragraphs` and `tables` lists lose the order
between them). Merged cells come from `w:gridSpan` (across) and `w:vMerge` (down); list numbers
that Word generates ("一、") are written into the text; deleted tracked changes and the fallback
copies of drawing content are skipped.

Hostile packages: python-docx reads only the parts the relationships reach, from the zip in
memory (nothing is extracted to disk, member paths like `../../x` are never used), and parses
XML without expanding entities or fetching anything. A document.xml that declares a DTD is
refused: Word never writes one, and its entity references would leave holes in the text.
"""
from __future__ import annotations

import email
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx.oxml.ns import qn
from lxml import etree

from ..document import Document, DocumentBuilder
from ..errors import UnreadableFile
from .cjk import join_pieces
from .numbering import Numbering
from .spans import MAX_SPAN, GridBudget, clamp_span
from .registry import reader

W_P, W_TBL, W_TR, W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
W_T, W_TAB, W_BR, W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
W_DEL, W_TXBX, W_ALTCHUNK = qn("w:del"), qn("w:txbxContent"), qn("w:altChunk")
W_NOBREAK_HYPHEN, W_SOFT_HYPHEN = qn("w:noBreakHyphen"), qn("w:softHyphen")
# Containers whose children are paragraphs and tables as if they stood in the parent.
TRANSPARENT = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:smartTag"),
               qn("w:ins"), qn("w:moveTo")}
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
SKIP = {W_DEL, qn("w:moveFrom"), MC_FALLBACK, qn("w:pPr"), qn("w:rPr"), qn("w:instrText"),
        qn("w:delText")}


@reader("docx", suffixes=(".docx",))
def read_docx(path: Path, format: str = "docx", source: str | None = None) -> Document:
    document = open_docx(path)
    try:
        return docx_to_document(document, format, source if source is not None else str(path))
    except etree.XMLSyntaxError as e:  # a part parsed on demand (numbering, styles) is broken
        raise xml_error(e)


def docx_to_document(document, format: str, source: str) -> Document:
    builder = DocumentBuilder(format, source)
    numbering = Numbering(document)
    ctx = Context(numbering, document.part)
    for kind, item in iter_blocks(document.element.body, ctx):
        if kind == "p":
            builder.add_paragraph(item)
        else:
            rows, spans = item
            builder.add_table(rows, spans=spans)
    for message in ctx.warnings:
        builder.warn(message)
    if numbering.unknown_formats:
        builder.warn("list numbers in unknown styles written as decimals: "
                     + ", ".join(sorted(numbering.unknown_formats)))
    if not builder.blocks:
        builder.warn("the document holds no text")
    return builder.build()


def open_docx(path: Path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    try:
        document = docx.Document(str(path))
    except PackageNotFoundError:
        raise UnreadableFile("not a Word document: the file is not a DOCX package "
                             "(re-save it as .docx, or check the download is complete)", "not_docx")
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as e:
        raise UnreadableFile(f"not a DOCX: the zip container is damaged ({e})", "not_docx")
    except KeyError as e:
        raise UnreadableFile(f"incomplete DOCX: a required part is missing ({e})", "not_docx")
    except etree.XMLSyntaxError as e:
        raise xml_error(e)
    except ValueError as e:
        # python-docx refuses packages of another type (a spreadsheet named .docx)
        raise UnreadableFile(f"damaged DOCX: its XML does not parse ({e})", "not_docx")
    if document.element.getroottree().docinfo.internalDTD is not None:
        raise UnreadableFile("DOCX refused: its document.xml declares a DTD (entities), which Word "
                             "never writes; a crafted or converted file: re-save it in Word or "
                             "LibreOffice", "xml_entities")
    return document


def xml_error(e: etree.XMLSyntaxError) -> UnreadableFile:
    message = str(e).lower()
    if "amplification" in message or "entity reference loop" in message:  # "billion laughs"
        return UnreadableFile(f"DOCX refused: its XML declares entities that would expand "
                              f"without bound ({e})", "xml_entities")
    if "excessive depth" in message:
        return UnreadableFile(f"DOCX refused: its XML nests elements too deep to read ({e})",
                              "too_deeply_nested")
    return UnreadableFile(f"damaged DOCX: its XML does not parse ({e})", "not_docx")


@dataclass
class Context:
    numbering: Numbering
    part: object          # the document part, to reach parts an altChunk points to
    warnings: list[str] = field(default_factory=list)


def iter_blocks(parent, ctx: "Context"):
    """("p", text) and ("table", (rows, spans)) for the paragraphs and tables under `parent`."""
    for child in parent:
        if child.tag == W_P:
            text, boxes = paragraph_text(child)
            yield "p", ctx.numbering.label(child) + text
            for box in boxes:  # text boxes anchored in the paragraph follow it
                yield from iter_blocks(box, ctx)
        elif child.tag == W_TBL and is_layout_table(child):
            # A page-layout table (a web page saved as DOCX: the article in one cell, its data
            # tables nested inside): its cells are the document's flow, not data.
            for tr in _children(child, W_TR):
                for tc in _children(tr, W_TC):
                    yield from iter_blocks(tc, ctx)
        elif child.tag == W_TBL:
            yield "table", table_grid(child, ctx)
        elif child.tag in TRANSPARENT:
            yield from iter_blocks(child, ctx)
        elif child.tag == W_ALTCHUNK:
            yield from alt_chunk_blocks(child, ctx)


def is_layout_table(tbl) -> bool:
    """A table that lays out the page rather than holding data: its cells nest tables."""
    return any(True for _ in tbl.iter(W_TBL) if _ is not tbl)


def paragraph_text(p) -> tuple[str, list]:
    """The paragraph's visible text, and the text-box contents found inside it."""
    parts: list[str] = []
    boxes: list = []

    def visit(el):
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in SKIP:
                continue
            if tag == W_T:
                parts.append(child.text or "")
            elif tag == W_TAB:
                parts.append("\t")
            elif tag in (W_BR, W_CR):
                parts.append("\n")
            elif tag == W_NOBREAK_HYPHEN:
                parts.append("-")
            elif tag == W_TXBX:
                boxes.append(child)
            elif tag != W_SOFT_HYPHEN:
                visit(child)

    visit(p)
    return "".join(parts), boxes


def alt_chunk_blocks(el, ctx: "Context"):
    """Content a web editor embedded as an HTML (or MHT) part: its paragraphs and tables."""
    from .encoding import decode
    from .html import html_items
    rid = el.get(qn("r:id"))
    try:
        part = ctx.part.related_parts[rid]
    except (KeyError, AttributeError):
        ctx.warnings.append(f"an embedded document part ({rid}) is missing")
        return
    content_type = getattr(part, "content_type", "")
    blob = part.blob
    if "rfc822" in content_type or blob[:2048].lower().lstrip().startswith(b"mime-version"):
        message = email.message_from_bytes(blob)
        html_parts = [m for m in message.walk() if m.get_content_type() == "text/html"]
        blob = html_parts[0].get_payload(decode=True) if html_parts else b""
    elif "html" not in content_type:
        ctx.warnings.append(f"an embedded {content_type or 'part'} was skipped")
        return
    try:
        items = html_items(decode(blob)[0])
    except UnreadableFile as e:
        ctx.warnings.append(f"an embedded HTML part was not readable: {e}")
        return
    for item in items:
        yield ("p", item[1]) if item[0] == "p" else ("table", (item[1], item[2]))


def cell_text(tc, ctx: "Context") -> str:
    """A cell's paragraphs (and any nested table's cells) joined on one line."""
    pieces = []
    for kind, item in iter_blocks(tc, ctx):
        if kind == "p":
            pieces += item.split("\n")
        else:
            pieces += [t for row in item[0] for t in row if t]
    return join_pieces(pieces)


def _int_val(el, name: str, default: int) -> int:
    found = el.find(name) if el is not None else None
    try:
        return max(int(found.get(qn("w:val"))), 0) if found is not None else default
    except (TypeError, ValueError):
        return default


def _children(el, tag) -> list:
    """Children with `tag`, looking through wrappers (content controls, custom XML) that Word
    may put around rows and cells."""
    found = []
    for child in el:
        if child.tag == tag:
            found.append(child)
        elif child.tag in TRANSPARENT:
            found += _children(child, tag)
    return found


def table_grid(tbl, ctx: "Context"):
    """Rows of cell texts (None where a merge covers the position) and the merges' spans."""
    placed: dict[tuple[int, int], list] = {}   # (row, col) -> [text, rowspan, colspan]
    covered: set[tuple[int, int]] = set()
    open_merge: dict[int, tuple[int, int]] = {}  # grid column -> origin of a vMerge running down
    trs = _children(tbl, W_TR)
    n_cols = 0
    budget = GridBudget("a Word")
    for r, tr in enumerate(trs):
        c = min(_int_val(tr.find(qn("w:trPr")), qn("w:gridBefore"), 0), MAX_SPAN)
        budget.take(c)
        for tc in _children(tr, W_TC):
            tcpr = tc.find(qn("w:tcPr"))
            span = _int_val(tcpr, qn("w:gridSpan"), 1)
            if span > MAX_SPAN:
                ctx.warnings.append(f"a table cell claims to span {span} columns: read as {MAX_SPAN}")
            span = clamp_span(span)
            budget.take(span)
            vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
            continues = vmerge is not None and vmerge.get(qn("w:val"), "continue") == "continue"
            origin = open_merge.get(c)
            if continues and origin is not None and placed[origin][2] == span:
                placed[origin][1] = r - origin[0] + 1
                covered.update((r, cc) for cc in range(c, c + span))
            else:
                placed[(r, c)] = [cell_text(tc, ctx), 1, span]
                covered.update((r, cc) for cc in range(c + 1, c + span))
                for cc in range(c, c + span):
                    open_merge.pop(cc, None)
                if vmerge is not None:  # restart
                    open_merge[c] = (r, c)
            c += span
        n_cols = max(n_cols, c)
        for col in list(open_merge):  # a merge runs only through rows that continue it
            if (r, col) not in covered and open_merge[col][0] != r:
                open_merge.pop(col)
    budget.check(n_cols * len(trs))  # short rows are filled out to the widest
    rows: list[list[str | None]] = []
    spans = []
    for r in range(len(trs)):
        row: list[str | None] = []
        for c in range(n_cols):
            if (r, c) in placed:
                text, rs, cs = placed[(r, c)]
                row.append(text)
                if rs > 1 or cs > 1:
                    spans.append((r, c, rs, cs))
            else:
                row.append(None if (r, c) in covered else "")
        rows.append(row)
    return rows, spans
