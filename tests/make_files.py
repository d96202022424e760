"""Write real report files in every format from one list of blocks, for tests and samples.

A block is `("p", text)` or `("table", rows, spans)`: `rows` is a list of rows of cell texts, a
position covered by a merged cell is None, and `spans` lists merges as (row, col, rowspan,
colspan) of their top-left cell (the same convention as `DocumentBuilder.add_table`).

    write_docx(path, blocks)                      python-docx, merges as gridSpan / vMerge
    write_html(path, blocks, encoding="gbk", noise=True)
                                                  <meta charset>, optional nav/script/footer
    write_pdf(path, blocks, repeat_header_rows=1) reportlab, CJK font STSong-Light, ruled tables,
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


def _table(block):
    rows = block[1]
    spans = block[2] if len(block) > 2 else []
    n_cols = max((len(r) for r in rows), default=0)
    rows = [list(r) + [""] * (n_cols - len(r)) for r in rows]
    return rows, list(spans or []), n_cols


# --- a small template-like report, and the invariants every reader's Document keeps ------------

def sample_blocks(extra_rows: int = 0) -> list[Block]:
    """An invented report: a title, narrative, and table 3's head with row and column merges.

    `extra_rows` adds rows ("（三）不予公开 k.其他情形k") to make the table run over pages.
    """
    rows = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", None, "申请人情况", None, None, None],
        [None, None, "自然人", "法人或其他组织", None, "总计"],
        [None, None, None, "商业企业", "科研机构", None],
        ["一、本年新收政府信息公开申请数量", None, "18", "3", "2", "23"],
        ["三、本年度办理结果", "（一）予以公开", "10", "1", "1", "12"],
        [None, "（二）部分公开", "8", "2", "1", "11"],
    ]
    spans = [(0, 0, 3, 2), (0, 2, 1, 4), (1, 2, 2, 1), (1, 3, 1, 2), (1, 5, 2, 1), (3, 0, 1, 2),
             (4, 0, 2, 1)]
    for k in range(1, extra_rows + 1):
        rows.append([f"（三）不予公开{k}.其他情形{k}", None, str(k), "0", str(k % 3), str(k + k % 3)])
        spans.append((len(rows) - 1, 0, 1, 2))
    rows.append(["四、结转下年度继续办理", None, "0", "0", "0", "0"])
    spans.append((len(rows) - 1, 0, 1, 2))
    return [
        ("p", "青禾县示范局2031年政府信息公开工作年度报告"),
        ("p", "一、总体情况"),
        ("p", "2031年，青禾县示范局坚持以公开为常态、不公开为例外，全年通过门户网站主动公开政府信息"
              "1234条，其中政策文件56条、政策解读7条；收到政府信息公开申请23件，均在法定期限内答复。"),
        ("p", "三、收到和处理政府信息公开申请情况"),
        ("table", rows, spans),
        ("p", "六、其他需要报告的事项"),
        ("p", "本年度未收取信息处理费。"),
    ]


def assert_offsets(doc) -> None:
    """Every block and cell indexes the document text exactly; merged cells are shared."""
    for block in doc.blocks:
        assert 0 <= block.start <= block.end <= len(doc.text)
        if block.table is None:
            assert doc.text[block.start:block.end].strip()
            continue
        width = len(block.table.rows[0])
        for row in block.table.rows:
            assert len(row) == width
            for cell in row:
                assert doc.text[cell.start:cell.end] == cell.text


def table_texts(table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


# --- DOCX -------------------------------------------------------------------------------------

def write_docx(path, blocks) -> Path:
    import docx
    doc = docx.Document()
    for block in blocks:
        if block[0] == "p":
            doc.add_paragraph(block[1])
            continue
        rows, spans, n_cols = _table(block)
        table = doc.add_table(rows=len(rows), cols=n_cols)
        table.style = "Table Grid"
        for r, c, rs, cs in spans:  # merge first: merging joins the texts of the cells
            table.cell(r, c).merge(table.cell(r + rs - 1, c + cs - 1))
        skip = covered_positions(rows, spans)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if (r, c) not in skip and text:
                    table.cell(r, c).text = text
    doc.save(str(path))
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


def html_table(block) -> str:
    rows, spans, _ = _table(block)
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
            out.append(f"<td{attrs}><p>{_html.escape(text or '')}</p></td>")
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def write_html(path, blocks, encoding: str = "utf-8", title: str | None = None,
               noise: bool = False) -> Path:
    """An HTML page; `noise` wraps the article in a site's navigation, scripts and footer."""
    body = []
    for block in blocks:
        if block[0] == "p":
            body.append(f"<p>{_html.escape(block[1])}</p>")
        else:
            body.append(html_table(block))
    article = "\n".join(body)
    heading = f'<h1 class="title">{_html.escape(title)}</h1>\n' if title else ""
    if noise:
        page = (f"{NOISE_TOP}\n<div class=\"main\">{NOISE_SIDE}\n<div class=\"article\">{heading}"
                f"<div class=\"content\">{article}</div></div></div>\n{NOISE_FOOT}")
        head = NOISE_HEAD
    else:
        page, head = heading + article, ""
    doc = (f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" '
           f'content="text/html; charset={encoding}">\n<title>{_html.escape(title or "")}</title>'
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
            rows, spans, _ = _table(block)
            skip = covered_positions(rows, spans)
            for r, row in enumerate(rows):
                lines.append("\t".join(t or "" for c, t in enumerate(row) if (r, c) not in skip))
    return lines


def write_txt(path, blocks, encoding: str = "utf-8", newline: str = "\n", bom: bool = False) -> Path:
    text = newline.join(flat_lines(blocks)) + newline
    data = text.encode(encoding)
    if bom:
        data = "\ufeff".encode(encoding) + data if encoding.lower() != "utf-8-sig" else data
    Path(path).write_bytes(data)
    return Path(path)


def write_markdown(path, blocks) -> Path:
    out = []
    for block in blocks:
        if block[0] == "p":
            out += [block[1], ""]
            continue
        rows, spans, n_cols = _table(block)
        for r, row in enumerate(rows):
            out.append("| " + " | ".join((t or "").replace("|", "\\|") for t in row) + " |")
            if r == 0:
                out.append("|" + "---|" * n_cols)
        out.append("")
    Path(path).write_text("\n".join(out), encoding="utf-8")
    return Path(path)


# --- PDF --------------------------------------------------------------------------------------

FONT = "STSong-Light"


def register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def wrap(text: str, width: float, size: float) -> list[str]:
    """Greedy line breaking by glyph width (CJK breaks anywhere)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    lines, line = [], ""
    for ch in text:
        if line and stringWidth(line + ch, FONT, size) > width:
            lines.append(line)
            line = ""
        line += ch
    if line:
        lines.append(line)
    return lines or [""]


class _PdfWriter:
    def __init__(self, path, page_size, size, margin, footer, running_header):
        from reportlab.pdfgen import canvas
        register_font()
        self.c = canvas.Canvas(str(path), pagesize=page_size)
        self.width, self.height = page_size
        self.size, self.margin = size, margin
        self.lead = size * 1.6
        self.footer, self.running_header = footer, running_header
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

    def new_page(self) -> None:
        if self.footer:
            self.c.setFont(FONT, self.size)
            self.c.drawCentredString(self.width / 2, self.margin / 2, f"- {self.page} -")
        self.c.showPage()
        self.page += 1
        self.y = self.height - self.margin
        self._decorate()

    def paragraph(self, text: str) -> None:
        indent = 2 * self.size  # Chinese paragraphs start two characters in
        avail = self.width - 2 * self.margin
        first = wrap(text, avail - indent, self.size)[0] if text else ""
        lines = [first] + wrap(text[len(first):], avail, self.size) if text[len(first):] else [first]
        for i, line in enumerate(lines):
            if self.y - self.lead < self.bottom:
                self.new_page()
            self.c.drawString(self.margin + (indent if i == 0 else 0), self.y - self.size, line)
            self.y -= self.lead

    def table(self, block, repeat_header_rows: int, col_widths=None) -> None:
        rows, spans, n_cols = _table(block)
        avail = self.width - 2 * self.margin
        widths = col_widths or [avail / n_cols] * n_cols
        xs = [self.margin + sum(widths[:i]) for i in range(n_cols + 1)]
        span_at = {(r, c): (rs, cs) for r, c, rs, cs in spans}
        skip = covered_positions(rows, spans)
        pad = 3
        heights = []
        for r, row in enumerate(rows):
            h = 1
            for c, text in enumerate(row):
                rs, cs = span_at.get((r, c), (1, 1))
                if (r, c) not in skip and rs == 1:
                    h = max(h, len(wrap(text or "", xs[c + cs] - xs[c] - 2 * pad, self.size)))
            heights.append(h * self.lead + 2 * pad)
        self.y -= self.size * 0.5
        segment: list[tuple[int, float]] = []  # (row, top y) of rows drawn on this page
        r = 0
        header_rows = list(range(min(repeat_header_rows, len(rows))))
        while r < len(rows):
            if self.y - heights[r] < self.bottom and segment:
                self._draw_boxes(segment, heights, rows, span_at, skip, xs)
                self.new_page()
                segment = []
                for hr in header_rows if r > max(header_rows, default=-1) else []:
                    segment.append((hr, self.y))
                    self._draw_texts(hr, rows, span_at, skip, xs, pad)
                    self.y -= heights[hr]
            segment.append((r, self.y))
            self._draw_texts(r, rows, span_at, skip, xs, pad)
            self.y -= heights[r]
            r += 1
        self._draw_boxes(segment, heights, rows, span_at, skip, xs)
        self.y -= self.size * 0.5

    def _draw_texts(self, r, rows, span_at, skip, xs, pad) -> None:
        top = self.y
        for c, text in enumerate(rows[r]):
            if (r, c) in skip or not text:
                continue
            rs, cs = span_at.get((r, c), (1, 1))
            for i, line in enumerate(wrap(text, xs[c + cs] - xs[c] - 2 * pad, self.size)):
                self.c.drawString(xs[c] + pad, top - pad - self.size - i * self.lead, line)

    def _draw_boxes(self, segment, heights, rows, span_at, skip, xs) -> None:
        """One ruled rectangle per cell, clipped to the rows of this page."""
        tops = {r: y for r, y in segment}
        drawn = set()
        for r, _ in segment:
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
                top = tops[here[0]]
                bottom = tops[here[-1]] - heights[here[-1]]
                x0, x1 = xs[origin[1]], xs[origin[1] + cs]
                self.c.rect(x0, bottom, x1 - x0, top - bottom, stroke=1, fill=0)

    def save(self) -> None:
        if self.footer:
            self.c.setFont(FONT, self.size)
            self.c.drawCentredString(self.width / 2, self.margin / 2, f"- {self.page} -")
        self.c.showPage()
        self.c.save()


def write_pdf(path, blocks, *, font_size: float = 11, margin: float = 60, footer: bool = True,
              running_header: str | None = None, repeat_header_rows: int = 0,
              page_breaks_before: tuple[int, ...] = (), page_size=None) -> Path:
    """A text-layer PDF: paragraphs wrapped, tables ruled, long tables broken across pages.

    `footer` prints "- n -" under every page; `running_header` prints a line atop every page;
    `repeat_header_rows` repeats a table's first rows after a page break; `page_breaks_before`
    lists block indexes that start a new page.
    """
    from reportlab.lib.pagesizes import A4
    w = _PdfWriter(path, page_size or A4, font_size, margin, footer, running_header)
    for i, block in enumerate(blocks):
        if i in page_breaks_before:
            w.new_page()
        if block[0] == "p":
            w.paragraph(block[1])
        else:
            w.table(block, repeat_header_rows)
    w.save()
    return Path(path)
