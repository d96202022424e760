"""Write real report files in every format from one list of blocks (synthetic reports, samples, tests).

A block is `("p", text)` or `("table", rows, spans[, header_rows])`: `rows` is a list of rows of
cell texts, a position covered by a merged cell is None, and `spans` lists merges as (row, col,
rowspan, colspan) of their top-left cell (the convention of `DocumentBuilder.add_table`).
`header_rows` (default 0) is how many top rows a PDF repeats after a page break. A "\\n" in a
text is a line break inside the paragraph or cell.

    write_docx(path, blocks, layout_table=False)  python-docx, merges as gridSpan / vMerge
    write_html(path, blocks, encoding="gbk", charset=None, title=None, noise=False,
               layout_table=False)               <meta charset>, optional site noise
    write_pdf(path, blocks, repeat_header_rows=0, ...)
                                                  reportlab, CJK font STSong-Light, ruled tables,
                                                  page breaks inside tables, "- n -" footers
    write_txt(path, blocks, encoding="gb18030", newline="\\r\\n", bom=False)
    write_markdown(path, blocks)                  pipe tables

Content is whatever the caller writes: invent agencies and numbers; never paste real reports.
"""
from __future__ import annotations

import html as _html
from pathlib import Path

Block = tuple


def covered_positions(rows, spans) -> set[tuple[int, int]]:
    """Grid positions covered by a merge other than its top-left cell."""
    out = set()
    for r, c, rs, cs in spans or []:
        out |= {(rr, cc) for rr in range(r, r + rs) for cc in range(c, c + cs)} - {(r, c)}
    return out


def table_parts(block):
    """(rows padded to one width, spans, number of columns, header rows) of a table block."""
    rows = block[1]
    spans = block[2] if len(block) > 2 else []
    n_cols = max((len(r) for r in rows), default=0)
    rows = [list(r) + [""] * (n_cols - len(r)) for r in rows]
    header_rows = block[3] if len(block) > 3 else None
    return rows, list(spans or []), n_cols, header_rows


# --- DOCX -------------------------------------------------------------------------------------

def write_docx(path, blocks, layout_table: bool = False) -> Path:
    """`layout_table`: everything inside the one cell of a page-layout table, the data tables
    nested in it (a web page with a layout table, saved as DOCX by an office suite)."""
    import docx

    document = docx.Document()
    into = document.add_table(rows=1, cols=1).cell(0, 0) if layout_table else document
    for block in blocks:
        if block[0] == "p":
            into.add_paragraph(block[1])
            continue
        rows, spans, n_cols, _ = table_parts(block)
        table = into.add_table(rows=len(rows), cols=n_cols)
        table.style = "Table Grid"
        # Merges written as Word stores them (gridSpan across, vMerge down): python-docx's
        # cell.merge() re-reads the whole grid on every call and is 50x slower.
        tcs = [list(row._tr.tc_lst) for row in table.rows]
        for r0, c0, rs, cs in spans:
            for r in range(r0, r0 + rs):
                tc = tcs[r][c0]
                if cs > 1:
                    tc.grid_span = cs
                    for c in range(c0 + 1, c0 + cs):
                        tc.getparent().remove(tcs[r][c])
                if rs > 1:
                    tc.vMerge = "restart" if r == r0 else "continue"
        skip = covered_positions(rows, spans)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if (r, c) not in skip and text:
                    tcs[r][c].clear_content()
                    tcs[r][c].add_p().add_r().text = text  # "\n" becomes a <w:br/>
    document.save(str(path))
    return Path(path)


# --- HTML -------------------------------------------------------------------------------------

NOISE_HEAD = """<style>.nav li{display:inline} body{font-family:SimSun}</style>
<script>var menu = "首页 | 机构概况 | 政务公开"; document.title = "脚本里的标题";</script>"""
NOISE_TOP = """<div class="top-nav"><ul><li><a href="/">首页</a></li><li><a href="/jg">机构概况</a></li>
<li><a href="/zw">政务公开</a></li><li><a href="/hd">互动交流</a></li></ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zw">政务公开</a> &gt; 年度报告</div>"""
NOISE_SIDE = """<div class="related"><h3>相关链接</h3><ul><li><a href="/a">往年年度报告目录一</a></li>
<li><a href="/b">往年年度报告目录二</a></li><li><a href="/c">往年年度报告目录三</a></li></ul></div>"""
NOISE_FOOT = """<div class="footer">主办单位：示例网站管理中心　网站标识码：0000000000　备案号：示ICP备00000000号</div>
<script>console.log("统计代码");</script>"""


