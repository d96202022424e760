"""Decoding the tagger's per-token label distributions into well-formed spans (decode.py)."""
from extraction.figures.labels import LABELS, from_bio
from extraction.figures.decode import bio_decode, follows, joined_tokens

O, BQ, IQ, BI, II = range(5)


def dist(**p):
    """A distribution over LABELS from keyword probabilities (O, BQ, IQ, BI, II)."""
    row = [p.get(name, 0.0) for name in ("O", "BQ", "IQ", "BI", "II")]
    return [x / sum(row) for x in row]


def decode(rows, joined=None):
    return [LABELS[k] for k in bio_decode(rows, list(LABELS), joined)]


def test_a_span_without_its_start_is_taken_from_its_real_start():
    # 一个: the model puts 一 just under O and 个 in the middle of a QTY.
    rows = [dist(O=0.9, BQ=0.1), dist(O=0.55, BQ=0.45), dist(O=0.3, IQ=0.7), dist(O=0.9, IQ=0.1)]
    tags = decode(rows)
    assert tags == ["O", "B-QTY", "I-QTY", "O"]
    assert [s["text"] for s in from_bio(tags, "少一个。")] == ["一个"]


def test_a_weak_orphan_continuation_is_dropped_rather_than_started():
    rows = [dist(O=0.9, BQ=0.1), dist(O=0.95, BQ=0.05), dist(O=0.45, IQ=0.55), dist(O=0.9, IQ=0.1)]
    assert decode(rows) == ["O", "O", "O", "O"]


def test_an_item_split_in_two_is_read_as_one():
    rows = [dist(O=0.9, BI=0.1), dist(O=0.2, BI=0.5, II=0.3), dist(O=0.1, BI=0.5, II=0.4),
            dist(O=0.1, II=0.9), dist(O=0.9, IQ=0.1)]
    assert decode(rows) == ["O", "B-ITEM", "I-ITEM", "I-ITEM", "O"]


def test_well_formed_predictions_keep_each_tokens_best_label():
    rows = [dist(O=0.6, BI=0.4), dist(O=0.2, II=0.8), dist(O=0.4, BQ=0.6), dist(O=0.3, IQ=0.7),
            dist(O=0.9, II=0.1)]
    # I-ITEM after O would be ill-formed, but here the run starts at a B: nothing changes.
    rows[0] = dist(O=0.4, BI=0.6)
    assert decode(rows) == ["B-ITEM", "I-ITEM", "B-QTY", "I-QTY", "O"]


def test_no_span_begins_or_ends_inside_a_number():
    text = "2021年1月"
    joined = joined_tokens(text, [(i, i + 1) for i in range(len(text))])
    assert joined == [False, True, True, True, False, False, False]
    # The model's best labels tag the 1 of 2021 alone: a span that cuts a number.
    rows = [dist(O=0.9, BQ=0.1), dist(O=0.9, IQ=0.1), dist(O=0.9, IQ=0.1), dist(O=0.4, BQ=0.6),
            dist(O=0.99, IQ=0.01), dist(O=0.5, BQ=0.5), dist(O=0.99, IQ=0.01)]
    tags = decode(rows, joined)
    assert tags[:5] == ["O"] * 5
    # Where the whole number is likelier a quantity, it is taken whole.
    rows[0] = dist(O=0.3, BQ=0.7)
    rows[1] = rows[2] = dist(O=0.3, IQ=0.7)
    rows[3] = dist(O=0.3, BQ=0.4, IQ=0.3)
    assert decode(rows, joined)[:4] == ["B-QTY", "I-QTY", "I-QTY", "I-QTY"]


def test_transition_rules():
    assert follows("B-QTY", "I-QTY") and follows("I-QTY", "I-QTY")
    assert not follows("O", "I-QTY") and not follows("B-ITEM", "I-QTY")
    assert not follows("I-ITEM", "B-ITEM") and follows("I-ITEM", "B-QTY")
    assert follows("I-QTY", "B-QTY")  # quantities touch: 七大类48项
    assert not follows("I-QTY", "B-QTY", joined=True) and not follows("I-QTY", "O", joined=True)
    assert follows("B-QTY", "I-QTY", joined=True) and follows("O", "O", joined=True)


def test_an_item_neither_ends_nor_starts_inside_a_word():
    from extraction.figures.decode import word_inside
    text = "举办培训班3期"
    offsets = [(i, i + 1) for i in range(len(text))]
    inside = word_inside(text, offsets)  # jieba: 举办 培训班 3 期
    assert inside == [False, True, False, True, True, False, False]
    # The model is sure of 培训 and unsure of 班: cut there, the item loses what it counts.
    rows = [dist(O=0.97, BI=0.03), dist(O=0.97, BI=0.03), dist(O=0.1, BI=0.9), dist(O=0.1, II=0.9),
            dist(O=0.6, II=0.4), dist(O=0.1, BQ=0.9), dist(O=0.1, IQ=0.9)]
    assert [s["text"] for s in from_bio(decode(rows), text)] == ["培训", "3期"]
    words = [LABELS[k] for k in bio_decode(rows, list(LABELS), None, inside)]
    assert [s["text"] for s in from_bio(words, text)] == ["培训班", "3期"]
    assert not follows("I-ITEM", "O", in_word=True) and not follows("O", "B-ITEM", in_word=True)
    assert follows("I-ITEM", "I-ITEM", in_word=True) and follows("I-QTY", "O", in_word=True)
