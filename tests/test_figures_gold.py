import hashlib
import json

import pytest

from training.gold import GoldError, kfold, read_gold

TEXT = "远山县2024年主动公开政府信息共805条，举办培训3期。"


def write_gold(tmp_path, spans, text=TEXT, sha=None):
    (tmp_path / "d1.txt").write_text(text, encoding="utf-8")
    sha = sha or hashlib.sha256(text.encode("utf-8")).hexdigest()
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc": "d1.txt", "sha256": sha, "spans": spans},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    return gold


def spans_at(start_item, start_qty):
    return [{"id": 0, "label": "ITEM", "start": start_item, "end": start_item + 8, "text": "主动公开政府信息"},
            {"id": 1, "label": "QTY", "start": start_qty, "end": start_qty + 4, "text": "805条",
             "item": 0, "value": 805, "unit": "条", "approx": False, "field": "proactive_total"}]


def test_reads_documents_with_links_and_fields(tmp_path):
    i = TEXT.index("主动公开政府信息")
    q = TEXT.index("805条")
    gold = read_gold(write_gold(tmp_path, spans_at(i, q)), tmp_path)
    (doc,) = gold.docs
    assert doc.item_of(doc.qtys[0])["text"] == "主动公开政府信息"
    assert doc.fields == [("proactive_total", 805)]
    assert doc.links == [(1, 0)]


def test_rejects_a_bad_offset(tmp_path):
    i = TEXT.index("主动公开政府信息")
    q = TEXT.index("805条")
    with pytest.raises(GoldError, match="text\\["):
        read_gold(write_gold(tmp_path, spans_at(i + 1, q)), tmp_path)


def test_rejects_a_changed_text(tmp_path):
    with pytest.raises(GoldError, match="sha256"):
        read_gold(write_gold(tmp_path, [], sha="0" * 64), tmp_path)


def test_kfold_tests_every_document_once_and_is_fixed():
    docs = [f"d{i}" for i in range(23)]
    folds = kfold(docs, 5)
    tested = [d for _, test in folds for d in test]
    assert sorted(tested) == sorted(docs)
    for train, test in folds:
        assert not set(train) & set(test)
    assert folds == kfold(docs, 5)


def test_reads_an_offsets_only_file_and_checks_its_hash(tmp_path):
    i = TEXT.index("主动公开政府信息")
    q = TEXT.index("805条")
    bare = [{k: v for k, v in s.items() if k != "text"} for s in spans_at(i, q)]
    (doc,) = read_gold(write_gold(tmp_path, bare), tmp_path).docs
    assert [s["text"] for s in doc.spans] == ["主动公开政府信息", "805条"]  # put back from the file
    with pytest.raises(GoldError, match="sha256"):
        read_gold(write_gold(tmp_path, bare, sha="0" * 64), tmp_path)
