"""Retrain on people's corrections, and promote the result only if the regression gate agrees.

Read top to bottom:
1. data      — stand-off annotations (annotations/, texts re-read and sha256-checked) + gold,
               minus the fixed evaluation documents; an annotation of a text replaces its gold.
2. train     — a candidate model folder, by the training command's own function.
3. evaluate  — the candidate and the current default, through the whole figure pipeline, on
               the fixed evaluation set (the same documents every time: kept in the registry).
4. gate      — training.gate: no measure may fall beyond the bootstrap noise.
5. register  — the candidate becomes a version in models/; promoted to default, or refused
               (the registry keeps the entry and the reason).
"""
from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from extraction.annotate.store import load_gold as load_annotations
from .gate import GateSettings, Verdict, compare
from .gold import GoldDoc, GoldError, check_doc, kfold, read_gold, sha256_text
from .registry import Registry

log = logging.getLogger(__name__)

# train_fn(training documents, output folder) -> the trained model folder
TrainFn = Callable[[list[GoldDoc], Path], Path]


@dataclass
class RetrainSettings:
    annotations: str | Path = "annotations"
    texts: list[str | Path] = field(default_factory=list)  # where annotated reports are, by name
    gold: str | Path | None = None        # gold JSON Lines (spec/annotation.md)
    gold_texts: str | Path | None = None  # its text folder
    eval_gold: str | Path | None = None   # gold of the evaluation set (default: a fold of `gold`)
    eval_texts: str | Path | None = None
    eval_fold_k: int = 5                  # with no eval gold: 1/k of `gold`, fixed on first use
    models_dir: str | Path | None = None
    gate: GateSettings = field(default_factory=GateSettings)


@dataclass
class Outcome:
    version: str
    promoted: bool
    verdict: Verdict | None
    metrics: dict
    baseline_metrics: dict
    n_train: int
    problems: list[str]

    def describe(self) -> str:
        head = f"{self.version}: trained on {self.n_train} documents; "
        if self.verdict is None:
            return head + "promoted (no default model to compare with)"
        return head + self.verdict.describe()


# --- 1. data ----------------------------------------------------------------------------------

def annotation_docs(folder, texts=()) -> tuple[list[GoldDoc], list[str]]:
    docs, problems = load_annotations(folder, texts)
    out = []
    for d in docs:
        g = GoldDoc(d["doc"], d["text"], d["spans"], d["sha256"])
        try:
            check_doc(g)
        except GoldError as e:  # a bad record is reported and not used; the rest train
            problems.append(str(e))
            continue
        out.append(g)
    return out, problems


def fixed_eval_set(s: RetrainSettings, reg: Registry) -> list[GoldDoc]:
    """The evaluation documents: all of `eval_gold`, or a fold of `gold` chosen once and kept
    (by name and sha256) in the registry so every later candidate meets the same documents."""
    if s.eval_gold:
        docs = list(read_gold(s.eval_gold, s.eval_texts))
    elif s.gold:
        gold = list(read_gold(s.gold, s.gold_texts))
        if reg.eval_set is None:
            _, held_out = kfold(gold, s.eval_fold_k)[0]
            reg.eval_set = [{"doc": d.doc, "sha256": sha256_text(d.text)} for d in held_out]
            reg.save()
        keep = {e["sha256"] for e in reg.eval_set}
        docs = [d for d in gold if sha256_text(d.text) in keep]
    else:
        raise ValueError("no evaluation set: give --eval-gold or --gold")
    if not docs:
        raise ValueError("the evaluation set is empty")
    return docs


def training_docs(s: RetrainSettings, eval_docs: list[GoldDoc]):
    """(documents to train on, sha256 of the annotated ones, problems)."""
    held_out = {sha256_text(d.text) for d in eval_docs}
    annotated, problems = annotation_docs(s.annotations, s.texts)
    by_hash = {}
    if s.gold:
        for d in read_gold(s.gold, s.gold_texts):
            by_hash[sha256_text(d.text)] = d
    for d in annotated:  # a person's correction replaces the gold of the same text
        by_hash[sha256_text(d.text)] = d
    leaked = [d.doc for h, d in by_hash.items() if h in held_out]
    if leaked:
        problems.append(f"{len(leaked)} documents of the evaluation set are left out of training: "
                        + ", ".join(sorted(leaked)[:5]))
    annotated_hashes = sorted({sha256_text(d.text) for d in annotated} - held_out)
    return [d for h, d in by_hash.items() if h not in held_out], annotated_hashes, problems