def _esc(text: str) -> str:
    return _html.escape(text).replace("\n", "<br/>")


def html_table(block) -> str:
    rows, spans, _, _ = table_parts(block)
    span_at = {(r, c): (rs, cs) for r, c, rs, cs in spans}
    skip = covered_positions(rows, spans)
    out = ['<table border="1" cellspacing="0">']
    for r, row in enumerate(rows):
        out.append("<tr>")
        for c, text in enumerate(row):
            if (r, c) in skip:
                continue
            rs, cs = span_at.get((r, c), (1, 1))
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            out.append(f"<td{attrs}><p>{_esc(text or '')}</p></td>")
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def _in_layout_table(article: str) -> str:
    """The article in a page-layout table beside a column of links, as older sites build pages."""
    links = "".join(f'<p><a href="#">{t}</a></p>' for t in ("机构职能", "法规文件", "政府信息公开年报"))
    return (f'<table width="100%" class="layout"><tr><td width="20%" class="side">{links}</td>'
            f'<td class="main">{article}</td></tr></table>')


def write_html(path, blocks, encoding: str = "utf-8", title: str | None = None, noise: bool = False,
               layout_table: bool = False, charset: str | None = None) -> Path:
    """An HTML page. `noise` wraps the article in a site's navigation, scripts and footer;
    `layout_table` puts it in a page-layout table; `charset` is the declared charset when it is
    not `encoding` (pages in GB18030 often declare gbk)."""
    body = [f"<p>{_esc(b[1])}</p>" if b[0] == "p" else html_table(b) for b in blocks]
    heading = f'<h1 class="title">{_html.escape(title)}</h1>\n' if title else ""
    article = heading + f'<div class="content">{chr(10).join(body)}</div>'
    if layout_table:
        article = _in_layout_table(article)
    if noise:
        page = f'{NOISE_TOP}\n<div class="main">{NOISE_SIDE}\n<div class="article">{article}</div></div>\n{NOISE_FOOT}'
        head = NOISE_HEAD
    else:
        page, head = article, ""
    doc = (f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" '
           f'content="text/html; charset={charset or encoding}">\n<title>{_html.escape(title or "")}</title>'
           f"{head}</head>\n<body>\n{page}\n</body></html>\n")
    Path(path).write_bytes(doc.encode(encoding))
    return Path(path)


# --- TXT and Markdown -------------------------------------------------------------------------

def flat_lines(blocks) -> list[str]:
    """Paragraphs as lines, tables as tab-separated rows (a merged cell's text once)."""
    lines = []
    for block in blocks:
        if block[0] == "p":
            lines.append(block[1])
        else:
            rows, spans, _, _ = table_parts(block)
            skip = covered_positions(rows, spans)
            for r, row in enumerate(rows):
                lines.append("\t".join(t or "" for c, t in enumerate(row) if (r, c) not in skip))
    return lines


# How a text file lays a table out, as real conversions do: "flat" (above); a cell per line with
# a tab indent and rows separated by blank lines; tab-separated rows; a cell per line separated
# by blank lines; pipe-separated rows.
TXT_SERIALIZATIONS = ("cells", "tabs", "blank_lines", "pipes")


def text_lines(blocks, serialization: str = "flat") -> list[str]:
    if serialization == "flat":
        return flat_lines(blocks)
    if serialization not in TXT_SERIALIZATIONS:
        raise ValueError(f"serialization must be 'flat' or one of {TXT_SERIALIZATIONS}")
    lines: list[str] = []
    for block in blocks:
        if block[0] == "p":
            lines.append(block[1])
            continue
        rows, spans, _, _ = table_parts(block)
        lines += _table_lines(flatten_table(rows, spans), serialization)
        lines.append("")
    return lines


def to_text(blocks, serialization: str) -> str:
    return "\n".join(text_lines(blocks, serialization)) + "\n"


