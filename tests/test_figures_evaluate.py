from extraction.figures.evaluate import evaluate
from extraction.figures.figures import figures_from_spans
from extraction.figures.weak import weak_spans
from training.gold import GoldDoc

from conftest import shared_path

TEXT = "全年主动公开政府信息共805条，其中工作动态120条，举办培训3期。"


def gold_doc():
    def at(sub):
        return TEXT.index(sub), TEXT.index(sub) + len(sub)
    spans = []
    for item, qty, value, unit, field in (("主动公开政府信息", "805条", 805, "条", "proactive_total"),
                                          ("工作动态", "120条", 120, "条", "news_updates"),
                                          ("培训", "3期", 3, "期", "trainings")):
        (a, b), (c, d) = at(item), at(qty)
        spans.append({"id": len(spans), "label": "ITEM", "start": a, "end": b, "text": item})
        spans.append({"id": len(spans), "label": "QTY", "start": c, "end": d, "text": qty,
                      "item": len(spans) - 1, "value": value, "unit": unit, "approx": False,
                      "field": field})
    return GoldDoc("g.txt", TEXT, spans)


def test_figure_dicts_have_the_output_fields():
    figs = figures_from_spans(TEXT, weak_spans(TEXT), by="rule")
    assert [f["qty"] for f in figs] == ["805条", "120条", "3期"]
    f = figs[0]
    assert set(f) == {"item", "qty", "value", "unit", "approx", "field", "start", "end",
                      "item_start", "item_end", "score", "by", "field_score"}
    assert TEXT[f["start"]:f["end"]] == f["qty"] and TEXT[f["item_start"]:f["item_end"]] == f["item"]
    assert (f["value"], f["field"], f["by"], f["score"]) == (805, "proactive_total", "rule", 1.0)


def test_a_report_states_its_proactive_total_once():
    text = ("全年通过区政府网站公开政府信息600条，通过区住建局网站公开政府信息80条。"
            "民政领域全年共发布信息77条。")
    fields = [(f["qty"], f["field"]) for f in figures_from_spans(text, weak_spans(text), by="rule")]
    assert fields == [("600条", "proactive_total"), ("80条", "proactive_total"), ("77条", None)]


def test_perfect_and_wrong_predictions_score_as_expected():
    doc = gold_doc()
    perfect = figures_from_spans(TEXT, doc.spans, by="rule", use_links=True)
    m = evaluate([doc], {"g.txt": perfect})
    assert m["qty"]["f1"] == 1.0 and m["field"]["f1"] == 1.0 and m["link_accuracy"] == 1.0
    wrong = [dict(f) for f in perfect]
    wrong[1]["field"] = "proactive_total"   # one wrong field
    del wrong[2]                            # one missed quantity
    m = evaluate([doc], {"g.txt": wrong})
    assert m["qty"]["recall"] == round(2 / 3, 4) and m["qty"]["precision"] == 1.0
    assert m["field"]["tp"] == 1 and m["field"]["predicted"] == 2 and m["field"]["gold"] == 3


def test_rules_only_baseline_on_the_dev_gold():
    shared = shared_path("gold", "narrative-dev.jsonl").parent.parent
    from training.figure_baseline import cross_validate
    from training.gold import default_gold
    m = cross_validate(default_gold(shared).docs, k=5)
    assert m["qty"]["f1"] >= 0.95
    assert m["field"]["f1"] >= 0.85
