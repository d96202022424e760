"""The text an annotator is shown: tables printed one cell a line read as rows, and every offset
is still the document's (same length, only the blanks between cells changed)."""
from __future__ import annotations

import pytest

from extraction.annotate.convert import export_to_gold, sha256_text
from extraction.annotate.display import document_text, shown_text, task_data
from table_texts import INTRO, render, table_rows


def same_but_blanks(text: str, shown: str) -> bool:
    return len(shown) == len(text) and all(a == b or (a.isspace() and b in "\t\n\u200b")
                                           for a, b in zip(text, shown))


def visible_lines(shown: str) -> list[str]:
    return [line.replace("\u200b", "") for line in shown.split("\n")]


@pytest.mark.parametrize("shape", ["lines", "cell_lines"])
def test_a_table_printed_one_cell_a_line_is_shown_as_rows(shape):
    text = render(table_rows(), shape)
    shown = shown_text(text)
    assert same_but_blanks(text, shown)
    lines = visible_lines(shown)
    assert not any(line.strip().isdigit() for line in lines)  # no number alone on a line
    # a row reads on one line, its cells separated by tabs; the narrative is untouched
    assert "行政许可\t" in "\n".join(line.strip() for line in lines)
    assert any(line.strip().startswith("（一）予以公开\t") for line in lines)
    assert INTRO in lines and "" not in lines[1:-1]  # no blank lines left inside


def test_text_that_is_already_rows_is_shown_as_it_is():
    text = render(table_rows(), "tab")
    assert shown_text(text) == text
    assert task_data(text) == {"text": text}  # the document text is sent once


def test_task_data_carries_the_document_text_offsets_index():
    text = render(table_rows(), "lines")
    data = task_data(text)
    assert data["text"] == shown_text(text) != text and document_text(data) == text
    assert document_text({"text": "只有原文"}) == "只有原文"


def test_a_region_drawn_on_the_shown_text_is_pulled_in_document_offsets():
    """What Label Studio records on the shown text (offsets, and the shown characters as the
    region's text) comes back as the document's span."""
    text = render(table_rows(), "lines")
    data = {**task_data(text), "sha256": sha256_text(text), "source": "表格.txt"}
    shown = data["text"]
    row = shown.index("行政许可\t")
    start, end = row, shown.index("\n", row)  # the whole row, across the joined cells
    after = text.index("公开内容")
    result = [{"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
               "value": {"start": start, "end": end, "text": shown[start:end], "labels": ["ITEM"]}},
              {"id": "b", "from_name": "label", "to_name": "text", "type": "labels",
               "value": {"start": after, "end": after + 4, "text": "公开内容", "labels": ["ITEM"]}}]
    pulled = export_to_gold([{"id": 1, "data": data, "annotations": [{"id": 2, "result": result}]}])
    assert pulled.problems == []
    (doc,) = pulled.docs
    assert doc["text"] == text and doc["sha256"] == sha256_text(text)
    assert [(s["start"], s["end"], s["text"]) for s in doc["spans"]] == \
        [(start, end, text[start:end]), (after, after + 4, "公开内容")]
    assert "\n" in doc["spans"][0]["text"]  # the document's characters, not the shown ones


def test_a_shown_text_of_another_length_is_refused():
    text = render(table_rows(), "lines")
    data = {"text": shown_text(text) + "。", "document": text, "sha256": sha256_text(text)}
    pulled = export_to_gold([{"id": 1, "data": data, "annotations": [{"id": 2, "result": []}]}])
    assert pulled.docs == [] and "not the document's" in pulled.problems[0]


def test_real_reports_keep_every_character_at_its_offset():
    from conftest import shared_path
    texts = sorted(shared_path("corpus", "narrative").glob("*.txt")) + \
        sorted(shared_path("corpus", "narrative-2").glob("*.txt"))
    joined = 0
    for path in texts:
        text = path.read_text(encoding="utf-8")
        shown = shown_text(text)
        assert same_but_blanks(text, shown), path.name
        joined += shown != text
        if path.name == "p0008.txt":  # a crawled table, one cell a line
            lines = visible_lines(shown)
            assert not any(line.strip().isdigit() for line in lines)
            assert "规章\t0\t0\t0" in lines
    assert joined, "precondition: some real report prints a table one cell a line"