def flatten_table(rows, spans) -> list[list[str]]:
    """The grid as a conversion to text sees it: a row-merged cell's lower positions are empty
    cells, a column-merged cell's covered positions are None (the writer decides)."""
    out = [[("" if c is None else c) for c in row] for row in rows]
    for r0, c0, rs, cs in spans:
        for r in range(r0, r0 + rs):
            for c in range(c0, c0 + cs):
                if (r, c) == (r0, c0):
                    continue
                out[r][c] = None if r == r0 else ""   # covered to the right: None; below: empty
    for r0, c0, rs, cs in spans:   # below a column-merged cell: one empty cell, not several
        for r in range(r0 + 1, r0 + rs):
            for c in range(c0 + 1, c0 + cs):
                out[r][c] = None
    return out


def _table_lines(grid, serialization: str) -> list[str]:
    lines: list[str] = []
    for row in grid:
        if serialization == "cells":
            # Seed style: "\tcell" per line, continuation lines of a cell unindented, blank line
            # after each row; a column-merged cell is written once.
            for cell in row:
                if cell is None:
                    continue
                parts = cell.split("\n")
                lines.append("\t" + parts[0])
                lines += parts[1:]
            lines.append("")
        elif serialization == "tabs":
            # One line per row, covered positions as empty cells; a broken label's second line
            # follows the row as a line of its own, as PDF-to-text conversions leave it.
            cells = ["" if c is None else c for c in row]
            lines.append("\t".join(c.split("\n")[0] for c in cells))
            if any("\n" in c for c in cells):
                lines.append("\t".join(c.split("\n", 1)[1].replace("\n", "") if "\n" in c else ""
                                       for c in cells))
        elif serialization == "blank_lines":
            # Only non-empty cells, each piece on its own line, all separated by blank lines.
            for cell in row:
                for part in (cell or "").split("\n"):
                    if part.strip():
                        lines += [part, ""]
        else:  # pipes
            cells = ["" if c is None else c.replace("\n", "") for c in row]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def write_txt(path, blocks, encoding: str = "utf-8", newline: str = "\n", bom: bool = False,
              serialization: str = "flat") -> Path:
    text = newline.join(text_lines(blocks, serialization)) + newline
    data = text.encode(encoding)
    if bom:
        data = "\ufeff".encode(encoding) + data if encoding.lower() != "utf-8-sig" else data
    Path(path).write_bytes(data)
    return Path(path)


def write_markdown(path, blocks, broken: bool = False, runs: bool = False) -> Path:
    """Pipe tables; a merged cell's text once, its covered positions empty. `broken`: table 3
    glued and a label lost; `runs`: table 2's values run together (both: `to_markdown`)."""
    Path(path).write_text(to_markdown(blocks, broken, runs), encoding="utf-8")
    return Path(path)


# A converter's broken table 3 (`broken`): these rows glued into one pipe row, and this label lost.
GLUED_ROWS = ("1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”")
LOST_LABEL = "2.没有现成信息需要另行制作"


def run_together(cells: list[str]) -> list[str]:
    """A converter's table-2 row (`runs`): its values in one cell, nothing between them
    ("| 规章 | 12517 |" for 12 / 5 / 17). A row with an empty cell keeps its cells (an empty cell
    run in would leave no trace: not a print anyone could read)."""
    from .tables.labels import PROACTIVE_LABELS
    values = [c for c in cells[1:] if c]
    is_row = bool(cells) and any(m in cells[0] for marks in PROACTIVE_LABELS.values() for m in marks)
    if is_row and len(values) > 1 and len(values) == len(cells) - 1:
        return [cells[0], "".join(v.strip() for v in values)]
    return cells


def to_markdown(blocks, broken: bool = False, runs: bool = False) -> str:
    out = []
    for block in blocks:
        if block[0] == "p":
            out += [block[1], ""]
            continue
        rows, spans, n_cols, _ = table_parts(block)
        skip = covered_positions(rows, spans)
        glued = None
        for r, row in enumerate(rows):
            cells = ["" if (r, c) in skip else (t or "").replace("\n", "").replace("|", "\\|")
                     for c, t in enumerate(row)]
            if broken and LOST_LABEL in cells:
                cells[cells.index(LOST_LABEL)] = ""
            if runs:
                cells = run_together(cells)
            line = "| " + " | ".join(cells) + " |"
            if broken and any(label in cells for label in GLUED_ROWS):
                glued = line if glued is None else glued + line[1:]
                if GLUED_ROWS[-1] not in cells:
                    continue
                line, glued = glued, None
            out.append(line)
            if r == 0:
                out.append("|" + "---|" * n_cols)
        out.append("")
    return "\n".join(out)


