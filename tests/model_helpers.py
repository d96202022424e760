"""Invented report sentences with gold spans, for the figure-model tests (no real report text)."""
from __future__ import annotations

import hashlib
import json
import random

AGENCIES = ["清河县财政局", "青山区教育局", "白水镇人民政府", "东湖市卫健委", "南岭县司法局"]


def gold_spans(text: str, pairs) -> list[dict]:
    """Gold spans of an invented text: `pairs` are (item, qty, field) in reading order, each
    qty an integer and its unit (12条)."""
    spans, pos = [], 0
    for item, qty, field in pairs:
        i = text.index(item, pos)
        q = text.index(qty, i + len(item))
        pos = q + len(qty)
        spans.append({"id": len(spans), "label": "ITEM", "start": i, "end": i + len(item), "text": item})
        spans.append({"id": len(spans), "label": "QTY", "start": q, "end": pos, "text": qty,
                      "item": len(spans) - 1, "value": int(qty[:-1]), "unit": qty[-1],
                      "approx": False, "field": field})
    return spans


def invented_doc(rng: random.Random) -> dict:
    """A made-up report sentence with QTY/ITEM spans, links, values and fields (annotation.md);
    its year, month and time limit are not figures."""
    parts, spans = [], []

    def add(s, label=None, **extra):
        start = sum(map(len, parts))
        parts.append(s)
        if label:
            spans.append({"id": len(spans), "label": label, "start": start,
                          "end": start + len(s), "text": s, **extra})

    def pair(item, n, unit, field, approx=False):
        add(item, "ITEM")
        add(f"{n}{'余' if approx else ''}{unit}", "QTY", item=len(spans) - 1, value=n, unit=unit,
            approx=approx, field=field)

    add(f"{rng.choice(AGENCIES)}{rng.randint(2019, 2024)}年{rng.randint(1, 12)}月，")
    pair("主动公开政府信息", rng.randint(10, 9999), "条", "proactive_total", approx=rng.random() < 0.3)
    add("，其中")
    pair("政务动态", rng.randint(1, 999), "条", "news_updates")
    add("，")
    pair("政策解读", rng.randint(1, 99), "篇", "policy_interpretations")
    add(f"，均在{rng.randint(5, 20)}个工作日内答复。")
    return {"text": "".join(parts), "spans": spans}


def write_gold(folder, docs) -> tuple:
    """Texts as files and a gold JSON Lines file over them; returns (gold path, texts folder)."""
    texts = folder / "texts"
    texts.mkdir()
    lines = []
    for i, d in enumerate(docs):
        name = f"d{i:03d}.txt"
        (texts / name).write_text(d["text"], encoding="utf-8")
        sha = hashlib.sha256(d["text"].encode("utf-8")).hexdigest()
        lines.append(json.dumps({"doc": name, "sha256": sha, "spans": d["spans"]}, ensure_ascii=False))
    gold = folder / "gold.jsonl"
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return gold, texts
