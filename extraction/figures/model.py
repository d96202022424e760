"""The figure tagger: a token-classification model over characters, applied to text of any length.

Long text is cut into overlapping windows (`window` tokens, every `stride`); each character takes
its tag from the window in which it is most central, so a span at a window edge is read with
context on both sides and is found once, whole. Spans come out with a confidence: the mean, over
their characters, of the model's top softmax probability.

A model whose config says `xxgk_rule_hints` also reads the weak labeller's BIO tag of every
character as its `token_type_ids` (BERT's segment embedding, widened to one type per label): it
learns where the rules are right and corrects them where the gold says otherwise.

Only safetensors weights are loaded: a model folder holding only pickle weights (`.bin`, `.pt`,
...) is refused, since unpickling runs code.
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .labels import LABELS, from_bio, to_bio

PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt", ".joblib")


@dataclass
class TaggerSettings:
    window: int = 128      # tokens per window (plus [CLS]/[SEP])
    stride: int = 96       # start of one window to the next; window - stride tokens overlap
    batch_size: int = 32
    threads: int | None = None   # None: $XXGK_THREADS, else the idle cores (sane_threads)
    bf16: bool | None = None     # None: on where the CPU supports it

    def __post_init__(self):
        if not 0 < self.stride <= self.window:
            raise ValueError(f"stride must be in 1..window, got stride={self.stride}, window={self.window}")


def bf16_supported() -> bool:
    """True where the CPU has native bfloat16 (AVX512-BF16 or AMX), where autocast pays off."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            flags = f.read()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def sane_threads(requested: int | None = None) -> int:
    """Torch threads: as asked, else $XXGK_THREADS, else the cores other processes leave idle.

    On a shared machine, more threads than idle cores makes torch's spinning threads wait on
    each other: measured here, 2 threads on 2 busy cores ran 4x slower than 1.
    """
    import torch
    if requested or os.environ.get("XXGK_THREADS"):
        return max(1, int(requested or os.environ["XXGK_THREADS"]))
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except OSError:
        busy = 0.0
    return max(1, min(torch.get_num_threads(), int(cores - busy + 0.5)))


def check_safetensors_only(model_dir: str | Path) -> None:
    """Raise unless the folder's weights are safetensors; never fall back to a pickle file."""
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise FileNotFoundError(f"no model folder at {model_dir}")
    names = [p.name for p in model_dir.iterdir()]
    if any(n.endswith(".safetensors") for n in names):
        return
    pickles = [n for n in names if n.endswith(PICKLE_SUFFIXES)]
    if pickles:
        raise ValueError(f"{model_dir} has only pickle weights ({', '.join(sorted(pickles))}); "
                         "xxgk loads safetensors only (convert with save_pretrained)")
    raise FileNotFoundError(f"{model_dir} has no model.safetensors")


def windows(n: int, window: int, stride: int) -> list[tuple[int, int, int, int]]:
    """Windows over n tokens: (start, end, own_start, own_end).

    A window owns the tokens for which it is the most central window: the overlaps with its
    neighbours are cut in the middle. Owned ranges tile 0..n exactly once.
    """
    starts = list(range(0, max(n - window, 0) + 1, stride))
    if starts[-1] + window < n:
        starts.append(n - window)
    spans = [(s, min(s + window, n)) for s in starts]
    out = []
    for k, (s, e) in enumerate(spans):
        own_start = 0 if k == 0 else (s + spans[k - 1][1]) // 2
        own_end = n if k == len(spans) - 1 else (spans[k + 1][0] + e) // 2
        out.append((s, e, own_start, own_end))
    return out


def token_tags_to_chars(length: int, offsets, tags: list[str], scores: list[float]):
    """Per-character tags from per-token tags (identity for a one-token-per-character tokenizer).

    A token's B- goes to its first character and I- to the rest; characters no token covers
    (whitespace some tokenizers drop) are O.
    """
    char_tags = ["O"] * length
    char_scores = [1.0] * length
    for (a, b), tag, score in zip(offsets, tags, scores):
        for i in range(a, b):
            char_tags[i] = tag if (i == a or tag == "O") else "I-" + tag[2:]
            char_scores[i] = score
    return char_tags, char_scores


