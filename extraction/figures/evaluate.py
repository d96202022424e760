"""Figure metrics against narrative gold, for the rules-only baseline and the model alike.

- QTY exact-span P/R/F1: a predicted quantity counts when its (start, end) equals a gold one.
- QTY text-value P/R/F1: multisets of (qty text, value) per document, as score_figures.py.
- ITEM overlap P/R/F1: one-to-one matching of predicted and gold items that share a character.
- link accuracy: over gold quantities found exactly, the share whose predicted item overlaps the
  gold item (or both have none).
- field-value P/R/F1: multisets of (field, value) per document — score_figures.py's definition.

Predictions are output.md figure dicts (start, end, item_start, item_end, qty, value, field),
per document name; `items` optionally gives all predicted ITEM spans (else the figures' items).
"""
from __future__ import annotations

from collections import Counter


def prf(tp: int, npred: int, ngold: int) -> dict:
    p = tp / npred if npred else 1.0
    r = tp / ngold if ngold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "predicted": npred, "gold": ngold}


def num(v):
    """Numbers compared as score_figures.py does (1.0 == 1)."""
    try:
        f = float(v)
        return int(f) if f.is_integer() else round(f, 6)
    except (TypeError, ValueError):
        return v


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def match_overlapping(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> int:
    """One-to-one matching of ranges that overlap, exact matches first; returns the matches."""
    free_gold, free_pred = set(range(len(gold))), set(range(len(pred)))
    for exact in (True, False):
        for i in sorted(free_gold):
            for j in sorted(free_pred):
                if (gold[i] == pred[j]) if exact else _overlaps(gold[i], pred[j]):
                    free_gold.discard(i)
                    free_pred.discard(j)
                    break
    return len(gold) - len(free_gold)


def evaluate(gold_docs, predictions: dict[str, list[dict]],
             items: dict[str, list[tuple[int, int]]] | None = None) -> dict:
    """Metrics of predicted figures over gold documents (training.gold.GoldDoc)."""
    c = Counter()
    for d in gold_docs:
        figs = predictions.get(d.doc, [])
        gold_q = [(q["start"], q["end"]) for q in d.qtys]
        pred_q = [(f["start"], f["end"]) for f in figs]
        c["qty_tp"] += sum((Counter(gold_q) & Counter(pred_q)).values())
        c["qty_pred"] += len(pred_q)
        c["qty_gold"] += len(gold_q)

        gv = Counter((q["text"], num(q["value"])) for q in d.qtys)
        pv = Counter((f.get("qty"), num(f.get("value"))) for f in figs)
        c["qv_tp"] += sum((gv & pv).values())
        c["qv_pred"] += sum(pv.values())
        c["qv_gold"] += sum(gv.values())

        gold_items = [(s["start"], s["end"]) for s in d.items]
        if items is not None and d.doc in items:
            pred_items = sorted(set(map(tuple, items[d.doc])))
        else:
            pred_items = sorted({(f["item_start"], f["item_end"]) for f in figs
                                 if f.get("item_start") is not None})
        c["item_tp"] += match_overlapping(gold_items, pred_items)
        c["item_pred"] += len(pred_items)
        c["item_gold"] += len(gold_items)

        by_range = {(f["start"], f["end"]): f for f in figs}
        for q in d.qtys:
            f = by_range.get((q["start"], q["end"]))
            if f is None:
                continue
            c["link_n"] += 1
            g_item = d.item_of(q)
            p_item = (f["item_start"], f["item_end"]) if f.get("item_start") is not None else None
            if g_item is None or p_item is None:
                c["link_ok"] += g_item is None and p_item is None
            else:
                c["link_ok"] += _overlaps((g_item["start"], g_item["end"]), p_item)

        gf = Counter((f, num(v)) for f, v in d.fields)
        pf = Counter((f["field"], num(f.get("value"))) for f in figs if f.get("field"))
        c["field_tp"] += sum((gf & pf).values())
        c["field_pred"] += sum(pf.values())
        c["field_gold"] += sum(gf.values())
    return {
        "docs": len(list(gold_docs)),
        "qty": prf(c["qty_tp"], c["qty_pred"], c["qty_gold"]),
        "qty_value": prf(c["qv_tp"], c["qv_pred"], c["qv_gold"]),
        "item": prf(c["item_tp"], c["item_pred"], c["item_gold"]),
        "link_accuracy": round(c["link_ok"] / c["link_n"], 4) if c["link_n"] else None,
        "field": prf(c["field_tp"], c["field_pred"], c["field_gold"]),
    }


def format_metrics(m: dict) -> str:
    """One readable line per measure."""
    lines = []
    for name in ("qty", "qty_value", "item", "field"):
        x = m[name]
        lines.append(f"{name:10s} P {x['precision']:.3f} R {x['recall']:.3f} F1 {x['f1']:.3f} "
                     f"(gold {x['gold']}, predicted {x['predicted']})")
    lines.append(f"link accuracy {m['link_accuracy']} over {m['docs']} docs")
    return "\n".join(lines)
