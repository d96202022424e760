"""Masked-language-model pre-training of a small character BERT on all unlabelled report text.

Read top to bottom: settings, seed, data, tokenizer, model, masking, training, save. The result
is a Hugging Face folder (config.json, model.safetensors, tokenizer) that `xxgk train` fine-tunes.

    xxgk pretrain --out models/xxgk-charbert-base
"""
from __future__ import annotations

import json
import logging
import math
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from extraction.figures.labels import LABELS

from .corpus import corpus_texts, default_shared_dir
from .runtime import autocast, optimizer_and_schedule, pad_batch, set_seed, use_bf16
from .vocab import build_vocab, encode_chars, make_tokenizer, save_tokenizer

log = logging.getLogger(__name__)


@dataclass
class PretrainArgs:
    output_dir: str = field(metadata={"help": "Folder to write the pre-trained model to."})
    shared: str | None = field(default=None, metadata={"help": "Shared corpus folder (default: $XXGK_SHARED or ../shared)."})
    texts: list[str] | None = field(default=None, metadata={"help": "Use these texts instead of the shared corpus (tests)."})
    layers: int = field(default=2, metadata={"help": "Transformer layers."})
    hidden: int = field(default=128, metadata={"help": "Hidden size."})
    heads: int = field(default=2, metadata={"help": "Attention heads."})
    ffn: int = field(default=512, metadata={"help": "Feed-forward size."})
    max_len: int = field(default=128, metadata={"help": "Characters per training window."})
    epochs: int = field(default=20, metadata={"help": "Passes over the corpus (each with new window offsets)."})
    max_minutes: float | None = field(default=None, metadata={"help": "Stop after this long (the schedule still ends at `epochs`)."})
    batch_size: int = field(default=16, metadata={"help": "Windows per step."})
    learning_rate: float = field(default=1e-3, metadata={"help": "Peak AdamW learning rate."})
    weight_decay: float = field(default=0.01, metadata={"help": "AdamW weight decay."})
    warmup_ratio: float = field(default=0.06, metadata={"help": "Share of steps spent warming up."})
    mask_prob: float = field(default=0.15, metadata={"help": "Share of characters to predict."})
    held_out: int = field(default=40, metadata={"help": "Every Nth text is kept out of training to measure masked-LM accuracy (0: none)."})
    seed: int = field(default=42, metadata={"help": "Random seed (data order, masking, init)."})
    bf16: bool | None = field(default=None, metadata={"help": "bf16 autocast (default: where the CPU supports it)."})


def chunk(ids: list[int], max_len: int, offset: int) -> list[list[int]]:
    """Windows of at most max_len ids, the first one starting at `offset` (varied per epoch)."""
    out = [ids[:offset]] if offset else []
    out += [ids[i:i + max_len] for i in range(offset, len(ids), max_len)]
    return [c for c in out if len(c) >= 8]


def mask_tokens(ids, tokenizer, mask_prob: float, n_special: int, gen):
    """BERT masking: of the chosen positions 80% [MASK], 10% a random character, 10% kept."""
    import torch
    labels = ids.clone()
    candidates = ids >= n_special  # never predict padding or special tokens
    chosen = (torch.rand(ids.shape, generator=gen) < mask_prob) & candidates
    labels[~chosen] = -100
    ids = ids.clone()
    r = torch.rand(ids.shape, generator=gen)
    ids[chosen & (r < 0.8)] = tokenizer.mask_token_id
    rand_pos = chosen & (r >= 0.8) & (r < 0.9)
    ids[rand_pos] = torch.randint(n_special, len(tokenizer), ids.shape, generator=gen)[rand_pos]
    return ids, labels


def mlm_accuracy(model, tokenizer, encoded, args: PretrainArgs, n_special: int) -> float:
    """Share of masked characters predicted exactly, on texts kept out of training (fixed masks)."""
    import torch
    gen = torch.Generator().manual_seed(1234)
    windows = [c for e in encoded for c in chunk(e, args.max_len, 0)]
    right = total = 0
    model.eval()
    with torch.inference_mode():
        for b in range(0, len(windows), 64):
            ids, mask = pad_batch([[tokenizer.cls_token_id, *w, tokenizer.sep_token_id]
                                   for w in windows[b:b + 64]], tokenizer.pad_token_id)
            inputs, labels = mask_tokens(ids, tokenizer, args.mask_prob, n_special, gen)
            labels[mask == 0] = -100
            pred = model(input_ids=inputs, attention_mask=mask).logits.argmax(-1)
            chosen = labels != -100
            right += int((pred[chosen] == labels[chosen]).sum())
            total += int(chosen.sum())
    model.train()
    return round(right / total, 4) if total else None


