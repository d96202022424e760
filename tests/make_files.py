"""Real report files for tests: the package's writers (extraction/synth_writers.py), re-exported,
and test-only helpers: an invented report as blocks, and the invariants every reader's Document keeps.

A block is `("p", text)` or `("table", rows, spans[, header_rows])`; see extraction/synth_writers.py.
Content is whatever the caller writes: invent agencies and numbers; never paste real reports.
"""
from __future__ import annotations

from extraction.synth_writers import (FONT, Block, flat_lines, register_font, write_docx, write_html,  # noqa: F401
                                      write_markdown, write_pdf, write_txt)


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
