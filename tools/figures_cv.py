"""The figure numbers of the model card: 5-fold CV by document over dev + narrative-2, scored by
part, and a learning curve over narrative-2 on fold 0.

    python -m tools.figures_cv [--curve] [--with-annotated] [--save-spans oof.json] [--epochs 20] [--base models/xxgk-charbert-base]

With --with-annotated, the project's own annotations of corpus/unlabelled (training/data) join
every fold's training and are never scored: the folds and test documents stay those of dev +
narrative-2, so the numbers compare one to one with a run without them.

Each fold's model and field classifier are trained as `xxgk train` trains them, on the other
folds; the lexicon alone (weak labeller + field rules, no model) and the typed model's own field
are scored beside them. Parts: all documents, narrative-2's (the lexicon was not written on
them) and dev's (it was). ~30 min on 2 cores; the curve ~25 min more.
"""
from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from extraction.figures.evaluate import evaluate
from extraction.figures.fields import FieldMapper
from training.corpus import default_shared_dir
from training.evaluation import model_figures, rule_figures
from training.gold import GOLD_SETS, kfold, read_gold
from training.train import TrainArgs, field_classifier, fine_tune, tag_docs


def gold_docs(shared, names=("narrative-dev", "narrative-2")):
    return [d for name, gold, texts in GOLD_SETS if name in names
            for d in read_gold(shared / gold, shared / texts)]


def trained_system(args: TrainArgs, train, test, saved: dict | None = None):
    """(figures with the classifier's fields, figures with the typed model's own) for `test`;
    the model's spans of `test` go into `saved` when given."""
    model, tokenizer, _ = fine_tune(args, train)
    spans = tag_docs(model, tokenizer, test, args)
    if saved is not None:
        saved.update(zip([d.doc for d in test], spans))
    learned = FieldMapper(field_classifier(train, model, tokenizer, args))
    return model_figures(test, spans, learned), model_figures(test, spans, FieldMapper())


def line(name, m) -> str:
    f = m["field"]
    return (f"{name:42s} QTY F1 {m['qty']['f1']:.3f}  field-value P / R / F1 "
            f"{f['precision']:.3f} / {f['recall']:.3f} / {f['f1']:.3f}")


def cross_validate(docs, args: TrainArgs, extra=(), saved: dict | None = None) -> None:
    systems = {"lexicon only": {}, "typed model's own field": {}, "model + field classifier": {}}
    for i, (train, test) in enumerate(kfold(docs, 5, seed=13)):
        systems["lexicon only"].update(rule_figures(test, FieldMapper()))
        learned, typed = trained_system(args, train + list(extra), test, saved)
        systems["model + field classifier"].update(learned)
        systems["typed model's own field"].update(typed)
        logging.info("fold %d/5 done", i + 1)
    parts = {"all": docs, "narrative-2": [d for d in docs if d.doc.startswith("h")],
             "dev": [d for d in docs if d.doc.startswith("p")]}
    for part, ds in parts.items():
        print(f"== {part} ({len(ds)} documents)")
        for name, figures in systems.items():
            print(line(name, evaluate(ds, {d.doc: figures[d.doc] for d in ds})))


def curve(docs, args: TrainArgs, extra=()) -> None:
    train, test = kfold(docs, 5, seed=13)[0]
    dev = [d for d in train if d.doc.startswith("p")]
    n2 = [d for d in train if d.doc.startswith("h")]
    print(f"== learning curve, fold 0 ({len(test)} test documents)")
    print(line("lexicon only", evaluate(test, rule_figures(test, FieldMapper()))))
    for share in (0, 0.25, 0.5, 1.0):
        subset = dev + n2[:round(share * len(n2))]
        learned, _ = trained_system(args, subset, test)
        print(line(f"dev + {share:.0%} of narrative-2 ({len(subset)})", evaluate(test, learned)))
    if extra:
        subset = dev + n2 + list(extra)
        learned, _ = trained_system(args, subset, test)
        print(line(f"dev + narrative-2 + annotated ({len(subset)})", evaluate(test, learned)))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(default_shared_dir()))
    ap.add_argument("--base", default="models/xxgk-charbert-base")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--curve", action="store_true", help="also the learning curve on fold 0")
    ap.add_argument("--save-spans", metavar="FILE",
                    help="write each document's out-of-fold spans here (JSON, for tools.fields_cv)")
    ap.add_argument("--with-annotated", action="store_true",
                    help="add the project's annotations of corpus/unlabelled to every fold's training")
    a = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    docs = gold_docs(Path(a.shared))
    extra = gold_docs(Path(a.shared), ("unlabelled-annotated",)) if a.with_annotated else []
    args = TrainArgs(base=a.base, epochs=a.epochs)
    saved = {} if a.save_spans else None
    cross_validate(docs, args, extra, saved)
    if a.save_spans:
        Path(a.save_spans).write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    if a.curve:
        curve(docs, args, extra)


if __name__ == "__main__":
    main()
