"""Synthetic annual reports: template tables with known values, written in every format and layout.

`make_report(path, seed, fmt)` writes one report and returns the values it printed (the truth:
a blank cell is None), so tests, shipped samples and benchmarks can check extraction against it.
Everything here is invented — agencies, narrative, numbers; nothing comes from a real report.

A report is first a list of blocks, `("p", text)` or `("table", rows, spans)` (rows: a grid of
cell texts, None where a merged cell covers the position; spans: (row, col, rowspan, colspan) of
each merged cell's top-left), then written by a format writer of `synth_writers` (which tests
use too). Text formats flatten tables the way real conversions do (see `flatten_table`).
"""
from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .template import (APPLICANT_COLUMNS, APPLICANT_LABELS, APPLICANTS_HEADING, DECIMAL_KEYS, ORG_LABELS, ORGS_HEADING,
                       OTHER_SINGLE, OTHER_SUBROWS, OUTCOME_GROUP_LABELS, OUTCOME_ROWS, REQUEST_COLUMNS,
                       RESULTS_LABEL, REVIEW_COLUMNS, REVIEW_GROUPS, TABLE3_HEADNOTE, TABLE3_ROW_LABELS,
                       TABLE4_COLUMN_LABELS, TABLE4_GROUP_LABELS, TABLE4_LITIGATION, TOTAL_LABEL,
                       request_rows, table2_keys, table2_layout)
# The writers; flatten_table, to_text and TXT_SERIALIZATIONS are also this module's interface.
from .synth_writers import (TXT_SERIALIZATIONS, flatten_table, to_text, write_docx, write_html,  # noqa: F401
                            write_markdown, write_pdf, write_txt)

FORMATS = ("txt", "html", "docx", "pdf", "md")
BLANKS = ("—", "/", "无", "-", "")
# The heading: one line; split before "年度报告"; the agency on a line of its own; a crawler's
# "标题:" field block; web-page breadcrumbs before it.
TITLE_STYLES = ("one_line", "two_lines", "agency_line", "crawler", "breadcrumbs")

Block = tuple


@dataclass
class Layout:
    """How a report prints its tables. Every combination is a layout real reports use."""

    table2: str = "2021"            # table 2 format: "2021" (10 values) or "2019"
    single_other: bool = False      # （六）其他处理 as one row instead of three sub-rows
    serialization: str = "cells"    # txt only: one of TXT_SERIALIZATIONS
    split_labels: bool = False      # long row labels broken over two lines ("三、本年度办" / "理结果")
    vertical_headers: bool = False  # narrow header cells, one character (or two) per line
    stray_spaces: bool = False      # "12 ", " 0", NBSP around numbers
    fullwidth: bool = False         # １２ instead of 12
    thousands: bool = False         # 1,234
    blank: str = "—"                # how a blank cell is printed: one of BLANKS
    encoding: str = "utf-8"         # txt/html file encoding (gb18030, gbk, utf-16 …)
    title_style: str = "one_line"   # one of TITLE_STYLES
    repeat_header: bool = False     # PDF: a table running onto a new page repeats its header rows
    layout_table: bool = False      # HTML, DOCX: the article sits inside a page-layout table
    # Table 3's group labels (（四）无法提供) not merged: their two printed lines straddle a row
    # line, "（四）无" in the group's first row, "法提供" in the next (a PDF's merged cell as read).
    group_labels_across_rows: bool = False
    # PDF: tables 3 and 4 printed wider than the page, as an office suite prints them: their last
    # two columns lie past the right edge and are not on the page (`SynthReport.unprinted`).
    wide_tables: bool = False
    # PDF: table 3's value columns one digit wide, so a number wraps a digit a line ("2" over "6").
    narrow_columns: bool = False
    # PDF: a table row too tall for the rest of the page runs on over the break (as office suites
    # print it): its numbers' last digits on the next page, its labels whole above the break.
    split_rows: bool = False
    # PDF: tables printed without rules (borders lost, as a page styling them by CSS prints):
    # cells are told apart by where and in what order their text was drawn only.
    unruled: bool = False
    # Markdown: the converter glued three table-3 rows into one pipe row and lost a row's label.
    broken_markdown: bool = False
    # Markdown: the converter ran each table-2 row's values together ("| 规章 | 12517 |"): read
    # where one reading is left, else not read with the printed one among the readings.
    markdown_runs: bool = False
    # Table 4's 15 values printed below its header as three lines of five (a crawler's text).
    table4_lines: bool = False
    # Table 3's row labels printed as one block, its value rows as another (a crawler's text).
    labels_apart: bool = False

    def __post_init__(self):
        if self.table2 not in ("2021", "2019"):
            raise ValueError(f"table2 must be '2021' or '2019', not {self.table2!r}")
        if self.serialization not in TXT_SERIALIZATIONS:
            raise ValueError(f"serialization must be one of {TXT_SERIALIZATIONS}")
        if self.blank not in BLANKS:
            raise ValueError(f"blank must be one of {BLANKS}")
        if self.title_style not in TITLE_STYLES:
            raise ValueError(f"title_style must be one of {TITLE_STYLES}")


