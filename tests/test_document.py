from extraction.document import DocumentBuilder, document_from_text
from extraction.template import all_keys


def test_builder_offsets_index_text_for_paragraphs_and_merged_cells():
    b = DocumentBuilder("html")
    b.add_paragraph("一、总体情况\n主动公开4147条")
    block = b.add_table([["信息内容", None, "本年制发件数"], ["规章", "x", "3"]],
                        spans=[(0, 0, 1, 2)])
    doc = b.build()
    assert [doc.block_text(p) for p in doc.paragraphs] == ["一、总体情况", "主动公开4147条"]
    t = block.table
    assert t.rows[0][0] is t.rows[0][1]  # the merged cell stands at both positions
    for row in t.rows:
        for cell in row:
            assert doc.text[cell.start:cell.end] == cell.text
    assert t.rows[1][2].text == "3"


def test_text_document_keeps_lines_exactly():
    doc = document_from_text("a\r\n\t\r\nb")
    assert doc.text == "a\n\t\nb"
    assert [doc.block_text(p) for p in doc.paragraphs] == ["a", "b"]


def test_key_counts_match_template():
    assert len(all_keys("2021")) == 10 + 25 * 7 + 15
    assert len(all_keys("2021", single_other=True)) == 10 + 23 * 7 + 15
