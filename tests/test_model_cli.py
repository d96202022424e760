"""`xxgk train` writes a complete safetensors model folder; `xxgk evaluate` scores it and cross-validates."""
import random

import pytest
from click.testing import CliRunner

from extraction.cli import main
from training.pretrain import PretrainArgs
from training.pretrain import main as pretrain

from model_helpers import invented_doc, write_gold


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    rng = random.Random(3)
    docs = [invented_doc(rng) for _ in range(16)]
    gold, texts = write_gold(folder, docs)
    base = folder / "base"
    pretrain(PretrainArgs(output_dir=str(base), texts=[d["text"] for d in docs], epochs=1,
                          max_len=64, layers=1, hidden=32, heads=2, ffn=64))
    return folder, gold, texts, base


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_train_writes_a_model_folder_and_evaluate_scores_it(setup):
    folder, gold, texts, base = setup
    out = folder / "model"
    run("train", "--base", base, "--gold", gold, "--texts", texts, "--no-silver", "--epochs", 3,
        "--out", out)
    names = {p.name for p in out.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "vocab.txt", "README.md",
            "training.json", "field_classifier.json"} <= names
    assert not any(n.endswith((".bin", ".pt", ".pkl")) for n in names)
    assert "xxgk figure tagger" in (out / "README.md").read_text(encoding="utf-8")
    output = run("evaluate", "--gold", gold, "--texts", texts, "--model", out)
    assert "| QTY exact-span F1 |" in output and "| rules only | model |" in output


def test_evaluate_cross_validates_by_document(setup):
    _, gold, texts, base = setup
    output = run("evaluate", "--gold", gold, "--texts", texts, "--base", base, "--folds", 2,
                 "--epochs", 2, "--no-silver")
    assert "2-fold cross-validation by document over 16 documents" in output
    assert "| field-value F1 |" in output


def test_train_with_folds_and_curve_puts_both_in_the_model_card(setup):
    folder, gold, texts, base = setup
    out = folder / "model-cv"
    run("train", "--base", base, "--gold", gold, "--texts", texts, "--epochs", 1, "--folds", 2,
        "--curve", "--out", out)
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "## Cross-validated scores (2-fold by document)" in card
    assert "## Learning curve" in card and "| model (10 docs) |" in card
    assert "hint dropout" in card and "NUM" in card
