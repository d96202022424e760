"""Spans <-> Label Studio results, and a Label Studio export -> gold documents.

Our spans are the gold format of spec/annotation.md: `{"id", "label", "start", "end", "text"}`,
and for a QTY `"item"` (the id of its ITEM), `"value"`, `"unit"`, `"approx"`, `"field"`.
In Label Studio one span is a `labels` region; its field is a per-region `choices` result and a
typed value a per-region `textarea` result with the same region id; a link is a `relation`.

Offsets are Python string indices both here and in Label Studio (code points), so they are
passed through unchanged — and checked against the text on the way out and on the way in,
because the server stores whatever offsets it is given. Label Studio shows the task's shown text
(display.py: the document text with table rows joined, same length); a region's text may be
either's, and what is kept is always the document's.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field as dc_field

from ..figures.labels import SPAN_LABELS
from ..figures.fields import FIELDS
from ..record import Figure
from .config import FIELD, RELATION, SPANS, TEXT, VALUE
from .display import SHOWN, document_text


class AnnotationProblem(ValueError):
    """An annotation that cannot become training data as it stands (it is reported, not used)."""


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- spans -> results (predictions pushed to Label Studio) ---------------------------------

def figures_to_spans(text: str, figures: list[Figure]) -> list[dict]:
    """QTY and ITEM spans (with links, values and fields) from a record's `figures`
    (docs/record.md); an ITEM shared by several figures becomes one span."""
    spans: list[dict] = []
    items: dict[tuple[int, int], dict] = {}
    for f in sorted(figures, key=lambda f: f.start):
        item_id = None
        if f.item_start is not None:
            key = (f.item_start, f.item_end)
            if key not in items:
                items[key] = _span(len(spans), "ITEM", *key, text, f.score)
                spans.append(items[key])
            else:  # an ITEM's score is its least sure figure's
                items[key]["score"] = _min_score(items[key].get("score"), f.score)
            item_id = items[key]["id"]
        qty = _span(len(spans), "QTY", f.start, f.end, text, f.score)
        # The guideline gives a field to a linked pair only: a figure the model typed but the
        # rules could not link keeps its field in the record, not in the annotator's task.
        qty.update(item=item_id, value=f.value, unit=f.unit, approx=bool(f.approx),
                   field=f.field if item_id is not None else None)
        spans.append(qty)
    return spans


def spans_to_results(text: str, spans: list[dict], shown: str | None = None) -> list[dict]:
    """Label Studio result items for spans: regions (with `score` where known), per-region
    field choices, and QTY -> ITEM relations; a region's text is that of `shown` (the text
    Label Studio shows, default `text`). Raises AnnotationProblem on an offset that does not
    match the text."""
    out, relations = [], []
    shown = text if shown is None else shown
    for s in spans:
        _check_span(text, s)
        rid = region_id(s["id"])
        where = {"start": s["start"], "end": s["end"], "text": shown[s["start"]:s["end"]]}
        region = {"id": rid, "from_name": SPANS, "to_name": TEXT, "type": "labels",
                  "value": {**where, "labels": [s["label"]]}}
        if s.get("score") is not None:
            region["score"] = float(s["score"])
        out.append(region)
        if s.get("field"):
            out.append({"id": rid, "from_name": FIELD, "to_name": TEXT, "type": "choices",
                        "value": {**where, "choices": [s["field"]]}})
        if s["label"] == "QTY" and s.get("value") is not None and s.get("unit"):
            # the rules' reading, visible and editable; kept as "rule" on pull unless changed
            out.append({"id": rid, "from_name": VALUE, "to_name": TEXT, "type": "textarea",
                        "value": {**where, "text": [shown_value(s)]}})
        if s["label"] == "QTY" and s.get("item") is not None:
            relations.append({"type": "relation", "from_id": rid, "to_id": region_id(s["item"]),
                              "direction": "right", "labels": [RELATION]})
    return out + relations


def region_id(span_id) -> str:
    return f"r{span_id}"


# --- results -> spans (annotations pulled from Label Studio) -------------------------------

def results_to_spans(text: str, result: list[dict], shown: str | None = None) -> list[dict]:
    """Gold spans (ids in text order) from one annotation's result, with what a person typed;
    `shown` is the text Label Studio showed (same length; default `text`).

    QTY values are left out unless typed (`value_by: "person"`); `fill_values` adds the rest.
    Raises AnnotationProblem for anything that cannot be read exactly.
    """
    regions: dict[str, dict] = {}
    fields: dict[str, str] = {}
    typed: dict[str, str] = {}
    relations = []
    for r in result:
        kind = r.get("type")
        if kind == "relation":
            relations.append(r)
        elif kind == "labels" and r.get("from_name") == SPANS:
            regions[r["id"]] = _region_span(text, r, shown)
        elif kind == "choices" and r.get("from_name") == FIELD:
            choices = r.get("value", {}).get("choices") or []
            if len(choices) > 1:
                raise AnnotationProblem(f"region {r.get('id')}: several fields {choices}")
            if choices:
                if choices[0] not in FIELDS:
                    raise AnnotationProblem(f"region {r.get('id')}: unknown field {choices[0]!r}")
                fields[r["id"]] = choices[0]
        elif kind == "textarea" and r.get("from_name") == VALUE:
            lines = [t for t in r.get("value", {}).get("text") or [] if t.strip()]
            if lines:
                typed[r["id"]] = lines[-1]
        # other result types (e.g. from an edited config) carry nothing we train on

    order = sorted(regions, key=lambda rid: (regions[rid]["start"], regions[rid]["end"],
                                             regions[rid]["label"]))
    ids = {rid: i for i, rid in enumerate(order)}
    spans = []
    for rid in order:
        s = {"id": ids[rid], **regions[rid]}
        if s["label"] == "QTY":
            s.update(item=None, field=fields.get(rid), region=rid)
            if rid in typed:
                s["typed"] = typed[rid]  # read in fill_values, beside the rules' reading
        elif rid in fields or rid in typed:
            raise AnnotationProblem(f"ITEM {s['text']!r} at {s['start']}: a field or value "
                                    "belongs on a QTY region")
        spans.append(s)

    by_rid = {rid: spans[ids[rid]] for rid in order}
    for rel in relations:
        a, b = by_rid.get(rel.get("from_id")), by_rid.get(rel.get("to_id"))
        if a is None or b is None:
            raise AnnotationProblem(f"relation {rel.get('from_id')} -> {rel.get('to_id')}: "
                                    "a region it names is missing")
        labels = {a["label"], b["label"]}
        if labels != {"QTY", "ITEM"}:
            raise AnnotationProblem(f"relation between {a['text']!r} and {b['text']!r}: a link "
                                    "goes from a QTY to an ITEM")
        qty, item = (a, b) if a["label"] == "QTY" else (b, a)  # drawn either way round
        if qty["item"] is not None and qty["item"] != item["id"]:
            raise AnnotationProblem(f"QTY {qty['text']!r} at {qty['start']} is linked to two ITEMs")
        qty["item"] = item["id"]
    for s in spans:
        if s["label"] == "QTY" and s["field"] and s["item"] is None:
            raise AnnotationProblem(f"QTY {s['text']!r} at {s['start']} has a field but no "
                                    "linked ITEM")
    _check_no_overlap(spans)
    return spans


def parse_typed_value(typed: str, unit: str | None = None) -> dict:
    """A value a person typed, read exactly as the rule layer reads printed text
    (figures/normalize.py): `1.2万条` -> 12000 条, `12,000条`, full-width `１２条`, `约4147条` or
    `4147条 约` (approximate). A bare number (`4147`) takes `unit`, the unit the rules read in the
    region. AnnotationProblem when it cannot be read that way."""
    from ..figures.normalize import APPROX_BEFORE, normalize
    t = typed.strip().replace("\u3000", " ")
    approx_after = t.endswith(("约", "~", "～"))
    t = t.rstrip("约~～ ")
    first = next((i for i, c in enumerate(t) if c.isdigit() or c in NUMERALS), None)
    prefix = t[:first].strip() if first is not None else t
    try:
        if first is None or (prefix and prefix.rstrip(APPROX_FILLER) not in APPROX_BEFORE + ("~", "～")):
            raise ValueError(typed)
        q = normalize(t[first:], before=prefix)
    except ValueError:
        raise AnnotationProblem(f"cannot read the typed value {typed!r} (write it as printed, "
                                "e.g. 12000条, 1.2万条, 约4147条)") from None
    if not q.unit and not unit:
        raise AnnotationProblem(f"the typed value {typed!r} has no unit, and the rules read none "
                                "in the region: type one (e.g. 4147条)")
    return {"value": q.value, "unit": q.unit or unit, "approx": q.approx or approx_after}


NUMERALS = "零〇一二两三四五六七八九十百千"  # as normalize.CN_NUMERAL; Arabic ones by isdigit()
APPROX_FILLER = "了为达共计"


def _region_span(text: str, r: dict, shown: str | None = None) -> dict:
    v = r.get("value", {})
    labels = v.get("labels") or []
    if len(labels) != 1 or labels[0] not in SPAN_LABELS:
        raise AnnotationProblem(f"region {r.get('id')}: labels {labels} (one of {SPAN_LABELS})")
    span = {"label": labels[0], "start": v.get("start"), "end": v.get("end"), "text": v.get("text")}
    _check_span(text, span, shown)
    return span


def _check_span(text: str, s: dict, shown: str | None = None) -> None:
    """The span's offsets are in `text` and its text (if any) is there, or in `shown` at the
    same offsets; its text becomes the document's."""
    start, end = s.get("start"), s.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise AnnotationProblem(f"{s.get('label')} span: bad offsets {start}, {end}")
    if s.get("text") is not None and s["text"] not in (text[start:end], (shown or text)[start:end]):
        raise AnnotationProblem(f"{s['label']} span: text[{start}:{end}] is "
                                f"{text[start:end]!r}, the region says {s['text']!r}")
    s["text"] = text[start:end]