def main(args: PretrainArgs) -> dict:
    import torch
    from transformers import BertConfig, BertForMaskedLM

    started = time.time()
    # --- seed
    set_seed(args.seed)
    rng = random.Random(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    bf16 = use_bf16(args.bf16)

    # --- data
    if args.texts is not None:
        texts = list(args.texts)
    else:
        texts = [t for _, t in corpus_texts(args.shared or default_shared_dir())]
    if not texts or not any(t.strip() for t in texts):
        raise ValueError("no text to pre-train on (is the shared folder there?)")

    # --- tokenizer: one token per character
    tokenizer = make_tokenizer(build_vocab(texts))
    encoded = [encode_chars(tokenizer, t) for t in texts if t.strip()]
    held = encoded[::args.held_out] if args.held_out and len(encoded) > args.held_out else []
    if held:
        encoded = [e for i, e in enumerate(encoded) if i % args.held_out]
    n_chars = sum(map(len, encoded))
    n_special = len(tokenizer.all_special_ids) + 1  # special tokens and ␣ come first in the vocab
    log.info("pre-training on %d texts, %d characters, vocabulary %d", len(encoded), n_chars, len(tokenizer))

    # --- model
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=args.hidden,
                        num_hidden_layers=args.layers, num_attention_heads=args.heads,
                        intermediate_size=args.ffn, max_position_embeddings=max(512, args.max_len + 2),
                        pad_token_id=tokenizer.pad_token_id,
                        type_vocab_size=len(LABELS))  # one segment type per label: rule hints
    model = BertForMaskedLM(config)

    # --- training
    steps_per_epoch = sum(math.ceil(len(e) / args.max_len) for e in encoded) // args.batch_size + 1
    total = steps_per_epoch * args.epochs
    opt, sched = optimizer_and_schedule(model, args.learning_rate, args.weight_decay, total, args.warmup_ratio)
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    losses, step, stopped_early = [], 0, False
    model.train()
    for epoch in range(args.epochs):
        windows = [c for e in encoded for c in chunk(e, args.max_len, rng.randrange(args.max_len))]
        rng.shuffle(windows)
        epoch_loss = []
        for b in range(0, len(windows), args.batch_size):
            ids, mask = pad_batch([[cls, *w, sep] for w in windows[b:b + args.batch_size]],
                                  tokenizer.pad_token_id)
            inputs, labels = mask_tokens(ids, tokenizer, args.mask_prob, n_special, gen)
            labels[mask == 0] = -100
            with autocast(bf16):
                loss = model(input_ids=inputs, attention_mask=mask, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            epoch_loss.append(loss.item())
            step += 1
        losses.append(sum(epoch_loss) / len(epoch_loss))
        log.info("epoch %d: MLM loss %.3f", epoch + 1, losses[-1])
        if args.max_minutes and time.time() - started > 60 * args.max_minutes:
            stopped_early = True
            break

    # --- masked-LM accuracy on the held-out texts
    accuracy = mlm_accuracy(model, tokenizer, held, args, n_special) if held else None
    log.info("masked-LM accuracy on %d held-out texts: %s", len(held), accuracy)

    # --- save
    out = Path(args.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out, safe_serialization=True)
    save_tokenizer(tokenizer, out)
    info = {"settings": {k: v for k, v in asdict(args).items() if k != "texts"},
            "texts": len(encoded), "characters": n_chars, "vocabulary": len(tokenizer),
            "held_out_texts": len(held), "held_out_characters": sum(map(len, held)),
            "mlm_accuracy": accuracy, "steps": step, "epoch_losses": [round(x, 4) for x in losses],
            "stopped_early": stopped_early, "bf16": bf16,
            "seconds": round(time.time() - started, 1)}
    (out / "pretraining.json").write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    return info