@dataclass
class SynthReport:
    path: Path
    format: str
    values: dict            # key -> int | float | None, every key the report prints
    agency: str
    year: int
    layout: Layout
    figures: list = field(default_factory=list)   # (item, value, unit) printed in the narrative

    @property
    def unprinted(self) -> set[str]:
        """Keys whose cells lie past the page's edge (not printed): extraction must not read them."""
        if not (self.layout.wide_tables and self.format == "pdf"):
            return set()
        cut = set()
        if not self.layout.labels_apart:   # else the values stand in a table of their own
            cut |= {k for k in self.values if k.startswith("requests.") and k.endswith((".other_org", ".total"))}
        if not self.layout.table4_lines:   # else the values are lines of text
            cut |= {f"{REVIEW_GROUPS[-1]}.{c}" for c in REVIEW_COLUMNS[-2:]}
        return cut

    @property
    def run_rows(self) -> dict[str, list[str]]:
        """Table-2 rows printed with their values run together: row key -> its keys."""
        if not (self.layout.markdown_runs and self.format == "md"):
            return {}
        rows: dict[str, list[str]] = {}
        for key in self.values:
            if key.startswith("proactive."):
                rows.setdefault(key.rsplit(".", 1)[0], []).append(key)
        return {row: keys for row, keys in rows.items() if len(keys) > 1}

    def truth(self) -> dict:
        """A JSON-able summary: what extraction must give back for this file."""
        return {"source": self.path.name, "format": self.format, "agency": self.agency,
                "year": self.year, "template": self.layout.table2, "values": self.values,
                "layout": asdict(self.layout)}


# --------------------------------------------------------------------------- values

def random_layout(rng: random.Random, fmt: str) -> Layout:
    serialization = rng.choice(TXT_SERIALIZATIONS) if fmt == "txt" else "cells"
    blank = rng.choice(BLANKS)
    return Layout(
        table2=rng.choice(("2021", "2021", "2019")),
        single_other=rng.random() < 0.3,
        serialization=serialization,
        split_labels=rng.random() < 0.4,
        vertical_headers=rng.random() < 0.4,
        stray_spaces=rng.random() < 0.4,
        fullwidth=rng.random() < 0.2,
        thousands=rng.random() < 0.3,
        blank=blank,
        encoding=rng.choice(("utf-8", "gb18030")) if fmt in ("txt", "html") else "utf-8",
        title_style=rng.choice(TITLE_STYLES),
        repeat_header=fmt == "pdf" and rng.random() < 0.5,
        layout_table=fmt == "html" and rng.random() < 0.5,
    )


def _count(rng: random.Random, big: bool = True) -> int:
    r = rng.random()
    if r < 0.5:
        return 0
    if r < 0.9 or not big:
        return rng.randint(1, 40)
    return rng.randint(1000, 30000)


