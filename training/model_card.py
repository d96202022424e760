"""The model card (README.md) of a fine-tuned figure model: data, settings, metrics, time."""
from __future__ import annotations

import json
from pathlib import Path


def _base_info(base: str) -> dict:
    p = Path(base) / "pretraining.json"
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}


def model_card(info: dict, config, base: str) -> str:
    from .evaluation import comparison_table
    s = info["settings"]
    pre = _base_info(base)
    lines = [
        "---",
        "language: zh",
        "library_name: transformers",
        "pipeline_tag: token-classification",
        "---",
        "# xxgk figure tagger",
        "",
        "Tags the figures of the narrative of Chinese government information-disclosure annual",
        "reports (政府信息公开工作年度报告): `QTY` (a reported quantity, `4147余条`) and `ITEM`",
        "(what it counts, `主动公开政府信息`), character by character (BIO tags, one token per",
        "character). "
        + ("Its QTY tags are typed by the field the quantity counts (`B-QTY.press_conferences`, "
           "`B-QTY.none`: one of the 22 fields of annotation.md or none), learned from the gold "
           "and from people's corrections. "
           if any("." in str(v) for v in config.id2label.values()) else "")
        + "xxgk's rule layer links each QTY to its ITEM, normalises its value and keeps one "
          "proactive total per report; the field of each linked pair comes from "
          "`field_classifier.json`, a logistic regression (plain JSON) over the item, the words "
          "around it and the lexicon's opinion — and, where the folder has one, two sentence "
          "vectors of the pair from its pair encoder (`pair_encoder/`, a small character BERT "
          "distilled from multilingual-e5-small by `xxgk distill`) — trained beside the model on "
          "the same documents (gold pairs and the pairs the rules' and the model's own spans make "
          "of them).",
        "",
        "## Model",
        "",
        f"- character BERT: {config.num_hidden_layers} layers, hidden {config.hidden_size}, "
        f"{config.num_attention_heads} heads, feed-forward {config.intermediate_size}, "
        f"vocabulary {config.vocab_size} characters",
        f"- pre-trained from scratch (masked LM) on {pre.get('characters', '?')} characters of "
        f"report text ({pre.get('texts', '?')} texts: seeds, full reports, narrative openings, "
        f"annotated or not), {pre.get('steps', '?')} steps in {pre.get('seconds', '?')} s; masked-LM "
        f"accuracy {pre.get('mlm_accuracy', '?')} on {pre.get('held_out_texts', '?')} held-out texts",
        f"- fine-tuned on {info['gold_docs']} hand-annotated documents "
        f"({info['gold_characters']} characters) + {info['silver_docs']} silver documents "
        f"({info['silver_characters']} characters, weak labeller), {s['epochs']} epochs, "
        f"learning rate {s['learning_rate']}, batch {s['batch_size']}, windows of {s['window']} "
        f"characters, seed {s['seed']}; {info.get('seconds', '?')} s",
        ("- input: the characters, and (as `token_type_ids`, config `xxgk_rule_hints` / "
         f"`xxgk_hint_types`: {', '.join([t for t in getattr(config, 'xxgk_hint_types', ['O', 'B-QTY', 'I-QTY', 'B-ITEM', 'I-ITEM']) if '.' not in t])}"
         f"{', and B-/I-QTY.<field> for the 22 fields and none' if any('.' in t for t in getattr(config, 'xxgk_hint_types', [])) else ''}) "
         "the weak labeller's BIO tag of each character, and NUM on the numerals it neither tagged nor ruled out "
         "(dates, list markers, phone numbers …): the model learns where the rules are right and corrects them where the gold "
         f"disagrees. In training, {s.get('hint_dropout', 0):.0%} of the rules' spans are hidden "
         "from it in each batch (hint dropout), so that it learns to find what the rules miss"
         + (f"; a rule QTY's hint is typed by the lexicon's field for it (field_rules.py) where the lexicon "
            f"has an opinion: a hint the model reads, not a verdict ({s.get('field_hint_dropout', 0):.0%} "
            "of these types hidden in each training batch); the field itself is the field "
            "classifier's, which reads the same lexicon opinion as one feature among the words "
            "around the pair"
            if s.get("field_hints") and s.get("typed") else "")
         if getattr(config, "xxgk_rule_hints", False) else "- input: the characters alone"),
        f"- tagging: windows of {s['window']} characters every {s['stride']}; each character "
        "takes the label distribution of the window where it is most central; decoding keeps "
        "spans well formed (no I- without its B-, no item split in two, no span cutting a number, "
        "no item beginning or ending inside a word of jieba's dictionary)",
        "",
    ]
    if "cv" in info:
        cv = info["cv"]
        lines += [
            f"## Cross-validated scores ({cv['folds']}-fold by document)",
            "",
            "Each document scored by a model and field classifier trained without it; the rules-only",
            "baseline (weak labeller + the same rule layer) beside it.",
            "",
            comparison_table({"rules only": cv["rules"], "model": cv["model"]}),
            "",
            f"Fold training time, all folds: {cv['seconds']} s.",
            "",
        ]
    if "curve" in info:
        sizes = list(info["curve"])
        columns = {"rules only": info["cv"]["rules"]}
        columns.update({f"model ({n} docs)": info["curve"][n] for n in sizes})
        columns[f"model (all {info['gold_docs'] * (info['cv']['folds'] - 1) // info['cv']['folds']} docs)"] = info["cv"]["model"]
        lines += [
            "## Learning curve (same folds; each fold's model trained on its first n training documents)",
            "",
            comparison_table(columns),
            "",
            "Training time, all folds: " + ", ".join(f"{n} docs {info['curve_seconds'][n]} s" for n in sizes) + ".",
            "",
        ]
    lines += [
        "## Use",
        "",
        "```python",
        "from extraction.figures import load_default_model",
        "tagger = load_default_model('models/xxgk-figures')",
        "tagger.tag(['2023年主动公开政府信息4147余条。'])",
        "```",
        "",
        "Weights are safetensors only. Training settings and losses: `training.json`.",
        "",
    ]
    return "\n".join(lines)
