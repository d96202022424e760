"""Rule hints (hints.py) and hint dropout in training: what the model is told about each character."""
import random

from extraction.figures.hints import HINT_TYPES, rule_hints
from training.train import drop_hints


def test_hint_dropout_hides_whole_spans_as_if_the_rules_missed_them():
    # 共 12件 ， 部门 : O B-QTY I-QTY I-QTY O B-ITEM I-ITEM
    types = [0, 1, 2, 2, 0, 3, 4]
    numeral = [False, True, True, False, False, False, False]
    assert drop_hints(types, numeral, 0.0, random.Random(1)) == types
    assert drop_hints(types, numeral, 1.0, random.Random(1)) == [0, 5, 5, 0, 0, 0, 0]  # 5: NUM
    seen = set()
    for seed in range(50):
        out = drop_hints(types, numeral, 0.5, random.Random(seed))
        assert out[1:4] in ([1, 2, 2], [5, 5, 0]) and out[5:7] in ([3, 4], [0, 0])
        seen.add(tuple(out))
    assert len(seen) == 4


def test_number_hints_mark_only_numerals_the_rules_neither_tagged_nor_ruled_out():
    text = ("2023年主动公开政府信息12条，关注量达269万。\n1.电话0871-4126176，12345热线，"
            "均在20个工作日内答复。\n3\n")
    offsets = [(i, i + 1) for i in range(len(text))]
    hints = [HINT_TYPES[t] for t in rule_hints(text, offsets, numbers=True)]
    at = text.index
    assert hints[at("269万"):at("269万") + 4] == ["NUM"] * 4          # a count without a unit
    assert hints[at("12条"):at("12条") + 3] == ["B-QTY", "I-QTY", "I-QTY"]  # the rules' own
    # Not the year, the list marker, the phone, the hotline, 20个工作日 (judged by the rules), a cell.
    assert hints.count("NUM") == 4
    assert "NUM" not in [HINT_TYPES[t] for t in rule_hints(text, offsets, numbers=False)]


def test_field_hints_type_the_rules_quantities_by_the_lexicon_where_it_has_an_opinion():
    from extraction.figures.hints import FIELD_HINT_TYPES
    text = "主动公开政府信息12条，其中政务动态5条。组织业务学习3场。"
    offsets = [(i, i + 1) for i in range(len(text))]
    hints = [FIELD_HINT_TYPES[t] for t in rule_hints(text, offsets, numbers=True, fields=True)]
    at = text.index
    assert hints[at("12条"):at("12条") + 3] == ["B-QTY.proactive_total"] + ["I-QTY.proactive_total"] * 2
    assert hints[at("5条"):at("5条") + 2] == ["B-QTY.news_updates", "I-QTY.news_updates"]
    assert hints[at("3场"):at("3场") + 2] == ["B-QTY", "I-QTY"]  # the lexicon has no opinion
    assert rule_hints(text, offsets, numbers=True) == [
        {"B-QTY": 1, "I-QTY": 2}.get(h.partition(".")[0], FIELD_HINT_TYPES.index(h)) for h in hints]


def test_field_hint_dropout_keeps_the_span_and_drops_only_its_type():
    from extraction.figures.hints import HINT_ID
    typed = [HINT_ID["O"], HINT_ID["B-QTY.news_updates"], HINT_ID["I-QTY.news_updates"], HINT_ID["O"]]
    assert drop_hints(typed, [False] * 4, 0.0, random.Random(1), 1.0) == [0, 1, 2, 0]
    assert drop_hints(typed, [False] * 4, 0.0, random.Random(1), 0.0) == typed
