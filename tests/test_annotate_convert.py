"""Spans <-> Label Studio results, and exports -> gold, checked with Label Studio's own config
parser (label_studio_sdk.label_interface) where the SDK is installed."""
from __future__ import annotations

import pytest

from extraction.annotate.config import FIELDS, labeling_config
from extraction.record import Figure
from extraction.annotate.convert import (AnnotationProblem, export_to_gold, figures_to_spans,
                                         newest_annotation, parse_typed_value, results_to_spans,
                                         sha256_text, spans_to_results)
from extraction.annotate.tasks import TaskSettings, make_task, most_uncertain, task_score

# Written for these tests; the 𠀋 (outside the BMP) checks that offsets stay code points.
TEXT = ("𠀋清河县人民政府办公室2023年通过政府网站主动公开政府信息共4147余条，"
        "其中政务动态信息456条。举办专题培训两期。")


def at(sub: str) -> tuple[int, int]:
    i = TEXT.index(sub)
    return i, i + len(sub)


def gold_spans() -> list[dict]:
    spans = []
    for label, sub in [("ITEM", "主动公开政府信息"), ("QTY", "4147余条"), ("ITEM", "政务动态信息"),
                       ("QTY", "456条"), ("ITEM", "专题培训"), ("QTY", "两期")]:
        s, e = at(sub)
        spans.append({"id": len(spans), "label": label, "start": s, "end": e, "text": sub})
    spans[1].update(item=0, field="proactive_total")
    spans[3].update(item=2, field="news_updates")
    spans[5].update(item=4, field="trainings")
    return spans


def test_config_has_labels_relations_and_22_per_region_fields():
    li = pytest.importorskip("label_studio_sdk.label_interface").LabelInterface(labeling_config())
    assert li.get_control("label").labels == ["QTY", "ITEM"]
    field = li.get_control("field")
    assert field.tag == "Choices" and field.attr.get("perRegion") == "true"
    assert field.labels == list(FIELDS) and len(FIELDS) == 22
    assert "<Relations>" in labeling_config()


def test_results_are_valid_for_the_config_and_round_trip_exactly():
    spans = gold_spans()
    result = spans_to_results(TEXT, spans)
    li = pytest.importorskip("label_studio_sdk.label_interface").LabelInterface(labeling_config())
    assert li.validate_prediction({"result": result}, return_errors=True) == []
    back = results_to_spans(TEXT, result)
    keep = ("label", "start", "end", "text", "field")
    assert [{k: s.get(k) for k in keep} for s in back] == [{k: s.get(k) for k in keep} for s in spans]
    # links survive with the new ids
    for s in back:
        if s["label"] == "QTY":
            assert back[s["item"]]["label"] == "ITEM"
            assert s["item"] == s["id"] - 1
    for s in back:
        assert TEXT[s["start"]:s["end"]] == s["text"]


def test_a_region_whose_text_does_not_match_its_offsets_is_rejected():
    result = spans_to_results(TEXT, gold_spans())
    result[1]["value"]["start"] += 1  # the QTY region, shifted by one character
    with pytest.raises(AnnotationProblem, match="text\\["):
        results_to_spans(TEXT, result)
    with pytest.raises(AnnotationProblem):
        spans_to_results(TEXT, [{**gold_spans()[0], "text": "别的字"}])


def test_a_relation_drawn_backwards_still_links_qty_to_item():
    result = [r for r in spans_to_results(TEXT, gold_spans()) if r.get("from_id") != "r1"]
    result.append({"type": "relation", "from_id": "r0", "to_id": "r1", "direction": "left"})
    spans = results_to_spans(TEXT, result)
    assert spans[1]["item"] == 0 and spans[3]["item"] == 2


def test_impossible_annotations_are_problems_not_data():
    base = spans_to_results(TEXT, gold_spans())
    two_items = base + [{"type": "relation", "from_id": "r1", "to_id": "r2", "direction": "right"}]
    with pytest.raises(AnnotationProblem, match="two ITEMs"):
        results_to_spans(TEXT, two_items)
    no_item = [r for r in base if not (r["type"] == "relation" and r["from_id"] == "r1")]
    with pytest.raises(AnnotationProblem, match="no linked ITEM"):
        results_to_spans(TEXT, no_item)
    qty_qty = base + [{"type": "relation", "from_id": "r1", "to_id": "r3", "direction": "right"}]
    with pytest.raises(AnnotationProblem, match="from a QTY to an ITEM"):
        results_to_spans(TEXT, qty_qty)
    s, e = at("4147")
    overlap = base + [{"id": "x", "from_name": "label", "to_name": "text", "type": "labels",
                       "value": {"start": s, "end": e, "text": "4147", "labels": ["QTY"]}}]
    with pytest.raises(AnnotationProblem, match="overlap"):
        results_to_spans(TEXT, overlap)


