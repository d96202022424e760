"""tools.fields_cv: the field classifier cross-validated on fixed spans, and the paired bootstrap
that says whether a change moved it."""
from model_helpers import gold_spans


def invented_gold_doc(name, text, pairs):
    from training.gold import GoldDoc
    return GoldDoc(name, text, gold_spans(text, pairs))


def test_fields_cv_scores_every_document_out_of_fold_and_compares_two_runs():
    from tools.fields_cv import bootstrap, cross_validate, f1
    docs = []
    for k in range(10):
        docs.append(invented_gold_doc(f"h{k}.txt", f"全年主动公开政府信息{100 + k}条，办理县长信箱来信{20 + k}件。",
                                      [("主动公开政府信息", f"{100 + k}条", "proactive_total"),
                                       ("县长信箱来信", f"{20 + k}件", "mailbox_messages")]))
    spans = {d.doc: [{k: s[k] for k in ("label", "start", "end", "text")} for s in d.spans] for d in docs}
    figures = cross_validate(docs, spans)
    assert sorted(figures) == sorted(d.doc for d in docs)
    assert f1(docs, figures) == 1.0
    assert bootstrap(docs, figures, figures) == (0.0, 0.0)
    # a run that loses the mailbox field is worse on every resample
    worse = {doc: [{**f, "field": None if f["field"] == "mailbox_messages" else f["field"]} for f in figs]
             for doc, figs in figures.items()}
    lo, hi = bootstrap(docs, worse, figures)
    assert 0 < lo <= hi


def test_a_spans_file_without_the_gold_documents_is_refused(tmp_path):
    """A wrapped file ({"spans": {...}}) once made the tool tag every document with the shipped
    tagger, whose spans are in-sample: the CV looked better than it was."""
    import json
    import pytest
    from tools.fields_cv import read_spans
    docs = [invented_gold_doc("h1.txt", "全年主动公开政府信息100条。", [("主动公开政府信息", "100条", "proactive_total")])]
    spans = {d.doc: d.spans for d in docs}
    good, wrapped = tmp_path / "good.json", tmp_path / "wrapped.json"
    good.write_text(json.dumps(spans), encoding="utf-8")
    wrapped.write_text(json.dumps({"spans": spans}), encoding="utf-8")
    assert read_spans(good, docs) == spans
    with pytest.raises(SystemExit, match="no gold document"):
        read_spans(wrapped, docs)


def test_gold_links_decide_which_item_a_quantity_counts():
    """--gold-spans --gold-links: the CV's ceiling when the tagger and the linker are perfect."""
    from tools.fields_cv import cross_validate
    docs = []
    for k in range(10):
        text = f"全年主动公开政府信息{100 + k}条，另有{k + 2}条。"
        doc = invented_gold_doc(f"h{k}.txt", text, [("主动公开政府信息", f"{100 + k}条", "proactive_total")])
        q = text.index(f"{k + 2}条")  # a count the gold links to no item
        doc.spans.append({"id": 2, "label": "QTY", "start": q, "end": q + len(f"{k + 2}条"),
                          "text": f"{k + 2}条", "item": None, "value": k + 2, "unit": "条",
                          "approx": False, "field": None})
        docs.append(doc)
    spans = {d.doc: d.spans for d in docs}

    def item_of_last(figures):
        return {doc: figs[-1]["item_start"] for doc, figs in figures.items()}
    assert set(item_of_last(cross_validate(docs, spans, use_links=True)).values()) == {None}
    assert None not in item_of_last(cross_validate(docs, spans)).values()  # link.py: the clause's item


def test_annotation_order_simulation_scores_each_strategy_at_each_size():
    from tools.annotation_order import STRATEGIES, simulate
    docs = [invented_gold_doc(f"h{k}.txt", f"全年主动公开政府信息{100 + k}条，办理县长信箱来信{20 + k}件。",
                              [("主动公开政府信息", f"{100 + k}条", "proactive_total"),
                               ("县长信箱来信", f"{20 + k}件", "mailbox_messages")]) for k in range(15)]
    spans = {d.doc: [{k: s[k] for k in ("label", "start", "end", "text")} for s in d.spans] for d in docs}
    lines = []
    results, characters = simulate(docs, spans, None, start=4, step=4, rounds=2, progress=lines.append)
    assert sorted(results) == sorted([("all", 0)] + [(s, n) for s in STRATEGIES for n in (4, 8)])
    assert all(len(v) == 5 for v in results.values())  # one score per fold
    assert results["all", 0] == [1.0] * 5
    assert len(lines) == 5 * len(STRATEGIES) * 2
    assert characters["task", 8] == [sum(len(d.text) for d in docs[:8])] * 5  # the texts are alike
