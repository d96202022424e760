"""Invented narrative reports with their gold spans, and a tiny character model to train on them.

Every agency, year and number here is made up. A report reads like the opening of an annual
report: a title, 一、总体情况, and figures (proactive disclosure, news updates, requests,
trainings, study sessions). `with_case=True` adds a reconsideration-case sentence whose count is
a Chinese numeral (`收到行政复议案件三起`); the flags of `report` make the systematic mistakes
of a poor labeller, for a model to learn and a person to correct.
"""
from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

AGENCIES = ["白水镇人民政府", "清河县财政局", "东山区教育局", "南湖街道办事处", "青石县卫生健康委员会",
            "西岭市自然资源局", "北塘镇人民政府", "金川县司法局", "云溪县农业农村局", "石门区民政局"]
CN_DIGITS = "三七"
CASE_ITEM = "行政复议申请"


# Sentences without figures, to vary where the figures stand (none uses a character of
# CN_DIGITS or 起, so a model trained without case sentences has never seen them).
FILLERS = ["本机关坚持以公开为常态、不公开为例外，持续深化政务公开。",
           "按照上级部署，进一步完善信息发布机制。",
           "严格落实保密审查制度，确保公开内容准确。",
           "加强政府网站建设，优化栏目设置，方便公众查阅。",
           "健全工作机制，明确专人负责信息公开工作。",
           "围绕重点领域，及时回应社会关切。"]


def report(rng: random.Random, with_case: bool = False,
           year_as_qty: bool = False, channel_in_item: bool = False,
           miss_case: bool = False, study_field: str | None = "trainings",
           with_study: bool = True) -> tuple[str, list[dict]]:
    """(text, gold spans in the format of spec/annotation.md) of one invented report.

    `year_as_qty` tags the year that opens the 总体情况 paragraph as a QTY — an annotation error
    (annotation.md: years are not quantities) that a model trained on it repeats, so that an
    annotator has a false figure to delete. `channel_in_item` makes the first ITEM
    `政府网站主动公开政府信息` (annotation.md: channels stay outside), a boundary to move.
    `miss_case` leaves the case sentence's figure untagged: a model trained on that misses it.
    `study_field` is the field given to the study sessions (None: a labeller who missed it);
    `with_study=False` leaves their sentence out.
    """
    parts: list[str] = []
    marks: list[tuple] = []

    def add(s, label=None, field=None):
        start = sum(map(len, parts))
        parts.append(s)
        if label:
            marks.append((label, start, start + len(s), field))

    def filler():
        for f in rng.sample(FILLERS, rng.randint(0, 2)):
            add(f)

    def requests():
        add(rng.choice(["全年受理", "本年度共收到", "共受理"]))
        add("政府信息公开申请", "ITEM")
        add(f"{rng.randint(2, 9)}件", "QTY", "requests_received")
        add("，均已按时答复。")

    def trainings():
        add(rng.choice(["举办", "组织开展", "全年举办"]))
        add("专题培训", "ITEM")
        add(f"{rng.randint(2, 9)}期", "QTY", "trainings")
        add("。")

    def study():  # the rule layer maps no field here; the guideline's is trainings
        add("组织")
        add("业务学习", "ITEM")
        add(f"{rng.randint(2, 9)}场", "QTY", study_field or "")
        add("。")

    def cases():
        add(rng.choice(["收到", "全年收到"]))
        add(CASE_ITEM, None if miss_case else "ITEM")
        add(f"{rng.choice(CN_DIGITS)}起", None if miss_case else "QTY", "review_cases")
        add("，均已依法办结。")

    year = rng.randint(2020, 2024)
    add(f"{rng.choice(AGENCIES)}{year}年政府信息公开工作年度报告\n一、总体情况\n")
    filler()
    add(f"{year}年", "QTY" if year_as_qty else None)
    add("，本机关通过")
    if channel_in_item:
        add("政府网站主动公开政府信息", "ITEM")
    else:
        add("政府网站")
        add("主动公开政府信息", "ITEM")
    add("共")
    add(f"{rng.randint(2, 9)}条", "QTY", "proactive_total")
    add("，其中")
    add("政务动态信息", "ITEM")
    add(f"{rng.randint(2, 9)}条", "QTY", "news_updates")
    add("。")
    rest = [requests, trainings] + ([study] if with_study else []) + ([cases] if with_case else [])
    rng.shuffle(rest)
    for sentence in rest:
        filler()
        sentence()
    add("\n")
    text = "".join(parts)
    spans, item = [], None
    for label, start, end, field in marks:
        span = {"id": len(spans), "label": label, "start": start, "end": end, "text": text[start:end]}
        if label == "ITEM":
            item = span["id"]
        elif label == "QTY" and field is None:  # the false year counts nothing
            span.update(item=None, field=None)
        else:  # field "": it counts its item, of no field
            span.update(item=item, field=field or None)
        spans.append(span)
    return text, spans


def write_gold(folder: Path, name: str, docs: list[tuple[str, list[dict]]], prefix: str):
    """Texts as files `<prefix>NN.txt` in `folder/texts` and a gold file `folder/<name>.jsonl`
    (values filled as annotation.md wants them); returns (gold path, texts folder, paths)."""
    from extraction.figures.normalize import normalize
    texts = folder / "texts"
    texts.mkdir(parents=True, exist_ok=True)
    lines, paths = [], []
    for i, (text, spans) in enumerate(docs):
        path = texts / f"{prefix}{i:02d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        for s in spans:
            if s["label"] == "QTY":
                q = normalize(s["text"])
                s.update(value=q.value, unit=q.unit, approx=q.approx)
        lines.append(json.dumps({"doc": path.name,
                                 "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                                 "spans": spans}, ensure_ascii=False))
    gold = folder / f"{name}.jsonl"
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return gold, texts, paths


def tiny_base(folder: Path, texts: list[str]) -> Path:
    """An untrained 2-layer character BERT (hidden 64) with a vocabulary of these texts."""
    import torch
    from transformers import BertConfig, BertForMaskedLM

    from training.vocab import build_vocab, make_tokenizer, save_tokenizer
    vocab = build_vocab(texts, common=False)
    config = BertConfig(vocab_size=len(vocab), hidden_size=64, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=128, max_position_embeddings=260)
    folder.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)  # the same initial weights every run
    BertForMaskedLM(config).save_pretrained(folder, safe_serialization=True)
    save_tokenizer(make_tokenizer(vocab), folder)
    return folder


def tiny_args(base: Path, steps: int, lr: float = 3e-3):
    """Training settings for a tiny model: seconds, deterministic (no bf16, no [UNK] noise)."""
    from training.train import TrainArgs
    return TrainArgs(base=str(base), silver=False, epochs=1, min_steps=steps, batch_size=8,
                     window=128, stride=96, unk_rate=0.0, bf16=False, learning_rate=lr, seed=7,
                     rule_hints=False)