# --- 2. train ---------------------------------------------------------------------------------

def train_fn_for(args) -> TrainFn:
    """Train as `xxgk train` does (training.train.TrainArgs): fine-tune `args.base` on the
    documents (+ silver), save it with a field classifier trained on the same documents."""
    def train(docs: list[GoldDoc], out: Path) -> Path:
        import time
        from dataclasses import asdict

        from .train import field_classifiers, fine_tune, load_silver, save_model
        started = time.time()
        silver = load_silver() if args.silver else []
        model, tokenizer, losses = fine_tune(args, docs + silver)
        save_model(model, tokenizer, out, {
            "settings": asdict(args), "gold_docs": len(docs), "silver_docs": len(silver),
            "losses": [round(x, 4) for x in losses], "seconds": round(time.time() - started, 1)},
            field_classifiers(docs, model, tokenizer, args, out))
        return Path(out)
    return train


# --- 3. evaluate ------------------------------------------------------------------------------

def predict(model_dir: Path, docs: list[GoldDoc]) -> list[tuple[GoldDoc, list[dict]]]:
    """(gold doc, figures) per document: the figures `xxgk extract` would output."""
    from extraction.document import document_from_text
    from extraction.figures import load_default_model
    from extraction.pipeline import extract_document
    model = load_default_model(model_dir)
    out = []
    for d in docs:
        record = extract_document(document_from_text(d.text, source=d.doc), model=model)
        out.append((d, [f.to_json() for f in record.figures or []]))
    return out


def measures(items) -> dict:
    """The gated measures (higher is better) of (gold doc, figures) pairs."""
    from extraction.figures.evaluate import evaluate
    m = evaluate([g for g, _ in items], {g.doc: figs for g, figs in items})
    return {"qty_f1": m["qty"]["f1"], "qty_value_f1": m["qty_value"]["f1"],
            "item_f1": m["item"]["f1"], "field_value_f1": m["field"]["f1"],
            # None when no QTY was found exactly: nothing linked right
            "link_accuracy": m["link_accuracy"] or 0.0}


# --- the whole run ----------------------------------------------------------------------------

def retrain(s: RetrainSettings, train_fn: TrainFn) -> Outcome:
    reg = Registry(s.models_dir)
    eval_docs = fixed_eval_set(s, reg)
    docs, annotated, problems = training_docs(s, eval_docs)
    if not docs:
        raise ValueError("nothing to train on")
    for p in problems:
        log.warning("%s", p)

    # 2. train, 3. evaluate the candidate, 5. register it (its folder is copied into models/)
    with tempfile.TemporaryDirectory(prefix="xxgk-candidate-") as tmp:
        cand_dir = train_fn(docs, Path(tmp) / "model")
        cand = predict(cand_dir, eval_docs)
        entry = reg.add(cand_dir, measures(cand), data={
            "train_docs": len(docs), "eval_docs": len(eval_docs), "eval_excluded": True,
            "annotations": annotated})
    if entry.parent is None or reg.path_of(entry.parent) is None:
        reg.promote(entry.version, "promoted: no default model to compare with")
        return Outcome(entry.version, True, None, entry.metrics, {}, len(docs), problems)

    # 3. evaluate the default on the same documents, 4. gate
    base_entry = reg.get(entry.parent)
    if not base_entry.data.get("eval_excluded"):
        problems.append(f"the default {base_entry.version} may have been trained on evaluation "
                        "documents: its scores are optimistic, so the gate is stricter than needed")
    base = predict(reg.path_of(entry.parent), eval_docs)
    verdict = compare(base, cand, measures, s.gate)
    if verdict.promote:
        reg.promote(entry.version, verdict.describe())
    else:
        reg.refuse(entry.version, verdict.describe())
    return Outcome(entry.version, verdict.promote, verdict, entry.metrics, measures(base),
                   len(docs), problems)
