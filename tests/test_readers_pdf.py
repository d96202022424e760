"""PDF reader: real PDFs written by reportlab (CJK font STSong-Light), and the corpus PDFs."""
from __future__ import annotations

import pytest
from conftest import shared_path
from hostile import chinese_pdf, image_only_pdf, truncate
from make_files import FONT, assert_offsets, register_font, sample_blocks, table_texts, write_pdf

from extraction.errors import EncryptedFile, NoTextLayer, UnreadableFile
from extraction.readers import read
from extraction.readers.pdf import PdfSettings
from extraction.readers.pdf_text import is_page_number

HEAD = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"] * 2 + ["申请人情况"] * 4,
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"] * 2
    + ["自然人", "法人或其他组织", "法人或其他组织", "总计"],
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"] * 2
    + ["自然人", "商业企业", "科研机构", "总计"],
]


@pytest.fixture(scope="module")
def long_report(tmp_path_factory):
    """Three pages: the table runs over two page breaks, its two head rows repeated on each."""
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    write_pdf(path, sample_blocks(extra_rows=60), running_header="青禾县示范局公开年报",
              repeat_header_rows=3)
    return read(path)


def test_chinese_text_and_wrapped_paragraph_come_back_exactly(long_report):
    doc = long_report
    paragraphs = [doc.block_text(p) for p in doc.paragraphs]
    expected = [b[1] for b in sample_blocks() if b[0] == "p"]
    assert paragraphs == expected  # the long paragraph wrapped over 3 lines is one again
    assert doc.format == "pdf"
    assert_offsets(doc)


def test_page_furniture_is_dropped(long_report):
    doc = long_report
    for footer in ("- 1 -", "- 2 -", "- 3 -"):
        assert footer not in doc.text
    assert "青禾县示范局公开年报" not in doc.text  # the running head on every page


def test_table_over_three_pages_is_one_grid_with_merges_and_pages(long_report):
    doc = long_report
    assert len(doc.tables) == 1
    table = doc.tables[0]
    rows = table_texts(table)
    assert rows[:3] == HEAD  # the repeated head rows on pages 2 and 3 are not rows again
    assert rows[3] == ["一、本年新收政府信息公开申请数量"] * 2 + ["18", "3", "2", "23"]
    assert rows[4] == ["三、本年度办理结果", "（一）予以公开", "10", "1", "1", "12"]
    assert rows[5][0] == "三、本年度办理结果"
    assert len(rows) == 6 + 60 + 1
    assert [r[0] for r in rows[6:66]] == [f"（三）不予公开{k}.其他情形{k}" for k in range(1, 61)]
    assert rows[-1] == ["四、结转下年度继续办理"] * 2 + ["0"] * 4
    # merged cells: one Cell at every position it covers
    assert table.rows[0][0] is table.rows[2][1]
    assert table.rows[0][2] is table.rows[0][5]
    assert table.rows[1][2] is table.rows[2][2]
    assert table.rows[4][0] is table.rows[5][0]
    pages = [row[2].page for row in table.rows]
    assert pages[0] == 1 and pages[-1] == 3 and pages == sorted(pages) and 2 in pages
    # the paragraph after the table is on the last page
    assert doc.paragraphs[-1].page == 3


def test_cells_are_not_also_paragraphs(long_report):
    doc = long_report
    assert doc.text.count("（三）不予公开17.其他情形17") == 1
    assert doc.text.count("申请人情况") == 1


def test_table_part_with_fewer_columns_joins_by_column_edges(tmp_path):
    """A table whose next-page part has merged columns (edges a subset) is still one table."""
    rows = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]]
    rows += [[f"规范性文件{k}", str(k), "0", str(k)] for k in range(1, 33)]
    rows += [["信息内容", "本年处理决定数量", None, None], ["行政许可", "550", None, None]]
    spans = [(len(rows) - 2, 1, 1, 3), (len(rows) - 1, 1, 1, 3)]
    path = write_pdf(tmp_path / "t.pdf", [("p", "二、主动公开政府信息情况"), ("table", rows, spans)],
                     font_size=14)
    doc = read(path)
    assert len(doc.tables) == 1
    got = table_texts(doc.tables[0])
    assert len(got) == len(rows)
    assert got[-1] == ["行政许可", "550", "550", "550"]
    assert doc.tables[0].rows[-1][1].page == 2