# A numeral, as the number hints see it: digits, a decimal part, a 万/亿 multiplier.
NUMERAL = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?[万亿]?")
# Token types of a model with rule hints: the weak labeller's tags, and NUM for a numeral it left
# untagged (with `number_hints`).
HINT_TYPES = (*LABELS, "NUM")
HINT_ID = {name: i for i, name in enumerate(HINT_TYPES)}


def numeral_chars(text: str) -> list[bool]:
    """Which characters belong to a numeral (a hidden rule QTY's numerals become NUM in training)."""
    out = [False] * len(text)
    for m in NUMERAL.finditer(text):
        out[m.start():m.end()] = [True] * (m.end() - m.start())
    return out


def joined_tokens(text: str, offsets) -> list[bool]:
    """For each token: does it continue the numeral of the character before it?"""
    inside = [False] * (len(text) + 1)
    for m in NUMERAL.finditer(text):
        inside[m.start() + 1:m.end()] = [True] * (m.end() - m.start() - 1)
    return [b > a and inside[a] for a, b in offsets]


# Numerals that are not counts, beyond what the weak labeller decided: list markers and table
# cells (a numeral opening its line, or alone on it, or between | or in (N)), years without 年
# (〔2020〕, “清风2023”), service hotlines (12345, 12393), phone numbers and codes (seven digits
# and more, next to - @ · or Latin letters).
LINE_START = re.compile(r"(?:^|\n)[ \t\u3000|]*$")
CELL_END = re.compile(r"^[ \t\u3000|]*(?:\n|$)")
YEAR_OR_HOTLINE = re.compile(r"(?:19|20)[0-9]{2}|123[0-9]{2}")


def open_numerals(text: str) -> list[bool]:
    """The characters of numerals that may be counts the rules missed: numerals the weak labeller
    did not already judge (with a measure word after them, accepted or rejected: 12条, 20个工作日),
    that its exclusions do not rule out (2021年, 第3, N小时 …) and that look like none of the above."""
    from .weak import NOT_AFTER, NOT_BEFORE, QTY_RE, _in_quotes
    judged = [False] * len(text)
    for m in QTY_RE.finditer(text):
        judged[m.start():m.end()] = [True] * (m.end() - m.start())
    out = [False] * len(text)
    for m in NUMERAL.finditer(text):
        s, e = m.start(), m.end()
        before, after = text[max(0, s - 8):s], text[e:e + 8]
        if (any(judged[s:e]) or NOT_BEFORE.search(before) or NOT_AFTER.match(after.lstrip(" "))
                or _in_quotes(text, s) or LINE_START.search(before)
                or CELL_END.match(after) or (before[-1:] in "(（" and after[:1] in ")）")
                or YEAR_OR_HOTLINE.fullmatch(m.group()) or sum(c.isdigit() for c in m.group()) >= 7
                or before[-1:] in "〔[【第@·-" or after[:1] in "〕]】-@·"
                or (before[-1:] + after[:1]).isascii() and (before[-1:] + after[:1]).isalpha()):
            continue
        out[s:e] = [True] * (e - s)
    return out


def rule_hints(text: str, offsets, numbers: bool = False) -> list[int]:
    """The hint type of each token (of its first character): the weak labeller's BIO tag; with
    `numbers`, NUM for a numeral the rules neither tagged nor ruled out (`open_numerals`), so
    that the model can learn which of them are counts (关注量达269万)."""
    from .weak import weak_spans
    tags = to_bio(len(text), weak_spans(text))
    if numbers:
        tags = ["NUM" if t == "O" and n else t for t, n in zip(tags, open_numerals(text))]
    return [HINT_ID[tags[a]] if b > a else 0 for a, b in offsets]