# --- PDF --------------------------------------------------------------------------------------

FONT = "STSong-Light"


def register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def wrap(text: str, width: float, size: float) -> list[str]:
    """Greedy line breaking by glyph width (CJK breaks anywhere); "\\n" always breaks."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    lines = []
    for part in text.split("\n"):
        line = ""
        for ch in part:
            if line and stringWidth(line + ch, FONT, size) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines


class _PdfWriter:
    def __init__(self, path, page_size, size, cell_size, margin, footer, running_header, ruled=True):
        from reportlab.pdfgen import canvas
        register_font()
        self.c = canvas.Canvas(str(path), pagesize=page_size, invariant=1)  # same bytes each run
        self.width, self.height = page_size
        self.size, self.cell_size, self.margin = size, cell_size, margin
        self.lead = size * 1.6
        self.footer, self.running_header = footer, running_header
        self.ruled = ruled
        self.page = 1
        self.y = self.height - margin  # the top of free space, in PDF coordinates
        self._decorate()

    @property
    def bottom(self) -> float:
        return self.margin

    def _decorate(self) -> None:
        self.c.setFont(FONT, self.size)
        if self.running_header:
            self.c.drawCentredString(self.width / 2, self.height - self.margin / 2, self.running_header)

    def _footer(self) -> None:
        if self.footer:
            self.c.setFont(FONT, self.size)
            self.c.drawCentredString(self.width / 2, self.margin / 2, f"- {self.page} -")

    def new_page(self) -> None:
        self._footer()
        self.c.showPage()
        self.page += 1
        self.y = self.height - self.margin
        self._decorate()

    def paragraph(self, text: str) -> None:
        self.c.setFont(FONT, self.size)
        indent = 2 * self.size  # Chinese paragraphs start two characters in
        avail = self.width - 2 * self.margin
        first = wrap(text, avail - indent, self.size)[0] if text else ""
        rest = text[len(first):].lstrip("\n")
        lines = [first] + (wrap(rest, avail, self.size) if rest else [])
        for i, line in enumerate(lines):
            if self.y - self.lead < self.bottom:
                self.new_page()
            self.c.drawString(self.margin + (indent if i == 0 else 0), self.y - self.size, line)
            self.y -= self.lead

    def table(self, block, repeat_header_rows: int, col_widths, split_rows=False) -> None:
        rows, spans, n_cols, header_rows = table_parts(block)
        repeat = repeat_header_rows if header_rows is None else header_rows
        size = self.cell_size
        lead = size * 1.6
        avail = self.width - 2 * self.margin
        widths = col_widths(n_cols, avail) if col_widths else [avail / n_cols] * n_cols
        xs = [self.margin + sum(widths[:i]) for i in range(n_cols + 1)]
        span_at = {(r, c): (rs, cs) for r, c, rs, cs in spans}
        skip = covered_positions(rows, spans)
        pad = 3
        lines = {}  # (row, col) of each cell with text -> its wrapped lines
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if (r, c) not in skip and text:
                    cs = span_at.get((r, c), (1, 1))[1]
                    lines[(r, c)] = wrap(text, xs[c + cs] - xs[c] - 2 * pad, size)
        n_lines = [1] * len(rows)  # a row is as tall as its tallest one-row cell ...
        for (r, c), cell_lines in lines.items():
            if span_at.get((r, c), (1, 1))[0] == 1:
                n_lines[r] = max(n_lines[r], len(cell_lines))
        for (r, c), (rs, _) in span_at.items():  # ... and a taller merged cell grows its last row
            need = len(lines.get((r, c), [])) - sum(n_lines[r:r + rs])
            if rs > 1 and need > 0:
                n_lines[r + rs - 1] += need
        heights = [n * lead + 2 * pad for n in n_lines]
        self.c.setFont(FONT, size)
        self.y -= self.size * 0.5
        segment: list[tuple[int, float, float]] = []  # (row, top y, height) drawn on this page
        header = list(range(min(repeat, len(rows))))

        def draw(r, first=0, last=None):  # the row's lines first..last at the top of free space
            n = (n_lines[r] if last is None else last) - first
            segment.append((r, self.y, n * lead + 2 * pad))
            self._draw_texts(r, lines, xs, pad, size, lead, first, last)
            self.y -= n * lead + 2 * pad

        def page_break():
            self._draw_boxes(segment, rows, span_at, skip, xs)
            self.new_page()
            self.c.setFont(FONT, size)
            segment.clear()
            for hr in header if r > max(header, default=-1) else []:
                draw(hr)

        for r in range(len(rows)):
            if self.y - heights[r] < self.bottom and segment:
                fit = int((self.y - self.bottom - 2 * pad) // lead)
                if split_rows and self._splits(r, fit, rows, lines, span_at, n_lines,
                                               labels_whole=split_rows != "all"):
                    draw(r, 0, fit)  # an office suite runs a tall row on over the break
                    page_break()
                    draw(r, fit)
                    continue
                page_break()
            draw(r)
        self._draw_boxes(segment, rows, span_at, skip, xs)
        self.y -= self.size * 0.5

    @staticmethod
    def _splits(r, fit, rows, lines, span_at, n_lines, labels_whole=True) -> bool:
        """Can row `r` run on over the page break after `fit` lines? No merged cell starts in
        it and, with `labels_whole`, its labels (cells not of digits) print whole above."""
        if not 1 <= fit < n_lines[r] or any(span_at.get((r, c), (1, 1))[0] > 1
                                            for c in range(len(rows[r]))):
            return False
        return not labels_whole or all(len(lines.get((r, c), [])) <= fit for c, text in enumerate(rows[r])
                   if text and not text.replace(",", "").replace(".", "").strip().isdigit())

    def _draw_texts(self, r, lines, xs, pad, size, lead, first=0, last=None) -> None:
        top = self.y
        for (rr, c), cell_lines in lines.items():
            if rr == r:
                for i, line in enumerate(cell_lines[first:last]):
                    self.c.drawString(xs[c] + pad, top - pad - size - i * lead, line)

    def _draw_boxes(self, segment, rows, span_at, skip, xs) -> None:
        """One ruled rectangle per cell, clipped to the rows of this page (none when unruled)."""
        if not self.ruled:
            return
        tops = {r: (y, h) for r, y, h in segment}
        drawn = set()
        for r, _, _ in segment:
            for c in range(len(rows[r])):
                origin = (r, c)
                if (r, c) in skip:  # find the merge this position belongs to
                    origin = next((o for o, (rs, cs) in span_at.items()
                                   if o[0] <= r < o[0] + rs and o[1] <= c < o[1] + cs), (r, c))
                if origin in drawn:
                    continue
                drawn.add(origin)
                rs, cs = span_at.get(origin, (1, 1))
                here = [rr for rr in range(origin[0], origin[0] + rs) if rr in tops]
                top = tops[here[0]][0]
                bottom = tops[here[-1]][0] - tops[here[-1]][1]
                x0, x1 = xs[origin[1]], xs[origin[1] + cs]
                self.c.rect(x0, bottom, x1 - x0, top - bottom, stroke=1, fill=0)

    def save(self) -> None:
        self._footer()
        self.c.showPage()
        self.c.save()


def write_pdf(path, blocks, *, font_size: float = 11, cell_font_size: float | None = None,
              margin: float = 60, footer: bool = True, running_header: str | None = None,
              repeat_header_rows: int = 0, page_breaks_before: tuple[int, ...] = (), page_size=None,
              col_widths=None, split_rows: bool | str = False, ruled: bool = True) -> Path:
    """A text-layer PDF: paragraphs wrapped, tables ruled, long tables broken across pages.

    `footer` prints "- n -" under every page; `running_header` prints a line atop every page;
    `repeat_header_rows` repeats a table's first rows after a page break (a block's own
    `header_rows` wins); `page_breaks_before` lists block indexes that start a new page;
    `col_widths(n_cols, width)` gives a table's column widths (default: equal); `split_rows`
    lets a row that does not fit run on over the page break, its labels printed whole above
    (True) or running on too ("all"); `ruled` False prints tables without rules (lost borders).
    """
    from reportlab.lib.pagesizes import A4
    w = _PdfWriter(path, page_size or A4, font_size, cell_font_size or font_size, margin, footer,
                   running_header, ruled)
    for i, block in enumerate(blocks):
        if i in page_breaks_before:
            w.new_page()
        if block[0] == "p":
            w.paragraph(block[1])
        else:
            w.table(block, repeat_header_rows, col_widths, split_rows)
    w.save()
    return Path(path)