def _check_no_overlap(spans: list[dict]) -> None:
    """QTYs never overlap, and ITEMs never nest (annotation.md)."""
    for label in SPAN_LABELS:
        same = sorted((s for s in spans if s["label"] == label), key=lambda s: s["start"])
        for a, b in zip(same, same[1:]):
            if b["start"] < a["end"]:
                raise AnnotationProblem(f"{label} spans overlap: {a['text']!r} at {a['start']} "
                                        f"and {b['text']!r} at {b['start']}")


def _span(i: int, label: str, start: int, end: int, text: str, score) -> dict:
    s = {"id": i, "label": label, "start": start, "end": end, "text": text[start:end]}
    if score is not None:
        s["score"] = score
    return s


def _min_score(a, b):
    known = [x for x in (a, b) if x is not None]
    return min(known) if known else None


# --- an export -> gold documents ------------------------------------------------------------

@dataclass
class Pulled:
    """What an export gave: gold documents to keep, and why other tasks were left out."""
    docs: list[dict] = dc_field(default_factory=list)
    skipped: list[str] = dc_field(default_factory=list)    # cancelled or never annotated
    problems: list[str] = dc_field(default_factory=list)   # annotations that could not be read


def newest_annotation(task: dict) -> dict | None:
    """The task's newest annotation (by update time, then id); None when there is none."""
    anns = task.get("annotations") or []
    if not anns:
        return None
    return max(anns, key=lambda a: (str(a.get("updated_at") or a.get("created_at") or ""),
                                    a.get("id") or 0))


