"""Windows over long text: every character is owned by exactly one window, the most central."""
import pytest

from extraction.figures.labels import from_bio
from extraction.figures.model import TaggerSettings, token_tags_to_chars, windows


@pytest.mark.parametrize("n, window, stride", [(1, 16, 12), (16, 16, 12), (17, 16, 12),
                                               (100, 16, 12), (1000, 256, 192), (50, 10, 10)])
def test_owned_ranges_tile_the_text(n, window, stride):
    ws = windows(n, window, stride)
    owned = [t for _, _, a, b in ws for t in range(a, b)]
    assert owned == list(range(n))
    for s, e, a, b in ws:
        assert s <= a <= b <= e and e - s <= window


def test_each_token_is_owned_by_its_most_central_window():
    ws = windows(100, 16, 12)
    for t in range(100):
        def margin(w):
            s, e = w[0], w[1]
            return min(t - s, e - 1 - t)
        covering = [w for w in ws if w[0] <= t < w[1]]
        owner = next(w for w in ws if w[2] <= t < w[3])
        assert margin(owner) >= max(margin(w) for w in covering) - 1


def test_span_across_window_edge_merges_once():
    # Tags predicted per window; the two windows agree on the span across their edge.
    text = "x" * 10 + "4147余条" + "x" * 10
    ws = windows(len(text), 16, 12)
    tags = ["O"] * len(text)
    for s, e, a, b in ws:
        window_tags = ["O"] * (e - s)
        for i in range(10, 16):
            if s <= i < e:
                window_tags[i - s] = "B-QTY" if i == 10 else "I-QTY"
        for t in range(a, b):
            tags[t] = window_tags[t - s]
    spans = from_bio(tags, text)
    assert [(s["start"], s["end"], s["text"]) for s in spans] == [(10, 16, "4147余条")]


def test_subword_tags_spread_to_characters():
    tags, _ = token_tags_to_chars(6, [(0, 2), (2, 5), (5, 6)], ["O", "B-QTY", "O"], [0.9, 0.8, 0.7])
    assert tags == ["O", "O", "B-QTY", "I-QTY", "I-QTY", "O"]


def test_settings_reject_a_stride_longer_than_the_window():
    with pytest.raises(ValueError):
        TaggerSettings(window=16, stride=20)
