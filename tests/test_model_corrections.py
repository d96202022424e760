"""Corrections teach: a field people correct in a few annotated documents changes what the learned
part (the model's spans, the field classifier trained beside it) outputs on other documents after
`xxgk train --annotations`, and the gate promotes it.

Real path, tiny scale: invented reports (tiny_figures), a tiny untrained character BERT, real
fine-tuning, stand-off annotation records written by the annotation store, the real CLI, the
real registry and gate. The rules map no field for 业务学习N场 (the lexicon has no opinion), so
whatever field comes out is learned.
"""
from __future__ import annotations

import random

import pytest
from click.testing import CliRunner

from tiny_figures import report, tiny_base, write_gold

pytestmark = pytest.mark.filterwarnings("ignore")

TRAIN = ["--epochs", "1", "--learning-rate", "3e-3", "--seed", "7"]


def study_fields(model_dir, texts: list[str]) -> list:
    """The field of each 业务学习 figure the model finds."""
    from extraction.figures import load_default_model
    from extraction.figures.figures import figures_from_spans
    tagger = load_default_model(model_dir)
    out = []
    for text, spans in zip(texts, tagger.tag(texts)):
        for f in figures_from_spans(text, spans, mapper=tagger.field_mapper):
            if f["item"] == "业务学习":
                out.append(f["field"])
    return out


def test_corrected_field_changes_the_output_after_retraining(tmp_path):
    from extraction.annotate.store import save_records
    from extraction.cli import main
    from training.gold import sha256_text
    rng = random.Random(3)
    # Study sessions are rare in the first gold, and their annotators missed the field the
    # guideline gives them (trainings).
    first = [report(rng, with_study=i < 4, study_field=None) for i in range(16)]
    corrected = [report(rng) for _ in range(10)]     # K documents a person fixes
    evaluation = [report(rng) for _ in range(6)]     # the gate's fixed set, annotated right
    unseen = [report(rng) for _ in range(6)]         # never trained on, never gated on
    gold, gold_texts, _ = write_gold(tmp_path / "first", "gold", first, "g")
    eval_gold, eval_texts, _ = write_gold(tmp_path / "eval", "eval", evaluation, "e")
    _, ann_texts, paths = write_gold(tmp_path / "fixed", "fixed", corrected, "c")
    base = tiny_base(tmp_path / "base", [t for t, _ in first + corrected + evaluation + unseen])
    models = tmp_path / "models"
    runner = CliRunner()

    r = runner.invoke(main, ["train", "--base", str(base), "--gold", str(gold), "--texts",
                             str(gold_texts), "--out", str(models / "xxgk-figures"), *TRAIN])
    assert r.exit_code == 0, r.output
    before = study_fields(models / "xxgk-figures", [t for t, _ in unseen])
    assert before and "trainings" not in before  # it learned the first annotators' reading

    save_records([{"sha256": sha256_text(t), "doc": p.name, "spans": spans}
                  for (t, spans), p in zip(corrected, paths)], tmp_path / "annotations")
    r = runner.invoke(main, ["train", "--base", str(base), "--gold", str(gold), "--texts",
                             str(gold_texts), "--annotations", str(tmp_path / "annotations"),
                             "--annotation-texts", str(ann_texts), "--eval-gold", str(eval_gold),
                             "--eval-texts", str(eval_texts), "--models-dir", str(models), *TRAIN])
    assert r.exit_code == 0, r.output
    assert "promoted" in r.output and "refused" not in r.output, r.output

    from training.registry import Registry
    after = study_fields(Registry(models).default_path(), [t for t, _ in unseen])
    # A tiny model trained for seconds: most, not necessarily all, of the unseen figures follow.
    assert after and after.count("trainings") >= 2 / 3 * len(after), after


def test_refit_fields_learns_corrected_fields_without_touching_the_weights(tmp_path):
    """`xxgk train --refit-fields`: only the field classifier is refit on the corrected gold."""
    from extraction.cli import main
    rng = random.Random(5)
    first = [report(rng, with_study=i < 4, study_field=None) for i in range(16)]
    corrected = [report(rng) for _ in range(10)]
    unseen = [report(rng) for _ in range(6)]
    gold, gold_texts, _ = write_gold(tmp_path / "first", "gold", first, "g")
    both, both_texts, _ = write_gold(tmp_path / "both", "both", first + corrected, "b")
    base = tiny_base(tmp_path / "base", [t for t, _ in first + corrected + unseen])
    runner = CliRunner()
    model = tmp_path / "model"
    r = runner.invoke(main, ["train", "--base", str(base), "--gold", str(gold), "--texts",
                             str(gold_texts), "--out", str(model), *TRAIN])
    assert r.exit_code == 0, r.output
    before = study_fields(model, [t for t, _ in unseen])
    assert before and "trainings" not in before

    r = runner.invoke(main, ["train", "--base", str(model), "--refit-fields", "--gold", str(both),
                             "--texts", str(both_texts), "--out", str(tmp_path / "refit")])
    assert r.exit_code == 0, r.output
    weights = (model / "model.safetensors").read_bytes()
    assert (tmp_path / "refit" / "model.safetensors").read_bytes() == weights
    after = study_fields(tmp_path / "refit", [t for t, _ in unseen])
    assert after and after.count("trainings") >= 2 / 3 * len(after), after
    assert study_fields(model, [t for t, _ in unseen]) == before  # the original folder is untouched

    r = runner.invoke(main, ["train", "--base", str(model), "--refit-fields", "--gold", str(both)])
    assert r.exit_code != 0 and "--texts" in r.output and "Traceback" not in r.output