def random_values(rng: random.Random, layout: Layout, blank_rate: float = 0.15) -> dict:
    """Values for every key the layout prints, satisfying rules 1–4 (with blanks as zero).

    Blanks (None) replace zeros only, so the rules still hold when a blank counts as 0.
    """
    values: dict = {}
    for key in table2_keys(layout.table2):
        if key in DECIMAL_KEYS:
            values[key] = rng.choice((0, round(rng.uniform(0.5, 9999), 2), round(rng.uniform(1, 99), 1)))
        elif key.endswith(".change"):
            values[key] = rng.randint(-40, 40)
        else:
            values[key] = _count(rng)
    rows = request_rows(layout.single_other)
    outcomes = list(OUTCOME_ROWS) + ([OTHER_SINGLE] if layout.single_other else list(OTHER_SUBROWS))
    for col in APPLICANT_COLUMNS:
        active = rng.random() < (0.9 if col == "natural_person" else 0.35)
        for r in outcomes:
            values[f"{r}.{col}"] = _count(rng, big=False) if active and rng.random() < 0.4 else 0
        total = sum(values[f"{r}.{col}"] for r in outcomes)
        forward = rng.randint(0, 5) if active else 0
        over = rng.randint(0, min(5, total + forward))
        values[f"requests.total.{col}"] = total
        values[f"requests.carried_forward.{col}"] = forward
        values[f"requests.carried_over.{col}"] = over
        values[f"requests.new.{col}"] = total + forward - over
    for r in rows:
        values[f"{r}.total"] = sum(values[f"{r}.{c}"] for c in APPLICANT_COLUMNS)
    for g in REVIEW_GROUPS:
        parts = [_count(rng, big=False) if rng.random() < 0.3 else 0 for _ in REVIEW_COLUMNS[:-1]]
        values.update({f"{g}.{c}": v for c, v in zip(REVIEW_COLUMNS, parts + [sum(parts)])})
    for key, v in values.items():
        if v == 0 and rng.random() < blank_rate:
            values[key] = None
    return values


# --------------------------------------------------------------------------- cell texts

_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def format_value(v, layout: Layout, rng: random.Random) -> str:
    """A value as a report prints it, in this layout's style."""
    if v is None:
        return layout.blank
    if isinstance(v, float):
        text = f"{v:,.2f}" if layout.thousands and abs(v) >= 1000 else f"{v:.2f}"
    else:
        text = f"{v:,}" if layout.thousands and abs(v) >= 1000 else str(v)
    if layout.fullwidth:
        text = text.translate(_FULLWIDTH)
    if layout.stray_spaces and rng.random() < 0.5:
        text = rng.choice((" ", "\u00a0", "")) + text + rng.choice((" ", "\u00a0", ""))
    return text


def _split(label: str, layout: Layout, rng: random.Random) -> str:
    """A long label broken over two lines, as narrow cells print it."""
    if not layout.split_labels or len(label) < 6:
        return label
    cut = rng.randint(3, len(label) - 2)
    return label[:cut] + "\n" + label[cut:]


def _vertical(label: str, layout: Layout, step: int = 1) -> str:
    if not layout.vertical_headers:
        return label
    return "\n".join(label[i:i + step] for i in range(0, len(label), step))


# --------------------------------------------------------------------------- tables

class _Grid:
    """Builds rows of a fixed width with merged cells."""

    def __init__(self, n_cols: int):
        self.n_cols = n_cols
        self.rows: list[list[str | None]] = []
        self.spans: list[tuple[int, int, int, int]] = []

    def row(self, *cells) -> None:
        """cells: text or (text, rowspan, colspan); positions already covered are skipped."""
        r = len(self.rows)
        while len(self.rows) <= r:
            self.rows.append([None] * self.n_cols)
        c = 0
        for cell in cells:
            while c < self.n_cols and self._covered(r, c):
                c += 1
            text, rs, cs = cell if isinstance(cell, tuple) else (cell, 1, 1)
            self.rows[r][c] = text
            if rs > 1 or cs > 1:
                self.spans.append((r, c, rs, cs))
            c += cs

    def _covered(self, r: int, c: int) -> bool:
        return any(r0 <= r < r0 + rs and c0 <= c < c0 + cs and (r, c) != (r0, c0)
                   for r0, c0, rs, cs in self.spans)

    def block(self, header_rows: int = 0) -> Block:
        """("table", rows, spans, header_rows): header rows are repeated where a page breaks."""
        return ("table", self.rows, self.spans, header_rows)


# Table 2's fee column as reports print it (the template's label says 万元 without 单位：).
PRINTED_AS = {"本年收费金额（万元）": "本年收费金额（单位：万元）"}
# Table 3's row labels as printed in their row (the last level), and its group labels.
REQUEST_LABELS = {row: path[-1] for row, path in TABLE3_ROW_LABELS.items()}
GROUP_LABELS = OUTCOME_GROUP_LABELS


def table2_block(values: dict, layout: Layout, rng: random.Random) -> Block:
    fmt = lambda k: format_value(values[k], layout, rng)
    groups, columns = table2_layout(layout.table2)
    g = _Grid(4)
    for heading, col_labels, members in groups:
        g.row((heading, 1, 4))
        g.row(*_spanning([PRINTED_AS.get(c, c) for c in col_labels]))
        for label, row in members:
            cells = [fmt(f"{row}.{c}") for c in columns[row]]
            if row == "proactive.procurement" and values[f"{row}.amount"] is not None:
                cells[-1] += "万元"  # printed with its unit
            g.row(*_spanning([label, *cells]))
    return g.block()