def follows(prev: str, tag: str, joined: bool = False) -> bool:
    """May `tag` come right after `prev`? I-X only inside an X span; an ITEM never starts right
    after an ITEM: two items touch once in the gold's 1,000, while a model often splits one in
    two (高|新区公安分局); quantities do touch (七大类48项). Between two characters of one
    numeral (`joined`) no span begins or ends: the gold never cuts a number (202|1年)."""
    if joined:
        return tag == prev == "O" or (tag.startswith("I-") and prev[2:] == tag[2:])
    if tag.startswith("I-"):
        return prev[2:] == tag[2:]
    if tag == "B-ITEM":
        return prev[2:] != "ITEM"
    return True


def bio_viterbi(probs: list[list[float]], labels: list[str], joined: list[bool],
                end_outside: bool = False) -> list[int]:
    """The most probable label sequence in which every transition `follows` (the sequence comes
    after an O; with `end_outside`, an O comes after it that no span may reach)."""
    n = len(labels)
    sources = {j: [[i for i in range(n) if follows(labels[i], labels[t], j)] for t in range(n)]
               for j in (False, True)}
    logp = [[math.log(max(x, 1e-12)) for x in p] for p in probs]
    best = [x if follows("O", labels[t], joined[0]) else -math.inf for t, x in enumerate(logp[0])]
    back = []
    for row, j in zip(logp[1:], joined[1:]):
        ptr = [max(src, key=best.__getitem__) if src else 0 for src in sources[j]]
        best = [best[k] + x if src else -math.inf for k, x, src in zip(ptr, row, sources[j])]
        back.append(ptr)
    last = [labels.index("O")] if end_outside else range(n)
    path = [max(last, key=best.__getitem__)]
    for ptr in reversed(back):
        path.append(ptr[path[-1]])
    return path[::-1]


SURE_OUTSIDE = 0.95  # a token this sure to be outside any span separates what is decoded jointly


def bio_decode(probs, labels: list[str], joined: list[bool] | None = None) -> list[int]:
    """Each token's most probable label, with every ill-formed stretch decoded under `follows`.

    `probs`: one label distribution per token (rows of an array). The per-token best can read
    `O I-QTY` (the model unsure where a span starts: 一[个]), `新闻 O O 会` (unsure inside an
    item: 新闻发布会), `B-ITEM B-ITEM` (one item split in two) or a span that cuts a number
    (202[1]年). `joined[k]`: token k continues the numeral of token k - 1. Each stretch of
    tokens not surely outside a span whose per-token labels are ill-formed is re-decoded by
    `bio_viterbi`, so a span is read whole or left out. Well-formed stretches (nearly all) keep
    the per-token labels, which is cheap.
    """
    import numpy as np
    probs = np.asarray(probs, dtype=np.float32)
    if not len(probs):
        return []
    out = probs.argmax(1).tolist()
    unsure = (probs[:, labels.index("O")] < SURE_OUTSIDE).tolist()
    joined = joined or [False] * len(out)
    i = 0
    while i < len(out):
        if not unsure[i]:
            i += 1
            continue
        j = i
        while j < len(out) and unsure[j]:
            j += 1
        run = [labels[k] for k in out[i:j]]
        end_outside = j < len(out) and joined[j]
        if (not all(follows(p, t, c) for p, t, c in zip(["O", *run], run, joined[i:j]))
                or (end_outside and run[-1] != "O")):
            out[i:j] = bio_viterbi(probs[i:j].tolist(), labels, joined[i:j], end_outside)
        i = j
    return out


