"""`xxgk evaluate`: the model beside the rules-only baseline, through the whole figure pipeline.

Both systems end in the same rule layer (link, normalise, fields: extraction.figures) and are
scored by the same metrics (extraction.figures.evaluate). The rules-only baseline is what runs
without a model: the weak labeller's spans and the lexicon. With `folds`, every document is
scored by a model and a field classifier that never saw it: k-fold by document, each fold's
model fine-tuned from the pre-trained base on the other folds (+ silver), its classifier trained
on the same documents.
"""
from __future__ import annotations

import logging
import time
from dataclasses import replace

from extraction.figures.evaluate import evaluate
from extraction.figures.fields import FieldMapper
from extraction.figures.figures import figures_from_spans
from extraction.figures.weak import weak_spans

from .gold import kfold
from .train import TrainArgs, field_classifier, fine_tune, load_silver, tag_docs

log = logging.getLogger(__name__)

CURVE_SIZES = (10, 25, 50, None)  # None: every training document of the fold


def rule_figures(docs, mapper: FieldMapper) -> dict[str, list[dict]]:
    return {d.doc: figures_from_spans(d.text, weak_spans(d.text), by="rule", mapper=mapper)
            for d in docs}


def model_figures(docs, spans_per_doc, mapper: FieldMapper, use_links: bool = False) -> dict[str, list[dict]]:
    return {d.doc: figures_from_spans(d.text, spans, by="model", mapper=mapper, use_links=use_links)
            for d, spans in zip(docs, spans_per_doc)}


def evaluate_model_dir(gold, model_dir, encoder: str | None = None) -> dict:
    """The saved model and its field classifier (with `encoder`: the one that reads its
    embeddings) on the gold as it is (in-sample if it trained on it)."""
    from extraction.figures.model import FigureTagger
    tagger = FigureTagger.load(model_dir)
    mapper = FieldMapper.from_dir(model_dir, encoder)
    spans = tagger.tag([d.text for d in gold])
    return {"rules": evaluate(gold, rule_figures(gold, FieldMapper())),
            "model": evaluate(gold, model_figures(gold, spans, mapper))}


def cross_validate_system(gold, args: TrainArgs, folds: int, silver=None,
                          sizes=(None,)) -> dict:
    """k-fold scores of the rules-only baseline and of the model trained on n documents per fold.

    Returns {"rules": metrics, n: metrics, ..., "seconds": {n: training seconds}}; n None = all.
    """
    silver = silver if silver is not None else (load_silver() if args.silver else [])
    rules: dict[str, list[dict]] = {}
    model: dict = {n: {} for n in sizes}
    seconds = {n: 0.0 for n in sizes}
    for i, (train, test) in enumerate(kfold(gold, folds, seed=13)):
        rules.update(rule_figures(test, FieldMapper()))
        for n in sizes:
            started = time.time()
            trained, tokenizer, _ = fine_tune(replace(args, max_docs=n), train[:n] + silver)
            mapper = FieldMapper(field_classifier(train[:n], trained, tokenizer, args))
            seconds[n] += time.time() - started
            model[n].update(model_figures(test, tag_docs(trained, tokenizer, test, args), mapper))
            log.info("fold %d/%d, %s training documents: done", i + 1, folds, n or "all")
    out = {"rules": evaluate(gold, rules), "seconds": {n: round(s, 1) for n, s in seconds.items()}}
    for n in sizes:
        out[n] = evaluate(gold, model[n])
    return out


def comparison_table(columns: dict[str, dict]) -> str:
    """A Markdown table: one row per measure, one column per system."""
    rows = [("QTY exact-span P", "qty", "precision"), ("QTY exact-span R", "qty", "recall"),
            ("QTY exact-span F1", "qty", "f1"), ("QTY text+value F1", "qty_value", "f1"),
            ("ITEM overlap F1", "item", "f1"), ("link accuracy", "link_accuracy", None),
            ("field-value P", "field", "precision"), ("field-value R", "field", "recall"),
            ("field-value F1", "field", "f1")]
    names = list(columns)
    lines = ["| measure | " + " | ".join(names) + " |", "| --- |" + " --- |" * len(names)]
    for label, key, sub in rows:
        cells = []
        for n in names:
            v = columns[n][key] if sub is None else columns[n][key][sub]
            cells.append("–" if v is None else f"{v:.3f}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