def _spanning(cells: list[str]) -> list:
    """A row of table 2's four columns: the last cell spans the ones left."""
    return cells if len(cells) >= 4 else [*cells[:-1], (cells[-1], 1, 5 - len(cells))]


def table3_block(values: dict, layout: Layout, rng: random.Random) -> Block:
    rows = request_rows(layout.single_other)
    g = _Grid(10)
    g.row((TABLE3_HEADNOTE, 3, 3), (APPLICANTS_HEADING, 1, 7))
    g.row((_vertical(APPLICANT_LABELS["natural_person"], layout), 2, 1), (ORGS_HEADING, 1, 5),
          (_vertical(TOTAL_LABEL, layout), 2, 1))
    g.row(*(_vertical(h, layout, 2) for h in ORG_LABELS))
    nums = lambda row: [format_value(values[f"{row}.{c}"], layout, rng) for c in REQUEST_COLUMNS]
    label = lambda row: _split(REQUEST_LABELS[row], layout, rng)
    outcome_rows = [r for r in rows if r not in ("requests.new", "requests.carried_over",
                                                 "requests.carried_forward")]
    if layout.labels_apart:
        g.row((RESULTS_LABEL, 1, 10))
        return ([g.block()] + [("p", REQUEST_LABELS[row]) for row in rows]
                + [("table", [nums(row) for row in rows], [], 0)])
    groups_done = set()
    for row in rows:
        if row in ("requests.new", "requests.carried_over", "requests.carried_forward"):
            g.row((label(row), 1, 3), *nums(row))
            continue
        first = []
        if row == outcome_rows[0]:
            first.append((_split(RESULTS_LABEL, layout, rng), len(outcome_rows), 1))
        group = row.rsplit(".", 1)[0]
        if group in GROUP_LABELS and row != OTHER_SINGLE:
            members = [r for r in rows if r.rsplit(".", 1)[0] == group]
            if layout.group_labels_across_rows:
                text = GROUP_LABELS[group]
                cut = 4 if rng.random() < 0.5 else rng.randint(3, len(text) - 2)
                first.append([text[:cut], text[cut:]][members.index(row)] if members.index(row) < 2 else "")
            elif group not in groups_done:
                first.append((GROUP_LABELS[group], len(members), 1))
                groups_done.add(group)
            g.row(*first, label(row), *nums(row))
        else:
            g.row(*first, (label(row), 1, 2), *nums(row))
    return g.block(3 if layout.repeat_header else 0)


def table4_block(values: dict, layout: Layout, rng: random.Random) -> Block:
    heads = [_vertical(h, layout) for h in TABLE4_COLUMN_LABELS]
    g = _Grid(15)
    g.row((TABLE4_GROUP_LABELS["review"], 1, 5), (TABLE4_LITIGATION, 1, 10))
    g.row(*((h, 2, 1) for h in heads), (TABLE4_GROUP_LABELS["litigation.direct"], 1, 5),
          (TABLE4_GROUP_LABELS["litigation.after_review"], 1, 5))
    g.row(*heads, *heads)
    cells = [format_value(values[f"{grp}.{c}"], layout, rng) for grp in REVIEW_GROUPS for c in REVIEW_COLUMNS]
    if layout.table4_lines:
        return [g.block()] + [("p", " ".join(c or "—" for c in cells[i:i + 5])) for i in (0, 5, 10)]
    g.row(*cells)
    return g.block(3 if layout.repeat_header else 0)


# --------------------------------------------------------------------------- the report

AGENCIES = ("青川县人民政府办公室", "示例市数据局", "临溪区教育局", "白石镇人民政府", "云岭县市场监督管理局",
            "东湾市生态环境局", "北塘街道办事处", "南屏县交通运输局", "示例市人力资源和社会保障局", "青石乡人民政府")


