"""The figure tagger: a token-classification model over characters, applied to text of any length.

Long text is cut into overlapping windows (`window` tokens, every `stride`); each character takes
its label distribution from the window in which it is most central, so a span at a window edge is
read with context on both sides and is found once, whole. Spans come out with a confidence: the
mean, over their characters, of the probability of the label they were given.

A model whose config says `xxgk_rule_hints` also reads the rules' hints (hints.py) as its
`token_type_ids`; the label distributions are decoded into well-formed spans by decode.py. A
typed model (labels `B-QTY.<field>`, labels.py) also says what each quantity counts: its QTY
spans carry `field` (None for "no field") and `field_score`, the mean probability of that type
over the span.

Only safetensors weights are loaded: a model folder holding only pickle weights (`.bin`, `.pt`,
...) is refused, since unpickling runs code.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .decode import bio_decode, joined_tokens, word_inside
from .hints import rule_hints
from .labels import LABELS, NO_FIELD, from_bio, span_tag, tag_type

PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt", ".joblib")


@dataclass
class TaggerSettings:
    window: int = 128      # tokens per window (plus [CLS]/[SEP])
    stride: int = 96       # start of one window to the next; window - stride tokens overlap
    batch_size: int = 32
    threads: int | None = None   # None: $XXGK_THREADS, else the idle cores (sane_threads)
    bf16: bool | None = None     # None: on where the CPU supports it
    words: bool = True           # no item begins or ends inside a dictionary word (decode.py)
    field_encoder: str | None = None  # "e5": the folder's field classifier that also reads
                                      # multilingual-e5-small embeddings (fields.classifier_file)

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
    if requested or os.environ.get("XXGK_THREADS"):
        return max(1, int(requested or os.environ["XXGK_THREADS"]))
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except OSError:
        busy = 0.0
    return max(1, min(cores, int(cores - busy + 0.5)))


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
        hint_types = getattr(model.config, "xxgk_hint_types", ())
        self.number_hints = "NUM" in hint_types
        self.field_hints = any("." in t for t in hint_types)
        # A typed model: the span labels' probabilities are the sums over their types.
        self.typed = any(tag_type(t) for t in self.labels)
        self.collapse = None
        if self.typed:
            import numpy as np
            self.collapse = np.zeros((len(self.labels), len(LABELS)), dtype=np.float32)
            for k, t in enumerate(self.labels):
                self.collapse[k, LABELS.index(span_tag(t))] = 1.0
            self.types = [tag_type(t) for t in self.labels]
        # Below this confidence the model leaves the field to the lexicon and classifier.
        self.field_threshold = float(getattr(model.config, "xxgk_field_threshold", 0.0))
        self.field_mapper = None  # set by load_default_model from the folder's classifier

    @classmethod
    def load(cls, model_dir: str | Path, settings: TaggerSettings | None = None) -> "FigureTagger":
        """The model of a folder: a BERT token classifier runs in numpy (encoder.py: no torch to
        import); any other architecture through transformers."""
        import json

        from .encoder import BertTokenClassifier, Tokenizer, runs_here
        from .model_folder import check_model_folder
        check_model_folder(model_dir)  # sizes and files first: one line naming a bad file
        check_safetensors_only(model_dir)
        settings = settings or TaggerSettings()
        config = json.loads((Path(model_dir) / "config.json").read_text(encoding="utf-8"))
        if runs_here(config):
            model = BertTokenClassifier.from_dir(model_dir, sane_threads(settings.threads))
            return cls(model, Tokenizer(model_dir), settings, model_dir)
        import torch
        from transformers import AutoModelForTokenClassification, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a bar per worker per load is noise in batch output
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
        hints = [rule_hints(text, off, self.number_hints, self.field_hints) if self.uses_hints else None
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
        labels = list(LABELS) if self.typed else self.labels
        for (text, offset), (_, offsets), typed in zip(items, encoded, probs):
            pp = typed @ self.collapse if self.typed else typed
            words = word_inside(text, offsets) if self.settings.words else None
            path = bio_decode(pp, labels, joined_tokens(text, offsets), words)
            tags = [labels[k] for k in path]
            scores = pp[np.arange(len(path)), path].tolist() if path else []
            char_tags, char_scores = token_tags_to_chars(len(text), offsets, tags, scores)
            spans = from_bio(char_tags, text, char_scores, offset=offset)
            if self.typed:
                self._add_fields(spans, typed, offsets, offset)
            out.append(spans)
        return out

    def _add_fields(self, spans: list[dict], probs, offsets, offset: int) -> None:
        """Each QTY span's field: the type with the most probability over its tokens (left to
        the rule layer's mapper when that share is under `field_threshold`)."""
        firsts = {a: k for k, (a, b) in enumerate(offsets) if b > a}
        for s in spans:
            if s["label"] != "QTY":
                continue
            rows = [firsts[i] for i in range(s["start"] - offset, s["end"] - offset) if i in firsts]
            mass: dict[str, float] = {}
            for k, t in enumerate(self.types):
                if t:
                    mass[t] = mass.get(t, 0.0) + float(probs[rows, k].sum())
            best = max(mass, key=mass.get)
            score = mass[best] / max(sum(mass.values()), 1e-9)
            if score >= self.field_threshold:
                s["field"] = None if best == NO_FIELD else best
                s["field_score"] = round(score, 4)

    def _encode(self, text: str):
        enc = self.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        return enc["input_ids"], enc["offset_mapping"]

    def _predict(self, chunks: list[list[int]], hints: list[list[int] | None]):
        """The label distribution of every position of every chunk (row 0: [CLS])."""
        import numpy as np

        from .encoder import BertTokenClassifier
        tok = self.tokenizer
        width = max(len(c) for c in chunks) + 2
        input_ids = np.full((len(chunks), width), tok.pad_token_id, dtype=np.int64)
        types = np.zeros((len(chunks), width), dtype=np.int64)
        mask = np.zeros((len(chunks), width), dtype=np.int64)
        for r, (c, h) in enumerate(zip(chunks, hints)):
            input_ids[r, :len(c) + 2] = [tok.cls_token_id, *c, tok.sep_token_id]
            if h:
                types[r, 1:len(c) + 1] = h
            mask[r, :len(c) + 2] = 1
        if isinstance(self.model, BertTokenClassifier):
            logits = self.model(input_ids, types, mask)
        else:  # a transformers model (training, or an architecture encoder.py does not compute)
            import torch
            with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
                logits = self.model(input_ids=torch.from_numpy(input_ids), token_type_ids=torch.from_numpy(types),
                                    attention_mask=torch.from_numpy(mask)).logits.float().numpy()
        logits = logits - logits.max(-1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(-1, keepdims=True)
