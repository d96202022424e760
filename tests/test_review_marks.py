"""Marking spans in the text: any set of spans (overlapping, nested, empty) keeps the text intact
and each span's pieces spell exactly its text."""
from __future__ import annotations

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.review.marks import Mark, render_marked
from extraction.record import Record


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


# Records come from files (records.jsonl) that other tools may write: whatever a field holds, the
# page and the summary still render, and say what they could not place.
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 60), st.floats(allow_nan=False, width=32),
                    st.text(alphabet="申请<>&x1.", max_size=5))
key = st.sampled_from(["requests.new.total", "review.total", "proactive.fees.amount_wan_yuan",
                       "requests.other.total.total", "x.y"])
figure = st.fixed_dictionaries({}, optional={k: scalars for k in (
    "item", "qty", "value", "unit", "approx", "field", "start", "end", "item_start", "item_end",
    "score", "by")})
check = st.fixed_dictionaries({}, optional={"rule": st.sampled_from(["balance", "row_total", "outcome_sum",
                                                                     "review_total", "other"]),
                                            "key": st.one_of(key, st.just("requests.*.total"), st.just("x.*")),
                                            "ok": scalars, "left": scalars, "right": scalars,
                                            "detail": scalars, "blanks_as_zero": scalars})
record = st.fixed_dictionaries({"source": st.just("nowhere.txt")}, optional={
    "title": scalars, "agency": scalars, "year": scalars, "template": st.sampled_from(["2021", "2019", None]),
    "values": st.dictionaries(key, scalars, max_size=4),
    "cells": st.dictionaries(key, st.dictionaries(st.sampled_from(["raw", "start", "end", "page", "inferred"]),
                                                  scalars), max_size=4),
    "figures": st.lists(figure, max_size=4), "checks": st.lists(check, max_size=4),
    "warnings": st.lists(scalars, max_size=3)})


@settings(max_examples=80, deadline=None)
@given(record, st.text(alphabet="申请12件\n", max_size=30))
def test_any_record_renders(rec, text):
    from extraction.review.page import render_page
    root = lxml.html.fromstring(render_page(Record.from_json(rec), text))
    assert root.get_element_by_id("text").text_content() == text
    assert root.xpath('//table[@id="table3"]')


@settings(max_examples=40, deadline=None)
@given(st.lists(record, min_size=1, max_size=3))
def test_any_records_summarise(recs):
    from extraction.review.summary import render_summary
    root = lxml.html.fromstring(render_summary([Record.from_json(r) for r in recs]))
    assert root.get_element_by_id("n-reports").text_content().startswith(str(len(recs)))
