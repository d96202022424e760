"""Per-token label distributions -> well-formed BIO labels.

Taking each token's most probable label can give spans no annotator would draw: an I- without
its B-, one item split in two, a span that cuts a number, an item that ends inside a word
(新闻|发布会). `bio_decode` keeps the per-token best where it is well formed and re-decodes the
rest with a constrained Viterbi (`follows` says which transitions are allowed).
"""
from __future__ import annotations

import math

from .hints import NUMERAL
from .words import cut


def joined_tokens(text: str, offsets) -> list[bool]:
    """For each token: does it continue the numeral of the character before it?"""
    inside = [False] * (len(text) + 1)
    for m in NUMERAL.finditer(text):
        inside[m.start() + 1:m.end()] = [True] * (m.end() - m.start() - 1)
    return [b > a and inside[a] for a, b in offsets]


def word_inside(text: str, offsets) -> list[bool]:
    """For each token: does it continue a word of jieba's dictionary (its cut without HMM
    guesses for unknown words, read from the word list of words.py)? In the dev gold, 0 of 996
    items end and 2 start inside one."""
    inside = [False] * (len(text) + 1)
    pos = 0
    for word in cut(text):
        inside[pos + 1:pos + len(word)] = [True] * (len(word) - 1)
        pos += len(word)
    return [b > a and inside[a] for a, b in offsets]


def follows(prev: str, tag: str, joined: bool = False, in_word: bool = False) -> bool:
    """May `tag` come right after `prev`? I-X only inside an X span; an ITEM never starts right
    after an ITEM: two items touch once in the gold's 1,000, while a model often splits one in
    two (高|新区公安分局); quantities do touch (七大类48项). Between two characters of one
    numeral (`joined`) no span begins or ends: the gold never cuts a number (202|1年); inside a
    word (`in_word`) no item begins or ends (新闻|发布会)."""
    if in_word and ("ITEM" in prev or "ITEM" in tag) and not (prev[2:] == "ITEM" and tag == "I-ITEM"):
        return False
    if joined:
        return tag == prev == "O" or (tag.startswith("I-") and prev[2:] == tag[2:])
    if tag.startswith("I-"):
        return prev[2:] == tag[2:]
    if tag == "B-ITEM":
        return prev[2:] != "ITEM"
    return True


def bio_viterbi(probs: list[list[float]], labels: list[str], joined: list,
                end_outside=False) -> list[int]:
    """The most probable label sequence in which every transition `follows` (the sequence comes
    after an O; with `end_outside`, an O comes after it that no span may reach: True, or the
    flags of that token). `joined[k]`: the (joined, in_word) flags of token k, or a bool for
    `joined` alone."""
    n = len(labels)
    joined = [j if isinstance(j, tuple) else (j, False) for j in joined]
    sources = {j: [[i for i in range(n) if follows(labels[i], labels[t], *j)] for t in range(n)]
               for j in set(joined)}
    logp = [[math.log(max(x, 1e-12)) for x in p] for p in probs]
    best = [x if follows("O", labels[t], *joined[0]) else -math.inf for t, x in enumerate(logp[0])]
    back = []
    for row, j in zip(logp[1:], joined[1:]):
        ptr = [max(src, key=best.__getitem__) if src else 0 for src in sources[j]]
        best = [best[k] + x if src else -math.inf for k, x, src in zip(ptr, row, sources[j])]
        back.append(ptr)
    after = (end_outside, False) if isinstance(end_outside, bool) else end_outside
    last = [t for t in range(n) if follows(labels[t], "O", *after)]
    path = [max(last, key=best.__getitem__)]
    for ptr in reversed(back):
        path.append(ptr[path[-1]])
    return path[::-1]


SURE_OUTSIDE = 0.95  # a token this sure to be outside any span separates what is decoded jointly


def bio_decode(probs, labels: list[str], joined: list[bool] | None = None,
               in_word: list[bool] | None = None) -> list[int]:
    """Each token's most probable label, with every ill-formed stretch decoded under `follows`.

    `probs`: one label distribution per token (rows of an array). The per-token best can read
    `O I-QTY` (the model unsure where a span starts: 一[个]), `新闻 O O 会` (unsure inside an
    item: 新闻发布会), `B-ITEM B-ITEM` (one item split in two) or a span that cuts a number
    (202[1]年). `joined[k]`: token k continues the numeral of token k - 1; `in_word[k]`: it
    continues a word (`word_inside`). Each stretch of
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
    flags = list(zip(joined, in_word or [False] * len(out)))
    i = 0
    while i < len(out):
        if not unsure[i]:
            i += 1
            continue
        j = i
        while j < len(out) and unsure[j]:
            j += 1
        run = [labels[k] for k in out[i:j]]
        after = flags[j] if j < len(out) else (False, False)
        if (not all(follows(p, t, *c) for p, t, c in zip(["O", *run], run, flags[i:j]))
                or not follows(run[-1], "O", *after)):
            out[i:j] = bio_viterbi(probs[i:j].tolist(), labels, flags[i:j], after)
        i = j
    return out
