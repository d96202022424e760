"""The regression gate (paired bootstrap over documents) and the model registry."""
from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

from extraction.cli import main
from training.gate import GateSettings, compare
from training.registry import Registry


def span_f1(docs) -> dict:
    """QTY exact-span F1 over (gold spans, predicted spans) pairs: sets of (start, end)."""
    tp = npred = ngold = 0
    for gold, pred in docs:
        tp += len(gold & pred)
        npred += len(pred)
        ngold += len(gold)
    p = tp / npred if npred else 1.0
    r = tp / ngold if ngold else 1.0
    return {"qty_f1": 2 * p * r / (p + r) if p + r else 0.0, "recall": r}


def _docs(n=30, per_doc=8, seed=1):
    rng = random.Random(seed)
    return [{(i * 10, i * 10 + rng.randint(2, 5)) for i in range(per_doc)} for _ in range(n)]


def _predict(gold_docs, miss, seed):
    """Predictions that miss each gold span with probability `miss` (a model of that quality)."""
    rng = random.Random(seed)
    return [(g, {s for s in g if rng.random() >= miss}) for g in gold_docs]


SETTINGS = GateSettings(resamples=300)


def test_gate_refuses_a_candidate_made_worse_and_names_the_measure():
    gold = _docs()
    base = _predict(gold, 0.05, seed=2)
    worse = _predict(gold, 0.35, seed=3)
    v = compare(base, worse, span_f1, SETTINGS)
    assert not v.promote
    assert {c.name for c in v.fallen} == {"qty_f1", "recall"}
    text = v.describe()
    assert text.startswith("refused: qty_f1 fell from ")
    b, c = span_f1(base)["qty_f1"], span_f1(worse)["qty_f1"]
    assert f"{b:.3f}" in text and f"{c:.3f}" in text


def test_gate_promotes_a_better_or_equally_good_candidate():
    gold = _docs()
    base = _predict(gold, 0.2, seed=2)
    assert compare(base, _predict(gold, 0.05, seed=3), span_f1, SETTINGS).promote
    # the same quality with different mistakes is noise, not a fall
    same = compare(base, _predict(gold, 0.2, seed=4), span_f1, SETTINGS)
    assert same.promote, same.describe()
    assert same.describe().startswith("promoted: no measure fell beyond noise over 30 documents")


def test_one_worse_document_among_many_is_noise():
    gold = _docs()
    base = [(g, set(g)) for g in gold]
    cand = list(base)
    cand[0] = (gold[0], set())  # one document entirely missed
    assert compare(base, cand, span_f1, SETTINGS).promote


def test_gate_settings_are_checked():
    with pytest.raises(ValueError):
        GateSettings(confidence=1.0)
    with pytest.raises(ValueError):
        compare([], [], span_f1, SETTINGS)


def _model(tmp_path, name):
    d = tmp_path / "trained" / name
    d.mkdir(parents=True)
    (d / "config.json").write_text("{}")
    (d / "model.safetensors").write_bytes(b"weights " + name.encode())
    return d


def test_registry_keeps_versions_promotes_and_refuses(tmp_path):
    root = tmp_path / "models"
    reg = Registry(root)
    assert reg.default is None and reg.default_path() is None
    a = reg.add(_model(tmp_path, "a"), {"qty_f1": 0.9})
    reg.promote(a.version, "first model")
    b = reg.add(_model(tmp_path, "b"), {"qty_f1": 0.95})
    assert b.parent == a.version
    reg.promote(b.version, "promoted: better")
    c = reg.add(_model(tmp_path, "c"), {"qty_f1": 0.5})
    reg.refuse(c.version, "refused: qty_f1 fell from 0.950 to 0.500")

    again = Registry(root)  # read back from registry.json
    assert [e.version for e in again.entries] == ["v001", "v002", "v003"]
    assert again.default == "v002"
    assert again.default_path() == root / "v002"
    # the runtime reads the same default without importing training
    from extraction.figures import registered_default
    assert registered_default(root) == ("v002", root / "v002")
    assert (root / "v001" / "model.safetensors").read_bytes() == b"weights a"  # earlier kept
    assert not (root / "v003").exists() and again.get("v003").path is None
    assert again.get("v003").status == "refused"
    with pytest.raises(ValueError):
        again.promote("v003")
    json.loads((root / "registry.json").read_text())

    r = CliRunner().invoke(main, ["models", "--models-dir", str(root)])
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[0].startswith("  v001") and "qty_f1 0.900" in lines[0]
    assert any(l.startswith("* v002") for l in lines)
    assert "refused: qty_f1 fell from 0.950 to 0.500" in r.output


def test_a_shipped_model_folder_is_adopted_as_the_default(tmp_path):
    root = tmp_path / "models"
    (root / "xxgk-figures").mkdir(parents=True)
    reg = Registry(root)
    assert reg.default == "xxgk-figures"
    assert reg.default_path() == root / "xxgk-figures"
    from extraction.figures import registered_default
    assert registered_default(root) == ("xxgk-figures", root / "xxgk-figures")  # no registry.json yet
    v = reg.add(_model(tmp_path, "n"), {})
    assert v.version == "v001" and v.parent == "xxgk-figures"


def test_xxgk_models_shows_the_shipped_models_scores_and_training_date(tmp_path):
    """The date and metrics come from the model's training.json, not from file times."""
    shipped = tmp_path / "xxgk-figures"
    shipped.mkdir()
    cv = {"qty": {"f1": 0.987}, "item": {"f1": 0.912}, "field": {"f1": 0.876}, "link_accuracy": 0.9}
    (shipped / "training.json").write_text(json.dumps({"trained": "2020-01-02T03:04:05Z",
                                                       "cv": {"model": cv}}), encoding="utf-8")
    out = CliRunner().invoke(main, ["models", "--models-dir", str(tmp_path)]).output
    assert "2020-01-02T03:04:05Z" in out
    assert "qty_f1 0.987" in out and "item_f1 0.912" in out and "link_accuracy 0.900" in out
    (shipped / "training.json").unlink()
    assert "undated" in CliRunner().invoke(main, ["models", "--models-dir", str(tmp_path)]).output


def test_train_with_annotations_reaches_the_retrain(tmp_path):
    """`xxgk train --annotations` hands its options to the retrain: here every gold document is
    in the evaluation set, so nothing is left to train on, and it says so."""
    import random

    from tiny_figures import report, write_gold
    gold, texts, _ = write_gold(tmp_path / "gold", "gold", [report(random.Random(1))], "g")
    r = CliRunner().invoke(main, ["train", "--base", str(tmp_path / "no-base"),
                                  "--annotations", str(tmp_path / "annotations"),
                                  "--gold", str(gold), "--texts", str(texts),
                                  "--eval-gold", str(gold), "--eval-texts", str(texts),
                                  "--models-dir", str(tmp_path / "models")])
    assert r.exit_code != 0 and "nothing to train on" in r.output
