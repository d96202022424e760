"""tools.fields_cv: the field classifier cross-validated on fixed spans, and the paired bootstrap
that says whether a change moved it."""


def invented_gold_doc(name, text, pairs):
    """A gold document of invented text: `pairs` are (item, qty, field) in reading order."""
    from training.gold import GoldDoc
    spans, pos = [], 0
    for item, qty, field in pairs:
        i = text.index(item, pos)
        q = text.index(qty, i + len(item))
        pos = q + len(qty)
        spans.append({"id": len(spans), "label": "ITEM", "start": i, "end": i + len(item), "text": item})
        spans.append({"id": len(spans), "label": "QTY", "start": q, "end": pos, "text": qty,
                      "item": len(spans) - 1, "value": float(qty[:-1]), "unit": qty[-1], "field": field})
    return GoldDoc(name, text, spans)


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
