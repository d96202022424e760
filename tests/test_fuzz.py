"""Hypothesis fuzzes the parsers that read untrusted text: they may refuse, never crash.

- the flattened-text table parser, on template-shaped noise: labels, numbers, blanks and junk
  in random serialisations; every value it returns must point at text that prints it;
- the table cell parser (`parse_value`): a value or None or ValueError, nothing else;
- the figure value normaliser (`normalize`): a Quantity or ValueError, nothing else.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from extraction.document import document_from_text
from extraction.figures.normalize import normalize
from extraction.sections import find_sections
from extraction.tables import extract_tables
from extraction.tables.values import parse_value

LABELS = ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "自然人", "商业企业",
          "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开",
          "三、本年度办", "理结果", "（七）总计", "四、结转下年度继续办理", "行政复议", "结 果 维 持",
          "规章", "行政规范性文件", "本年制发件数", "行政事业性收费", "（六）其他处理", "3.其他",
          "四、政府信息公开行政复议、行政诉讼情况", "总计", "尚未审结"]
CELLS = st.one_of(
    st.sampled_from(LABELS),
    st.integers(0, 10**7).map(str),
    st.sampled_from(["", "—", "-", "/", "无", "１２", "1,234", "12 ", "3388.52", "\u00a0"]),
    st.text(alphabet="0123456789一二三、（）()．. \t|万元件", max_size=12),
)
SEPARATORS = st.sampled_from(["\n", "\t", "\n\n", "\n\t", " | ", "|", ""])


@st.composite
def flattened_tables(draw) -> str:
    cells = draw(st.lists(CELLS, max_size=120))
    seps = draw(st.lists(SEPARATORS, min_size=len(cells), max_size=len(cells)))
    return "".join(c + s for c, s in zip(cells, seps))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flattened_tables())
def test_table_parser_never_crashes_and_values_point_at_their_text(text):
    doc = document_from_text(text)
    result = extract_tables(doc, find_sections(doc))
    for key, value in result.values.items():
        if value is None:
            continue
        cell = result.cells.get(key)
        assert cell is not None, key  # a number always says where it was printed
        if not cell.get("inferred") and cell.get("start") is not None:
            printed = doc.text[cell["start"]:cell["end"]]
            assert printed == cell["raw"]


@given(st.text(max_size=20))
def test_parse_value_returns_a_value_or_refuses(raw):
    try:
        v = parse_value(raw)
    except ValueError:
        return
    assert v is None or isinstance(v, (int, float))


@given(st.text(max_size=20), st.text(max_size=6), st.text(max_size=6))
def test_normalize_returns_a_quantity_or_refuses(qty, before, after):
    try:
        q = normalize(qty, before, after)
    except ValueError:
        return
    assert isinstance(q.value, (int, float)) and isinstance(q.unit, str) and isinstance(q.approx, bool)


@given(st.from_regex(r"[0-9]{1,6}(\.[0-9]{1,2})?(余|多)?(万|亿)?(条|件|个|次|元|%)", fullmatch=True))
def test_normalize_reads_every_well_formed_quantity(qty):
    q = normalize(qty)
    assert q.value >= 0 and q.unit