def test_empty_cell_below_a_vertical_header_at_a_page_break_stays_empty(tmp_path):
    """Bug: a header row of vertical headers ended page 1, the value row began page 2, and the
    empty value cell under "尚未审结" was taken for the header running on over the page break,
    so the reader printed the header's text as that cell's value."""
    head = ["结\n果\n维\n持", "结\n果\n纠\n正", "其\n他\n结\n果", "尚\n未\n审\n结", "总\n计"]
    filler = [("p", f"第{k}段：青禾县示范局全年开展示范工作。") for k in range(36)]
    doc = read(write_pdf(tmp_path / "t.pdf", filler + [("table", [head, ["2", "1", "0", "", "3"]], [])]))
    table = doc.tables[0]
    assert [c.page for c in table.rows[0]] == [1] * 5 and [c.page for c in table.rows[1]] == [2] * 5
    assert table_texts(table) == [["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
                                  ["2", "1", "0", "", "3"]]
    assert_offsets(doc)


def test_no_text_layer_raises(tmp_path):
    """The text-layer reader refuses a scan (`read` then hands it to OCR: test_readers_ocr)."""
    from extraction.readers.pdf import read_pdf
    with pytest.raises(NoTextLayer, match="OCR needed"):
        read_pdf(image_only_pdf(tmp_path / "scan.pdf"))


def test_scanned_page_among_text_pages_is_flagged(tmp_path):
    from PIL import Image
    from reportlab.pdfgen import canvas
    register_font()
    path = tmp_path / "mixed.pdf"
    c = canvas.Canvas(str(path))
    c.setFont(FONT, 12)
    c.drawString(72, 760, "一、总体情况")
    c.showPage()
    c.drawInlineImage(Image.new("L", (60, 80), 128), 72, 400, 300, 400)  # a "scanned" page
    c.showPage()
    c.save()
    doc = read(path)
    assert doc.text == "一、总体情况\n"
    assert any("scanned" in w and w.endswith(": 2") for w in doc.warnings)


def test_encrypted_pdf_raises(tmp_path):
    with pytest.raises(EncryptedFile, match="password needed"):
        read(chinese_pdf(tmp_path / "locked.pdf", ["一、总体情况"], encrypt="secret"))


def test_pdf_with_only_an_owner_password_reads(tmp_path):
    """Restrictions (no printing) without a user password: the PDF opens without asking."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas
    path = tmp_path / "owner.pdf"
    c = canvas.Canvas(str(path), encrypt=StandardEncryption("", ownerPassword="owner"))
    c.setFont("Helvetica", 12)
    c.drawString(72, 760, "Annual report 2031: 1234 items")
    c.showPage()
    c.save()
    assert read(path).text == "Annual report 2031: 1234 items\n"


def test_glyphs_without_unicode_are_flagged_not_output(tmp_path):
    """pdfminer cannot map this CID font in an encrypted file: "(cid:N)" must not become text."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas
    register_font()
    path = tmp_path / "cid.pdf"
    c = canvas.Canvas(str(path), encrypt=StandardEncryption("", ownerPassword="owner"))
    c.setFont(FONT, 12)
    c.drawString(72, 760, "一、总体情况")
    c.setFont("Helvetica", 12)
    c.drawString(72, 700, "Total 1234")
    c.showPage()
    c.save()
    doc = read(path)
    assert "(cid:" not in doc.text and "Total 1234" in doc.text
    if "一、总体情况" not in doc.text:  # (a later pdfminer may map it; then nothing is missing)
        assert any("no Unicode mapping" in w for w in doc.warnings)


def test_damaged_pdf_raises_unreadable_with_advice(tmp_path):
    ok = chinese_pdf(tmp_path / "ok.pdf", ["一、总体情况"])
    with pytest.raises(UnreadableFile, match="re-download"):
        read(truncate(ok, tmp_path / "half.pdf", 0.4))


def test_page_number_patterns():
    for s in ("- 2 -", "—3—", "2", "第 2 页", "第2页 共5页", "2/5", "Page 3 of 9"):
        assert is_page_number(s), s
    for s in ("一、总体情况", "1136条", "- 2 - 一、总体情况"):
        assert not is_page_number(s), s


def test_settings_reject_bad_values():
    with pytest.raises(ValueError):
        PdfSettings(margin_band=0.7)


def test_hongze_2023_tables_joined_across_pages():
    doc = read(shared_path("corpus", "reports", "hongze_2023.pdf"))
    assert_offsets(doc)
    assert [(len(t.rows), t.n_cols) for t in doc.tables] == [(14, 4), (26, 10), (4, 15)]
    proactive, requests, review = doc.tables
    # table 2 runs from page 2 to 3, its second part two columns wide
    assert proactive.rows[0][0].page == 2 and proactive.rows[-1][0].page == 3
    assert [c.text for c in proactive.rows[-1]][:2] == ["行政事业性收费", "7730.28"]
    assert proactive.rows[8][0].text == "信息内容"  # its top-left cell has no top rule in the PDF
    # table 3 runs from page 3 to 4: 3 head rows + 23 data rows
    texts = table_texts(requests)
    assert "自然人" in texts[1]
    assert texts[3][3:] == ["21", "0", "0", "0", "0", "0", "21"]
    assert texts[16][2:4] == ["2.没有现成信息需要另行制作", "3"]  # the last row on page 3
    assert texts[-1][0] == "四、结转下年度继续办理"
    assert requests.rows[16][3].page == 3 and requests.rows[17][3].page == 4
    # the label merged over the page break is one cell
    assert requests.rows[5][0] is requests.rows[-2][0]
    assert requests.rows[5][0].text == "三、本年度办理结果"
    assert table_texts(review)[-1][:2] == ["10", "1"]
    assert "- 1 -" not in doc.text and "- 4 -" not in doc.text
    assert "健康发展。" in doc.text


def test_hongze_2024_reads_the_same_layout():
    doc = read(shared_path("corpus", "reports", "hongze_2024.pdf"))
    assert_offsets(doc)
    assert [(len(t.rows), t.n_cols) for t in doc.tables] == [(14, 4), (26, 10), (4, 15)]
    texts = table_texts(doc.tables[1])
    assert texts[3][3] == "95"
    assert texts[15][1:4] == ["（四）无法提供", "1.本机关不掌握相关政府信息", "31"]
    # "（四）无法提供" continues on page 4 as the same cell
    assert doc.tables[1].rows[15][1] is doc.tables[1].rows[16][1]
    assert doc.tables[0].rows[-1][1].text == "7545"
    assert doc.paragraphs[0].page == 1 and doc.paragraphs[-1].page == 5
