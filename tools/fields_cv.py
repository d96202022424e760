"""The field classifier alone, cross-validated: 5-fold by document over every gold set (dev,
narrative-2, the project's annotations of corpus/unlabelled), the spans held fixed, the
classifier refit per fold as `xxgk train` fits it. Minutes, not the half hour of a tagger CV.

    python -m tools.figures_cv --save-spans oof.json        # the tagger's out-of-fold spans
    python -m tools.fields_cv --spans oof.json --dump new.json [--against old.json]
    python -m tools.fields_cv --spans oof.json --field-encoder e5 --against new.json
    python -m tools.fields_cv --gold-spans [--gold-links]   # the ceiling of perfect spans (links)

The default classifier reads the pair encoder of --model (its pair_encoder/), as `xxgk train` fits
it; --no-pair-encoder leaves it out.

Documents missing from --spans are tagged by --model (the shipped tagger's weights were trained
on dev and narrative-2 only: its spans of the unlabelled annotations are out-of-sample too). --dump writes the figures;
--against compares with another run's dump (say, of the code before a change): the difference
in field-value F1 per part, with a 95% paired bootstrap interval over documents.
"""
from __future__ import annotations

import argparse
import json
import logging
import random
from pathlib import Path

from extraction.figures.embeddings import ENCODERS, PAIR_ENCODER_DIR
from extraction.figures.evaluate import evaluate
from extraction.figures.fields import FieldMapper
from training.corpus import default_shared_dir
from training.evaluation import model_figures
from training.gold import all_gold, kfold
from training.train import field_classifier_from_spans

PARTS = (("narrative-2", "h"), ("dev", "p"), ("unlabelled-annotated", "u"))


def cross_validate(docs, spans: dict, encoder: str | None = None, pair_encoder=None,
                   use_links: bool = False) -> dict[str, list[dict]]:
    """Out-of-fold figures; the classifier reads `encoder`'s embeddings, or (without one) the pair
    encoder kept in the folder `pair_encoder` when given. `use_links`: the spans' own links (gold
    spans) instead of link.py's."""
    figures = {}
    for train, test in kfold(docs, 5, seed=13):
        figures.update(figures_of(test, spans, fit_mapper(train, spans, encoder, pair_encoder), use_links))
    return figures


def fit_mapper(docs, spans: dict, encoder: str | None = None, pair_encoder=None) -> FieldMapper:
    """The classifier `xxgk train` fits on `docs` and their `spans` ({document: spans})."""
    return FieldMapper(field_classifier_from_spans(docs, [spans[d.doc] for d in docs], encoder, pair_encoder))


def figures_of(docs, spans: dict, mapper: FieldMapper, use_links: bool = False) -> dict[str, list[dict]]:
    return model_figures(docs, [spans[d.doc] for d in docs], mapper, use_links)


def read_spans(path, docs) -> dict:
    """{document: spans} from a --save-spans file. A file with none of the gold documents in it
    (wrapped in another object, or of other texts) is an error: tagging them all with --model
    instead would score the tagger's in-sample spans as if they were out of fold."""
    spans = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(spans, dict) or not any(d.doc in spans for d in docs):
        raise SystemExit(f"{path}: no gold document's spans in it (expected {{document: spans}}, "
                         f"as tools.figures_cv --save-spans writes)")
    return spans


def f1(docs, figures) -> float:
    return evaluate(docs, {d.doc: figures[d.doc] for d in docs})["field"]["f1"]


def bootstrap(docs, a: dict, b: dict, rounds: int = 1000) -> tuple[float, float]:
    """95% interval of F1(b) - F1(a), documents resampled with replacement."""
    rng = random.Random(0)
    deltas = sorted(f1(s, b) - f1(s, a) for s in
                    ([rng.choice(docs) for _ in docs] for _ in range(rounds)))
    return deltas[int(0.025 * rounds)], deltas[int(0.975 * rounds) - 1]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(default_shared_dir()))
    ap.add_argument("--spans", help="JSON {doc: spans} of out-of-fold spans (tools.figures_cv --save-spans)")
    ap.add_argument("--model", default="models/xxgk-figures", help="tags the documents --spans lacks")
    ap.add_argument("--field-encoder", choices=ENCODERS, help="the classifier that also reads this "
                    "encoder's embeddings (xxgk train --refit-fields --field-encoder)")
    ap.add_argument("--no-pair-encoder", action="store_true", help="the default classifier without "
                    "the pair encoder of --model (as before the sixth round)")
    ap.add_argument("--gold-spans", action="store_true", help="every document's gold spans instead "
                    "of --spans, linked by link.py: what a perfect tagger would leave to the fields")
    ap.add_argument("--gold-links", action="store_true", help="with --gold-spans: the gold's links too")
    ap.add_argument("--dump", help="write this run's figures here (JSON)")
    ap.add_argument("--against", help="another run's --dump: print the difference with a bootstrap interval")
    a = ap.parse_args(argv)
    logging.getLogger("extraction.figures.figures").setLevel(logging.ERROR)  # a line per odd span
    docs = all_gold(Path(a.shared))
    if a.gold_links and not a.gold_spans:
        raise SystemExit("--gold-links goes with --gold-spans")
    if a.gold_spans:
        spans = {d.doc: d.spans for d in docs}
    else:
        spans = read_spans(a.spans, docs) if a.spans else {}
    todo = [d for d in docs if d.doc not in spans]
    if todo:
        print(f"{len(todo)} documents not in --spans: tagged by {a.model}", flush=True)
        from extraction.figures.model import FigureTagger
        spans.update(zip([d.doc for d in todo], FigureTagger.load(a.model).tag([d.text for d in todo])))
    pair_encoder = Path(a.model) / PAIR_ENCODER_DIR
    figures = cross_validate(docs, spans, a.field_encoder,
                             None if a.no_pair_encoder or not pair_encoder.is_dir() else pair_encoder,
                             a.gold_links)
    if a.dump:
        Path(a.dump).write_text(json.dumps(figures, ensure_ascii=False), encoding="utf-8")
    other = json.loads(Path(a.against).read_text(encoding="utf-8")) if a.against else None
    for part, prefix in (("all", ""), *PARTS):
        ds = [d for d in docs if d.doc.startswith(prefix)]
        line = f"{part:22s} {len(ds):4d} documents  field-value F1 {f1(ds, figures):.3f}"
        if other:
            lo, hi = bootstrap(ds, other, figures)
            line += f"  (against: {f1(ds, other):.3f}, difference 95% [{lo:+.3f}, {hi:+.3f}])"
        print(line, flush=True)


if __name__ == "__main__":
    main()
