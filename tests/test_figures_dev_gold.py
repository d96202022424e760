"""Agreement of normalisation and linking with every gold QTY of the dev set (shared data)."""
from conftest import shared_path

from extraction.figures.link import link_spans
from extraction.figures.normalize import normalize
from training.gold import default_gold


def dev_gold():
    return default_gold(shared_path("gold", "narrative-dev.jsonl").parent.parent)


def test_normalisation_agrees_with_gold_values():
    n = ok = 0
    for d in dev_gold():
        for q in d.qtys:
            n += 1
            got = normalize(q["text"], d.text[max(0, q["start"] - 6):q["start"]], d.text[q["end"]:q["end"] + 4])
            ok += (got.value, got.unit, got.approx) == (q["value"], q["unit"], q["approx"])
    assert ok / n >= 0.99  # measured 1020/1027: the rest have units the annotator inferred


def test_linking_gold_spans_agrees_with_gold_links():
    n = ok = 0
    for d in dev_gold():
        for qi, ii in link_spans(d.text, d.spans).items():
            n += 1
            ok += (d.spans[ii]["id"] if ii is not None else None) == d.spans[qi].get("item")
    assert ok / n >= 0.97  # measured 0.983
