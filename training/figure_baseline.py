"""Cross-validated numbers for the figure rule layer on the narrative dev gold.

    python -m training.figure_baseline [--shared ../shared] [--k 5]

Prints two measurements (5-fold by document; the field classifier trains on the other folds):
1. weak labeller spans -> link.py -> fields.py (the lexicon alone, then the trained classifier
   that reads the lexicon's opinion), scored by evaluate.py;
2. the field mapper alone: GOLD spans and links -> fields.py (field-value P/R/F1).
The lexicon and weak rules were written while reading the dev gold, so these numbers are
optimistic for them; the holdout is the honest test.
"""
from __future__ import annotations

import argparse

from extraction.figures.evaluate import evaluate, format_metrics
from extraction.figures.fields import FieldMapper, train_classifier
from extraction.figures.figures import figures_from_spans
from extraction.figures.weak import weak_spans

from .corpus import default_shared_dir
from .gold import default_gold, kfold


def cross_validate(docs, k: int = 5, gold_spans: bool = False, use_classifier: bool = True) -> dict:
    """Metrics of the rule layer, k-fold by document: the lexicon alone, or the classifier
    trained on the other folds (gold pairs and the weak labeller's pairs)."""
    predictions, items = {}, {}
    for train, test in kfold(docs, k):
        mapper = FieldMapper()
        if use_classifier:
            mapper = FieldMapper(train_classifier(train, [[weak_spans(d.text)] for d in train]))
        for d in test:
            spans = d.spans if gold_spans else weak_spans(d.text)
            predictions[d.doc] = figures_from_spans(d.text, spans, by="rule", mapper=mapper,
                                                    use_links=gold_spans)
            items[d.doc] = [(s["start"], s["end"]) for s in spans if s["label"] == "ITEM"]
    return evaluate(docs, predictions, items)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(default_shared_dir()))
    ap.add_argument("--k", type=int, default=5)
    args = ap.parse_args(argv)
    docs = default_gold(args.shared).docs
    for name, clf in (("lexicon only", False), ("classifier reading the lexicon", True)):
        print(f"== weak labeller + link + fields ({name}), {args.k}-fold")
        print(format_metrics(cross_validate(docs, args.k, use_classifier=clf)))
    for name, clf in (("lexicon only", False), ("classifier reading the lexicon", True)):
        m = cross_validate(docs, args.k, gold_spans=True, use_classifier=clf)
        f = m["field"]
        print(f"== field mapper on gold spans + links, {name}: field-value "
              f"P {f['precision']:.3f} R {f['recall']:.3f} F1 {f['f1']:.3f}")


if __name__ == "__main__":
    main()