def test_typed_values_are_read_as_the_rule_layer_reads_printed_text():
    assert parse_typed_value("12000 条") == {"value": 12000, "unit": "条", "approx": False}
    assert parse_typed_value("1.2万条") == {"value": 12000, "unit": "条", "approx": False}
    assert parse_typed_value("12,000条") == {"value": 12000, "unit": "条", "approx": False}
    assert parse_typed_value("１２条") == {"value": 12, "unit": "条", "approx": False}
    assert parse_typed_value("约4147条") == {"value": 4147, "unit": "条", "approx": True}
    assert parse_typed_value("4147余条") == {"value": 4147, "unit": "条", "approx": True}
    assert parse_typed_value("4147 条 约") == {"value": 4147, "unit": "条", "approx": True}
    assert parse_typed_value("两期") == {"value": 2, "unit": "期", "approx": False}
    assert parse_typed_value("33885200.5元")["value"] == 33885200.5
    assert parse_typed_value("100 %")["unit"] == "%"
    assert parse_typed_value("4147", unit="条") == {"value": 4147, "unit": "条", "approx": False}
    for bad in ("很多", "abc4147条", "", "4147"):  # a bare number needs the region's unit
        with pytest.raises(AnnotationProblem):
            parse_typed_value(bad)


def _task(tid, annotations, text=TEXT):
    return {"id": tid, "data": {"text": text, "source": f"reports/r{tid}.txt",
                                "sha256": sha256_text(text)},
            "annotations": annotations}


def _ann(aid, result, updated, cancelled=False):
    return {"id": aid, "result": result, "was_cancelled": cancelled, "updated_at": updated}


def test_export_newest_annotation_wins_and_cancelled_tasks_are_left_out():
    full = spans_to_results(TEXT, gold_spans())
    fewer = [r for r in full if r.get("id") not in ("r4", "r5")
             and r.get("from_id") not in ("r4", "r5")]
    tasks = [
        _task(1, [_ann(10, full, "2026-01-02T00:00:00Z"), _ann(11, fewer, "2026-01-03T00:00:00Z")]),
        _task(2, [_ann(20, full, "2026-01-02T00:00:00Z"),
                  _ann(21, [], "2026-01-05T00:00:00Z", cancelled=True)]),
        _task(3, []),
    ]
    pulled = export_to_gold(tasks)
    assert [d["task"] for d in pulled.docs] == [1]
    assert pulled.docs[0]["annotation"] == 11
    assert len(pulled.docs[0]["spans"]) == 4
    assert any("cancelled" in s for s in pulled.skipped)
    assert any("not annotated" in s for s in pulled.skipped)
    assert newest_annotation(tasks[1])["id"] == 21


def test_export_fills_values_by_rule_and_keeps_typed_ones():
    result = spans_to_results(TEXT, gold_spans())
    s, e = at("4147余条")
    result.append({"id": "r1", "from_name": "value", "to_name": "text", "type": "textarea",
                   "value": {"start": s, "end": e, "text": ["4148 条"]}})
    doc = export_to_gold([_task(1, [_ann(1, result, "2026-01-01T00:00:00Z")])]).docs[0]
    qty = {s["text"]: s for s in doc["spans"] if s["label"] == "QTY"}
    assert (qty["4147余条"]["value"], qty["4147余条"]["value_by"]) == (4148, "person")
    assert (qty["两期"]["value"], qty["两期"]["unit"], qty["两期"]["value_by"]) == (2, "期", "rule")
    assert (qty["456条"]["value"], qty["456条"]["approx"]) == (456, False)


def test_export_rejects_a_task_whose_text_changed():
    task = _task(1, [_ann(1, spans_to_results(TEXT, gold_spans()), "2026-01-01T00:00:00Z")])
    task["data"]["text"] = TEXT.replace("清河", "河清")
    pulled = export_to_gold([task])
    assert pulled.docs == [] and "sha256" in pulled.problems[0]


