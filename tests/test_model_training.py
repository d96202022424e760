"""A tiny character BERT pre-trained and fine-tuned end to end on texts written here, in seconds."""
import random

import pytest

from extraction.figures.model import FigureTagger, TaggerSettings, windows
from training.pretrain import PretrainArgs
from training.pretrain import main as pretrain
from training.train import TrainArgs, fine_tune, span_metrics

from model_helpers import invented_doc

TINY = dict(layers=1, hidden=32, heads=2, ffn=64)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    rng = random.Random(7)
    docs = [invented_doc(rng) for _ in range(60)]
    base = tmp_path_factory.mktemp("base")
    pretrain(PretrainArgs(output_dir=str(base), texts=[d["text"] for d in docs], epochs=1,
                          max_len=64, seed=1, **TINY))
    args = TrainArgs(base=str(base), silver=False, epochs=15, min_steps=0, batch_size=8,
                     learning_rate=3e-3, window=32, stride=24, unk_rate=0.0, seed=1)
    model, tokenizer, losses = fine_tune(args, docs)
    return model, tokenizer, losses


def test_loss_falls(trained):
    _, _, losses = trained
    assert losses[-1] < 0.3 * losses[0]


def test_finds_a_known_span(trained):
    model, tokenizer, _ = trained
    tagger = FigureTagger(model, tokenizer, TaggerSettings(window=32, stride=24))
    text = "白水镇人民政府2022年3月，主动公开政府信息321条，其中政务动态45条，政策解读7篇，均在10个工作日内答复。"
    spans = tagger.tag([text])[0]
    qtys = [s["text"] for s in spans if s["label"] == "QTY"]
    assert "321条" in qtys and "45条" in qtys
    assert "10个" not in qtys and not any("年" in q for q in qtys)  # a time limit and a year
    assert all(0 < s["score"] <= 1 for s in spans)


def test_span_across_window_edges_found_once_whole(trained):
    model, tokenizer, _ = trained
    rng = random.Random(99)
    docs = [invented_doc(rng) for _ in range(8)]
    text = "".join(d["text"] for d in docs)
    gold, offset = [], 0
    for d in docs:
        gold += [dict(s, start=s["start"] + offset, end=s["end"] + offset) for s in d["spans"]]
        offset += len(d["text"])
    settings = TaggerSettings(window=32, stride=16)
    cuts = {b for _, _, _, b in windows(len(text), 32, 16)} | {e for _, e, _, _ in windows(len(text), 32, 16)}
    crossing = [s for s in gold if s["label"] == "QTY" and any(s["start"] < c < s["end"] for c in cuts)]
    assert crossing, "the test text must put a QTY across a window edge"
    spans = FigureTagger(model, tokenizer, settings).tag([text])[0]
    found = [(s["start"], s["end"]) for s in spans if s["label"] == "QTY"]
    assert len(found) == len(set(found))                       # nothing doubled
    for s in crossing:
        assert found.count((s["start"], s["end"])) == 1         # found once, not cut
    assert span_metrics([{"text": text, "spans": gold}], [spans])["QTY"]["f1-score"] > 0.9


def test_tag_shifts_region_offsets(trained):
    model, tokenizer, _ = trained
    tagger = FigureTagger(model, tokenizer, TaggerSettings(window=32, stride=24))
    text = "青山区教育局2021年5月，主动公开政府信息88条，其中政务动态6条，政策解读3篇。"
    plain, shifted = tagger.tag([text, (text, 1000)])
    assert [(s["start"] + 1000, s["end"] + 1000) for s in plain] == [(s["start"], s["end"]) for s in shifted]
