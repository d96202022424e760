"""Spans (from the model or the weak labeller) -> the `figures` entries of output.md."""
from __future__ import annotations

import logging

from .fields import FieldMapper, PairContext
from .link import link_spans
from .normalize import normalize

log = logging.getLogger(__name__)


def figures_from_spans(text: str, spans: list[dict], by: str = "model",
                       mapper: FieldMapper | None = None, use_links: bool = False) -> list[dict]:
    """One figure dict per QTY span: value/unit/approx, its linked item, its field and how sure
    the field is (`field_score`: the classifier's probability of its decision; None where a rule
    decided).

    `spans` are dicts with label ("QTY"/"ITEM"), start, end (offsets into `text`) and optionally
    score. Links are made by link.py, unless `use_links` is set and QTY spans carry an `item` id
    (gold spans). A linked pair's field comes from `mapper`: its trained classifier, which reads
    the lexicon's opinion as a hint, when it has one (fields.py). Only with a mapper that has no
    such classifier does a typed model's own `field` (with `field_score`) decide. A QTY with no
    item has no field (annotation.md: fields belong to linked pairs). A QTY whose text is not a
    quantity is left out and logged, never guessed.
    """
    mapper = mapper or FieldMapper()
    if use_links:
        index = {s.get("id"): i for i, s in enumerate(spans)}
        links = {i: index.get(s.get("item")) for i, s in enumerate(spans) if s["label"] == "QTY"}
    else:
        links = link_spans(text, spans)
    figures, contexts = [], []
    for qi in sorted(links, key=lambda i: spans[i]["start"]):
        q = spans[qi]
        qty = text[q["start"]:q["end"]]
        try:
            quantity = normalize(qty, text[max(0, q["start"] - 6):q["start"]], text[q["end"]:q["end"] + 4])
        except ValueError:
            log.warning("not a quantity, left out: %r at %d", qty, q["start"])
            continue
        item = spans[links[qi]] if links[qi] is not None else None
        ctx = field = field_score = None
        if item is None:
            pass
        elif "field_score" in q and not mapper.learned:
            field, field_score = q["field"], q["field_score"]
        else:
            ctx = PairContext.from_text(text, item["start"], item["end"], q["start"], q["end"],
                                        text[item["start"]:item["end"]], quantity.unit)
        contexts.append(ctx)
        figures.append({
            "item": text[item["start"]:item["end"]] if item else None,
            "qty": qty,
            "value": quantity.value,
            "unit": quantity.unit,
            "approx": quantity.approx,
            "field": field,
            "field_score": field_score,
            "start": q["start"],
            "end": q["end"],
            "item_start": item["start"] if item else None,
            "item_end": item["end"] if item else None,
            "score": q.get("score", 1.0) if by == "model" else 1.0,
            "by": by,
        })
    mapper.prepare([c for c in contexts if c is not None])
    for f, ctx in zip(figures, contexts):
        if ctx is not None:
            f["field"], score = mapper.decide(ctx)
            f["field_score"] = None if score is None else round(score, 4)
    return one_total(text, figures)


def one_total(text: str, figures: list[dict]) -> list[dict]:
    """A report states its year's proactive total once: later "信息N条" counts in other sentences
    are sector or channel counts, not the total (the sentence of the first may list several
    websites, each a total by annotation.md's ruling). Their field is cleared, the figure kept."""
    totals = [f for f in figures if f["field"] == "proactive_total"]
    if len(totals) < 2:
        return figures
    first = totals[0]
    stop = min((i for i in (text.find(c, first["end"]) for c in "。；;\n") if i >= 0), default=len(text))
    for f in totals[1:]:
        if f["start"] > stop:
            f["field"] = f["field_score"] = None  # a rule decided, not the classifier
    return figures