def test_figures_become_spans_with_a_shared_item():
    s1, e1 = at("4147余条")
    s2, e2 = at("456条")
    i1, j1 = at("主动公开政府信息")
    figures = [
        {"qty": "4147余条", "value": 4147, "unit": "条", "approx": True, "field": "proactive_total",
         "start": s1, "end": e1, "item_start": i1, "item_end": j1, "score": 0.9},
        {"qty": "456条", "value": 456, "unit": "条", "approx": False, "field": None,
         "start": s2, "end": e2, "item_start": i1, "item_end": j1, "score": 0.6},
    ]
    figures = [Figure.from_json(f) for f in figures]
    spans = figures_to_spans(TEXT, figures)
    assert [s["label"] for s in spans] == ["ITEM", "QTY", "QTY"]
    assert spans[1]["item"] == spans[2]["item"] == 0
    assert spans[0]["score"] == 0.6  # the ITEM is as sure as its least sure figure
    task = make_task(TEXT, "r.txt", figures, TaskSettings(model_version="v007"))
    pred = task["predictions"][0]
    assert pred["model_version"] == "v007"
    assert [r.get("score") for r in pred["result"] if r["type"] == "labels"] == [0.6, 0.9, 0.6]
    assert task["data"]["sha256"] == sha256_text(TEXT)


def test_task_score_is_length_normalised_and_orders_uncertain_first():
    # the same doubt in a text ten times as long is less doubt per page
    assert task_score([0.5], 100) < task_score([0.5], 1000)
    # many sure figures in a long text rank above one unsure figure in a short one
    assert task_score([0.99] * 20, 5000) > task_score([0.4], 500)
    assert task_score([], 100) == 1.0
    tasks = [{"predictions": [{"score": s}]} for s in (0.9, 0.2, 0.5)]
    assert [t["predictions"][0]["score"] for t in most_uncertain(tasks, 2)] == [0.2, 0.5]


def test_a_report_whose_fields_the_classifier_doubts_comes_first():
    # Same text, same sure regions: only how sure the field classifier was differs.
    def figure(sure: float) -> Figure:
        s, e = at("4147余条")
        i0, i1 = at("主动公开政府信息")
        return Figure(item="主动公开政府信息", qty="4147余条", value=4147, unit="条", approx=True,
                      field="proactive_total", start=s, end=e, item_start=i0, item_end=i1,
                      score=0.99, by="model", field_score=sure)
    settings = TaskSettings()
    sure, doubted = (make_task(TEXT, f"{n}.txt", [figure(p)], settings) for n, p in
                     (("sure", 0.98), ("doubted", 0.4)))
    assert doubted["predictions"][0]["score"] < sure["predictions"][0]["score"]
    assert most_uncertain([sure, doubted], 1) == [doubted]
    # a figure whose field a rule decided adds no doubt
    ruled = make_task(TEXT, "ruled.txt", [figure(None)], settings)
    assert ruled["predictions"][0]["score"] > sure["predictions"][0]["score"]
    assert "field_score" not in figure(None).to_json() and figure(0.4).to_json()["field_score"] == 0.4


def test_the_rules_reading_is_prefilled_and_stays_the_rules_unless_changed():
    spans = gold_spans()
    for sp in spans:
        if sp["label"] == "QTY":
            sp.update(value={"4147余条": 4147, "456条": 456, "两期": 2}[sp["text"]],
                      unit=sp["text"][-1], approx=sp["text"] == "4147余条")
    result = spans_to_results(TEXT, spans)
    shown = {r["value"]["text"][0] for r in result if r["type"] == "textarea"}
    assert shown == {"约4147条", "456条", "2期"}
    rel = [r for r in result if r["type"] == "relation"]
    assert rel and all(r["labels"] == ["counts"] for r in rel)
    doc = export_to_gold([_task(1, [_ann(1, result, "2026-01-01T00:00:00Z")])]).docs[0]
    assert {s["value_by"] for s in doc["spans"] if s["label"] == "QTY"} == {"rule"}
    # a person changes one: 1.2万条 is 12000 条, stored as the person's
    for r in result:
        if r["type"] == "textarea" and r["value"]["text"] == ["456条"]:
            r["value"]["text"] = ["1.2万条"]
    doc = export_to_gold([_task(1, [_ann(1, result, "2026-01-01T00:00:00Z")])]).docs[0]
    q = next(s for s in doc["spans"] if s["text"] == "456条")
    assert (q["value"], q["unit"], q["approx"], q["value_by"]) == (12000, "条", False, "person")


def test_an_unreadable_typed_value_is_reported_with_task_and_region():
    result = spans_to_results(TEXT, gold_spans())
    s, e = at("456条")
    result.append({"id": "r3", "from_name": "value", "to_name": "text", "type": "textarea",
                   "value": {"start": s, "end": e, "text": ["许多条"]}})
    pulled = export_to_gold([_task(7, [_ann(1, result, "2026-01-01T00:00:00Z")])])
    assert pulled.docs == []
    assert "task 7" in pulled.problems[0] and "region r3" in pulled.problems[0]
    assert "许多条" in pulled.problems[0]
