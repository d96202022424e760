"""Which reports should people annotate next? A simulation inside the fields CV (tools.fields_cv):
in each fold, the classifier starts from --start training documents drawn at random, and --step
more are "annotated" per round (their gold added), chosen

  random    at random;
  regions   by the task score `xxgk annotate push` used before the eighth round: the doubt of
            the model's QTY/ITEM regions only;
  task      by the task score it uses now (annotate/tasks.py): regions and field decisions.

Each round's classifier is scored on the fold's test documents (field-value F1, mean over the
folds), beside the classifier of the fold's whole training pool; and the characters of text
annotated so far are counted (a doubtful report may be a long one).

    python -m tools.annotation_order --spans oof.json [--rounds 4 --start 62 --step 62]
"""
from __future__ import annotations

import argparse
import logging
import random
from pathlib import Path
from statistics import mean

from extraction.annotate.tasks import TaskSettings, prediction
from extraction.figures.embeddings import PAIR_ENCODER_DIR
from extraction.record import Figure
from training.corpus import default_shared_dir
from training.gold import all_gold, kfold

from .fields_cv import f1, figures_of, fit_mapper, read_spans

STRATEGIES = ("random", "regions", "task")


def task_score(doc, spans, mapper, regions_only: bool) -> float:
    """The score `xxgk annotate push` gives the document's task (lower = more doubt)."""
    figures = [Figure.from_json(f) for f in figures_of([doc], {doc.doc: spans}, mapper)[doc.doc]]
    if regions_only:
        for f in figures:
            f.field_score = None
    return prediction(doc.text, figures, TaskSettings())["score"]


def simulate(docs, spans: dict, pair_encoder, start: int, step: int, rounds: int, progress=print,
             seed: int = 0):
    """{(strategy, documents annotated): [F1 per fold]}, the whole training pool's as ("all", 0);
    and {(strategy, documents annotated): [characters annotated per fold]}."""
    results: dict[tuple[str, int], list[float]] = {}
    characters: dict[tuple[str, int], list[int]] = {}

    for k, (train, test) in enumerate(kfold(docs, 5, seed=13)):
        rng = random.Random(1000 * seed + k)  # the first documents and the random order
        first = rng.sample(train, start)
        shuffled = [d for d in train if d not in first]
        rng.shuffle(shuffled)

        def score(mapper):
            return f1(test, figures_of(test, spans, mapper))

        results.setdefault(("all", 0), []).append(score(fit_mapper(train, spans, None, pair_encoder)))
        for strategy in STRATEGIES:
            chosen, pool = list(first), list(shuffled)
            for r in range(rounds):
                mapper = fit_mapper(chosen, spans, None, pair_encoder)
                results.setdefault((strategy, len(chosen)), []).append(score(mapper))
                characters.setdefault((strategy, len(chosen)), []).append(sum(len(d.text) for d in chosen))
                progress(f"fold {k + 1}/5 {strategy:8s} {len(chosen):4d} documents  "
                         f"F1 {results[strategy, len(chosen)][-1]:.3f}")
                if r == rounds - 1:
                    break
                if strategy != "random":
                    pool.sort(key=lambda d: task_score(d, spans[d.doc], mapper, strategy == "regions"))
                chosen, pool = chosen + pool[:step], pool[step:]
    return results, characters


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(default_shared_dir()))
    ap.add_argument("--spans", required=True, help="JSON {doc: spans} of out-of-fold spans "
                    "(tools.figures_cv --save-spans)")
    ap.add_argument("--model", default="models/xxgk-figures", help="its pair encoder is read")
    ap.add_argument("--start", type=int, default=62, help="documents annotated before the first round")
    ap.add_argument("--step", type=int, default=62, help="documents annotated per round")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--seed", type=int, default=0, help="draws other first documents and random order")
    a = ap.parse_args(argv)
    logging.getLogger("extraction.figures.figures").setLevel(logging.ERROR)  # a line per odd span
    docs = all_gold(Path(a.shared))
    spans = read_spans(a.spans, docs)
    missing = [d.doc for d in docs if d.doc not in spans]
    if missing:
        raise SystemExit(f"{a.spans}: no spans for {len(missing)} gold documents (e.g. {missing[0]})")
    pair_encoder = Path(a.model) / PAIR_ENCODER_DIR
    results, characters = simulate(docs, spans, pair_encoder if pair_encoder.is_dir() else None,
                                   a.start, a.step, a.rounds, progress=lambda s: print(s, flush=True),
                                   seed=a.seed)
    print("\nfield-value F1, mean of 5 folds, by documents annotated")
    sizes = sorted({n for s, n in results if s != "all"})
    print(f"{'':10s}" + "".join(f"{n:>8d}" for n in sizes))
    for strategy in STRATEGIES:
        print(f"{strategy:10s}" + "".join(f"{mean(results[strategy, n]):8.3f}" for n in sizes))
    print("\nthousands of characters annotated, mean of 5 folds")
    for strategy in STRATEGIES:
        print(f"{strategy:10s}" + "".join(f"{mean(characters[strategy, n]) / 1000:8.0f}" for n in sizes))
    print(f"the whole training pool (~{len(docs) * 4 // 5} documents): {mean(results['all', 0]):.3f}")


if __name__ == "__main__":
    main()