def narrative(agency: str, year: int, rng: random.Random) -> tuple[list[str], list[tuple]]:
    """Invented 总体情况 paragraphs with figures, and the figures they print."""
    total = rng.randint(100, 9000)
    news = rng.randint(10, total // 2)
    policy = rng.randint(1, 60)
    accounts = rng.randint(1, 30)
    msgs = rng.randint(5, 900)
    paras = [
        f"{year}年，{agency}坚持以公开为常态、不公开为例外，全年主动公开政府信息{total}条，其中政务动态信息"
        f"{news}条，政策解读信息{policy}条。",
        f"（一）平台建设。规范管理政务新媒体账号{accounts}个，办结群众留言{msgs}条，答复率100%。",
        "（二）监督保障。将政务公开纳入年度考核，开展业务培训，确保各项工作落实到位。",
    ]
    figures = [("主动公开政府信息", total, "条"), ("政务动态信息", news, "条"), ("政策解读信息", policy, "条"),
               ("政务新媒体账号", accounts, "个"), ("群众留言", msgs, "条")]
    return paras, figures


def _blocks(made) -> list[Block]:
    return made if isinstance(made, list) else [made]


def report_blocks(values: dict, layout: Layout, agency: str, year: int,
                  rng: random.Random) -> tuple[list[Block], list[tuple]]:
    title = f"{agency}{year}年政府信息公开工作年度报告"
    if layout.title_style == "two_lines":
        heading = [("p", f"{agency}{year}年政府信息公开工作"), ("p", "年度报告")]
    elif layout.title_style == "agency_line":
        heading = [("p", agency), ("p", f"{year} 年政府信息公开工作年度报告")]
    elif layout.title_style == "crawler":
        heading = [("p", f"标题: {title}"), ("p", f"发布时间: {year + 1}-01-{rng.randint(10, 28)} 09:30"),
                   ("p", "发布机构: "), ("p", "==================== 正文 ====================")]
    elif layout.title_style == "breadcrumbs":
        heading = [("p", f"当前位置：首页 > 政府信息公开 > {year + 1}年 > 年度报告"), ("p", title)]
    else:
        heading = [("p", title)]
    paras, figures = narrative(agency, year, rng)
    blocks: list[Block] = heading + [
        ("p", f"根据《中华人民共和国政府信息公开条例》规定，编制本报告。报告中所列数据的统计期限为{year}年1月1日至"
              f"{year}年12月31日。"),
        ("p", "一、总体情况"), *(("p", p) for p in paras),
        ("p", "二、主动公开政府信息情况"), table2_block(values, layout, rng),
        ("p", "三、收到和处理政府信息公开申请情况"), *_blocks(table3_block(values, layout, rng)),
        ("p", "四、政府信息公开行政复议、行政诉讼情况"), *_blocks(table4_block(values, layout, rng)),
        ("p", "五、存在的主要问题及改进情况"),
        ("p", "信息发布的及时性仍需提高。下一步将完善审核流程，加强队伍建设。"),
        ("p", "六、其他需要报告的事项"),
        ("p", f"{year}年，本机关未收取信息处理费。"),
        ("p", agency), ("p", f"{year + 1}年1月{rng.randint(5, 28)}日"),
    ]
    return blocks, figures


def make_report(path: str | Path, seed: int, fmt: str | None = None, layout: Layout | None = None,
                agency: str | None = None, year: int | None = None,
                values: dict | None = None) -> SynthReport:
    """Write one synthetic report to `path` (its suffix is set from the format) and return it.

    `values` (every key the layout prints) replaces the random ones, e.g. to rebuild a gold file.
    """
    rng = random.Random(seed)
    fmt = fmt or rng.choice(FORMATS)
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    layout = layout or random_layout(rng, fmt)
    if fmt == "txt" and layout.serialization == "blank_lines" and layout.blank == "":
        # Blank lines separate the cells there: an empty cell would vanish.
        layout = Layout(**{**asdict(layout), "blank": "—"})
    agency = agency or rng.choice(AGENCIES)
    year = year or rng.randint(2019 if layout.table2 == "2019" else 2021, 2025)
    if values is None:
        values = random_values(rng, layout)
    blocks, figures = report_blocks(values, layout, agency, year, rng)
    path = Path(path).with_suffix("." + fmt)
    write_blocks(path, blocks, fmt, layout)
    return SynthReport(path, fmt, values, agency, year, layout, figures)


def write_blocks(path: Path, blocks: list[Block], fmt: str, layout: Layout) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "txt":
        write_txt(path, blocks, layout.encoding, serialization=layout.serialization)
    elif fmt == "md":
        write_markdown(path, blocks, layout.broken_markdown, layout.markdown_runs)
    elif fmt == "html":
        # Pages in GB18030 declare gbk, as government sites do.
        write_html(path, blocks, layout.encoding, noise=True, layout_table=layout.layout_table,
                   charset={"gb18030": "gbk"}.get(layout.encoding))
    elif fmt == "docx":
        write_docx(path, blocks, layout.layout_table)
    elif fmt == "pdf":
        write_pdf(path, blocks, font_size=10.5, cell_font_size=7.5, margin=50, footer=False,
                  col_widths=(_pdf_wide_widths if layout.wide_tables else
                              _pdf_narrow_widths if layout.narrow_columns else _pdf_widths),
                  split_rows=layout.split_rows, ruled=not layout.unruled)


# --------------------------------------------------------------------------- PDF table widths

def _pdf_widths(n_cols: int, width: float) -> list[float]:
    if n_cols == 10:   # table 3: three label columns, seven numbers
        label = [34, 56, 150]
        return label + [(width - sum(label)) / 7] * 7
    if n_cols == 4:
        return [width * 0.34] + [width * 0.22] * 3
    return [width / n_cols] * n_cols


def _pdf_narrow_widths(n_cols: int, width: float) -> list[float]:
    """Table 3's value columns 12 pt wide: one digit a line at the cell font size."""
    if n_cols == 10:
        return [34, 56, 150] + [12.0] * 7
    return _pdf_widths(n_cols, width)


def _pdf_wide_widths(n_cols: int, width: float, margin: float = 50) -> list[float]:
    """Tables 3 and 4 past the page's right edge: the second-last column starts 2 pt before
    the edge (its text, and the last column, beyond it); `width` is the page less its margins."""
    to_edge = width + margin - 2   # from the table's left edge to 2 pt before the page's edge
    if n_cols == 10:
        label = [34, 56, 150]
        return label + [(to_edge - sum(label)) / 5] * 7
    if n_cols == 15:
        return [to_edge / 13] * 15
    return _pdf_widths(n_cols, width)


# --------------------------------------------------------------------------- samples

SAMPLES = (  # (file stem, seed, format, agency, year, layout overrides)
    ("qingchuan-2023", 11, "txt", "青川县人民政府办公室", 2023,
     dict(encoding="gb18030", serialization="cells", split_labels=True, blank="—", title_style="one_line")),
    ("shili-shujuju-2024", 12, "html", "示例市数据局", 2024,
     dict(vertical_headers=True, blank="—", title_style="breadcrumbs", layout_table=True)),
    ("linxi-jiaoyuju-2022", 13, "docx", "临溪区教育局", 2022,
     dict(single_other=True, stray_spaces=True, title_style="two_lines")),
    ("baishi-2019", 14, "pdf", "白石镇人民政府", 2019,
     dict(table2="2019", thousands=True, title_style="agency_line", repeat_header=True)),
    ("yunling-2023", 15, "md", "云岭县市场监督管理局", 2023, dict(blank="/", title_style="one_line")),
)


def write_samples(folder: str | Path) -> list[SynthReport]:
    """The shipped samples (extraction/samples/) from fixed seeds, and `expected.jsonl`, the
    values each one prints. Regenerate with `python -m extraction.synth --samples`."""
    import json

    out = []
    for stem, seed, fmt, agency, year, overrides in SAMPLES:
        rng = random.Random(seed)
        layout = Layout(**{**asdict(random_layout(rng, fmt)), **overrides})
        out.append(make_report(Path(folder) / stem, seed, fmt, layout, agency, year))
    with open(Path(folder) / "expected.jsonl", "w", encoding="utf-8") as f:
        for rep in out:
            f.write(json.dumps(rep.truth(), ensure_ascii=False) + "\n")
    return out


def write_batch(outdir: str | Path, n: int, formats=FORMATS, first_seed: int = 0) -> list[SynthReport]:
    """N reports per format under `outdir`, plus `truth.jsonl` (one line per file)."""
    import json

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    reports = [make_report(outdir / f"synth-{seed:05d}", seed=seed, fmt=fmt)
               for seed in range(first_seed, first_seed + n) for fmt in formats]
    with open(outdir / "truth.jsonl", "w", encoding="utf-8") as f:
        for rep in reports:
            f.write(json.dumps(rep.truth(), ensure_ascii=False) + "\n")
    return reports


if __name__ == "__main__":
    import sys

    # python -m extraction.synth OUTDIR [N] [FORMAT]   |   python -m extraction.synth --samples
    if sys.argv[1:] == ["--samples"]:
        write_samples(Path(__file__).parent / "samples")
    else:
        write_batch(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10,
                    (sys.argv[3],) if len(sys.argv) > 3 else FORMATS)
