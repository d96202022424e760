"""Marking spans in the text: any set of spans (overlapping, nested, empty) keeps the text intact
and each span's pieces spell exactly its text."""
from __future__ import annotations

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.review.marks import Mark, render_marked


@st.composite
def text_and_marks(draw):
    text = draw(st.text(alphabet="申请12件<>&\"'\n\t ", max_size=40))
    n = draw(st.integers(0, 6))
    marks = []
    for k in range(n):
        a = draw(st.integers(0, len(text)))
        b = draw(st.integers(a, len(text)))
        kind = draw(st.sampled_from(["qty", "item", "cell"]))
        marks.append(Mark(a, b, f"{kind[0]}{k}", kind, f"title <{k}>"))
    return text, marks


@settings(max_examples=150, deadline=None)
@given(text_and_marks())
def test_marks_keep_the_text_and_cover_their_spans(case):
    text, marks = case
    root = lxml.html.fromstring(f"<pre id='t'>{render_marked(text, marks)}</pre>")
    assert root.text_content() == text
    for m in marks:
        pieces = root.xpath(f'.//span[contains(concat(" ", @data-ids, " "), " {m.id} ")]')
        assert "".join(p.text_content() for p in pieces) == text[m.start:m.end]
        if m.start == m.end:
            assert len(pieces) == 1 and "empty" in pieces[0].get("class").split()
    assert not root.xpath(".//span//span")  # pieces are flat, never nested


def test_a_blank_cell_is_an_empty_anchor_at_its_place():
    html = render_marked("规章\t\t3", [Mark(3, 3, "c0", "cell", "blank"), Mark(4, 5, "c1", "cell", "3")])
    assert html.startswith('规章\t<span class="cell empty m" data-ids="c0"')
    assert html.endswith('data-ids="c1" title="3">3</span>')