class FigureTagger:
    """Tags QTY and ITEM spans (annotation.md) in text with a fine-tuned token-classification model."""

    def __init__(self, model, tokenizer, settings: TaggerSettings | None = None, model_dir=None):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.settings = settings or TaggerSettings()
        self.model_dir = Path(model_dir) if model_dir else None
        id2label = {int(k): v for k, v in model.config.id2label.items()}
        self.labels = [id2label[k] for k in range(len(id2label))]
        self.bf16 = bf16_supported() if self.settings.bf16 is None else self.settings.bf16
        self.uses_hints = bool(getattr(model.config, "xxgk_rule_hints", False))
        self.number_hints = "NUM" in getattr(model.config, "xxgk_hint_types", ())
        self.field_mapper = None  # set by load_default_model from the folder's classifier

    @classmethod
    def load(cls, model_dir: str | Path, settings: TaggerSettings | None = None) -> "FigureTagger":
        import torch
        from transformers import AutoModelForTokenClassification, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a bar per worker per load is noise in batch output
        check_safetensors_only(model_dir)
        settings = settings or TaggerSettings()
        torch.set_num_threads(sane_threads(settings.threads))
        model = AutoModelForTokenClassification.from_pretrained(model_dir, use_safetensors=True)
        tokenizer = AutoTokenizer.from_pretrained(model_dir)
        return cls(model, tokenizer, settings, model_dir)

    def tag(self, texts) -> list[list[dict]]:
        """Spans for each text: dicts with label, start, end, text, score (offsets into that text).

        `texts` are strings, or (text, offset) pairs (e.g. narrative regions of a document) whose
        spans are shifted by `offset` so that they index the whole document.
        """
        import numpy as np
        items = [(t, 0) if isinstance(t, str) else (t[0], t[1]) for t in texts]
        encoded = [self._encode(text) for text, _ in items]
        hints = [rule_hints(text, off, self.number_hints) if self.uses_hints else None
                 for (text, _), (_, off) in zip(items, encoded)]
        jobs = []  # (text index, window) for every window of every text
        for i, (ids, _) in enumerate(encoded):
            if ids:
                jobs += [(i, w) for w in windows(len(ids), self.settings.window, self.settings.stride)]
        # Each token takes the label distribution of the window where it is most central.
        probs = [np.zeros((len(ids), len(self.labels)), dtype=np.float32) for ids, _ in encoded]
        bs = self.settings.batch_size
        for b in range(0, len(jobs), bs):
            batch = jobs[b:b + bs]
            dists = self._predict([encoded[i][0][s:e] for i, (s, e, _, _) in batch],
                                  [hints[i][s:e] if hints[i] else None for i, (s, e, _, _) in batch])
            for (i, (s, e, own_s, own_e)), d in zip(batch, dists):
                probs[i][own_s:own_e] = d[1 + own_s - s:1 + own_e - s]  # row 0 is [CLS]
        out = []
        for (text, offset), (_, offsets), pp in zip(items, encoded, probs):
            path = bio_decode(pp, self.labels, joined_tokens(text, offsets))
            tags = [self.labels[k] for k in path]
            scores = pp[np.arange(len(path)), path].tolist() if path else []
            char_tags, char_scores = token_tags_to_chars(len(text), offsets, tags, scores)
            out.append(from_bio(char_tags, text, char_scores, offset=offset))
        return out

    def _encode(self, text: str):
        enc = self.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        return enc["input_ids"], enc["offset_mapping"]

    def _predict(self, chunks: list[list[int]], hints: list[list[int] | None]):
        """The label distribution of every position of every chunk (row 0: [CLS])."""
        import torch

        tok = self.tokenizer
        width = max(len(c) for c in chunks) + 2
        input_ids = torch.full((len(chunks), width), tok.pad_token_id, dtype=torch.long)
        types = torch.zeros((len(chunks), width), dtype=torch.long)
        mask = torch.zeros((len(chunks), width), dtype=torch.long)
        for r, (c, h) in enumerate(zip(chunks, hints)):
            input_ids[r, :len(c) + 2] = torch.tensor([tok.cls_token_id, *c, tok.sep_token_id])
            if h:
                types[r, 1:len(c) + 1] = torch.tensor(h)
            mask[r, :len(c) + 2] = 1
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
            logits = self.model(input_ids=input_ids, token_type_ids=types, attention_mask=mask).logits
        return logits.float().softmax(-1).numpy()
