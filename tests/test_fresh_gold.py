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