def export_to_gold(tasks: list[dict], fill_values=None) -> Pulled:
    """Gold documents from a Label Studio JSON export (a list of tasks).

    The newest annotation of a task wins; when it is cancelled (skipped) the task is not training
    data. A task whose text does not match its sha256, or whose annotation cannot be read
    exactly, is reported in `problems` and left out. `fill_values(text, spans)` sets value, unit
    and approx of QTYs a person did not type (the rule layer); it defaults to `rule_values`.
    """
    fill_values = fill_values or rule_values
    out = Pulled()
    for task in tasks:
        data = task.get("data", {})
        name = f"task {task.get('id')} ({data.get('source', '?')})"
        ann = newest_annotation(task)
        if ann is None:
            out.skipped.append(f"{name}: not annotated")
            continue
        if ann.get("was_cancelled"):
            out.skipped.append(f"{name}: cancelled")
            continue
        text, shown = document_text(data) or "", data.get(SHOWN, "")
        try:
            if data.get("sha256") and data["sha256"] != sha256_text(text):
                raise AnnotationProblem("the task's text does not match its sha256")
            if len(shown) != len(text):
                raise AnnotationProblem(f"the shown text ({len(shown)} characters) is not the "
                                        f"document's ({len(text)}): its offsets are not the document's")
            spans = results_to_spans(text, ann.get("result") or [], shown)
            fill_values(text, spans)
        except AnnotationProblem as e:
            out.problems.append(f"{name}, annotation {ann.get('id')}: {e}")
            continue
        out.docs.append({"doc": _basename(data.get("source", "")), "sha256": sha256_text(text),
                         "source": data.get("source", ""), "task": task.get("id"),
                         "annotation": ann.get("id"), "updated_at": ann.get("updated_at"),
                         "text": text, "spans": spans})
    return out


def rule_values(text: str, spans: list[dict]) -> None:
    """Value, unit and approx of each QTY: what a person typed, else the rule layer's reading of
    its characters. `value_by` is "rule" when the rules read the same as what was typed (the
    value box is prefilled with it). AnnotationProblem names the region when neither can be read."""
    for s in spans:
        if s["label"] != "QTY":
            continue
        where = f"QTY {s['text']!r} at {s['start']} (region {s.pop('region', '?')})"
        rule = rule_reading(text, s["start"], s["end"])
        typed = s.pop("typed", None)
        try:
            person = parse_typed_value(typed, rule and rule["unit"]) if typed else None
        except AnnotationProblem as e:
            raise AnnotationProblem(f"{where}: {e}") from None
        if person is None and rule is None:
            raise AnnotationProblem(f"{where}: the rules cannot read its value and unit; type "
                                    "them in the value box")
        s.update(person or rule, value_by="rule" if person in (None, rule) else "person")


def rule_reading(text: str, start: int, end: int) -> dict | None:
    """The rule layer's value, unit and approx of text[start:end] (None if it reads no unit)."""
    from ..figures.normalize import normalize  # the rule layer
    try:
        q = normalize(text[start:end], text[max(0, start - BEFORE):start], text[end:end + AFTER])
    except ValueError:
        return None
    return {"value": q.value, "unit": q.unit, "approx": q.approx} if q.unit else None


def shown_value(reading: dict | None) -> str:
    """How a reading is shown in the value box: `约4147条`, `12000条` (read back by
    parse_typed_value to the same value)."""
    if not reading:
        return ""
    return f"{'约' if reading.get('approx') else ''}{reading['value']}{reading['unit']}"


# Characters around a QTY the rules look at for 约/以上 (as figures.figures_from_spans does).
BEFORE, AFTER = 6, 4


def _basename(source: str) -> str:
    return re.split(r"[\\/]", source)[-1] if source else ""
