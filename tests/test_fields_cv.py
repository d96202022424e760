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
