"""The blind fresh gold (issue 11) is kept as offsets only and rebuilt from ../shared's texts."""
from __future__ import annotations

from conftest import shared_path


def test_fresh_gold_rebuilds_into_valid_gold_with_fields(tmp_path):
    shared = shared_path("corpus", "unlabelled").parent.parent
    from tools.fresh_gold import OFFSETS, rebuild
    from training.gold import read_gold
    out = tmp_path / "fresh.jsonl"
    assert rebuild(shared, out) == 45
    assert "text" not in OFFSETS.read_text(encoding="utf-8")  # the repository holds no report text
    docs = list(read_gold(out, shared / "corpus" / "unlabelled"))  # checks text[start:end] == text
    assert len(docs) == 45
    assert sum(1 for d in docs for q in d.qtys) == 376
    assert sum(1 for d in docs for q in d.qtys if q.get("field")) == 159


def test_the_annotated_unlabelled_set_is_offsets_only_and_joins_the_default_training_gold():
    shared = shared_path("corpus", "unlabelled").parent.parent
    from training.gold import DATA, GOLD_SETS, all_gold
    path = DATA / "unlabelled-annotated.offsets.jsonl"
    assert '"text"' not in path.read_text(encoding="utf-8")  # no report text in the repository
    assert [name for name, _, _ in GOLD_SETS][-1] == "unlabelled-annotated"
    docs = all_gold(shared)  # read_gold puts each span's text back and checks every hash
    annotated = [d for d in docs if d.doc.startswith("u")]
    assert len(annotated) == 246
    fresh = {line.split('"')[3] for line in (DATA.parent / "eval" / "fresh45.offsets.jsonl")
             .read_text(encoding="utf-8").splitlines()}
    assert not fresh & {d.doc for d in annotated}  # the blind test set is never trained on


def test_the_second_reading_of_the_fresh_set_covers_the_same_documents():
    shared = shared_path("corpus", "unlabelled").parent.parent
    from training.gold import DATA, read_gold
    eval_dir = DATA.parent / "eval"
    first = list(read_gold(eval_dir / "fresh45.offsets.jsonl", shared / "corpus" / "unlabelled"))
    second = list(read_gold(eval_dir / "fresh45-reader2.offsets.jsonl", shared / "corpus" / "unlabelled"))
    assert sorted(d.doc for d in first) == sorted(d.doc for d in second)
    assert '"text"' not in (eval_dir / "fresh45-reader2.offsets.jsonl").read_text(encoding="utf-8")
