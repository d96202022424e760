"""Build `extraction/figures/words.txt`, the word list the figure decoder segments with, from
jieba's dictionary (`python -m tools.build_words`; needs jieba, which run time does not).

The decoder needs only where jieba's dictionary cut (`jieba.cut(text, HMM=False)`) puts word
boundaries, so the list keeps what that cut reads: each word and its count (no part-of-speech
tags, no HMM tables), and the dictionary's total. It drops the words the cut can never choose:
a word with a split into shorter dictionary words that is likelier (its first character being a
word itself, so no position loses its last candidate) is never on the most probable route.
Every remaining word can be, so a shorter list would move boundaries somewhere.

Layout (`extraction/figures/words.py` reads it): line 1 is a header `key=value ...`; line
1 + b holds bucket b, `word count word count ...`, the words whose first two characters
(`word[:2]`) hash to b (`bucket()`), so a text reads only the buckets of its own bigrams.
"""
from __future__ import annotations

import hashlib
import logging
import math
from pathlib import Path

from extraction.figures.words import BUCKETS, WORDS_FILE, bucket

MARGIN = 1e-6  # log-probability by which a split must beat a word (far above float error)


def dictionary() -> tuple[dict[str, int], int, str]:
    """jieba's words with a count (its prefixes have 0), its total and its dict.txt's sha256."""
    import jieba
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    source = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    return {w: f for w, f in tk.FREQ.items() if f}, tk.total, f"jieba-{jieba.__version__} {digest}"


def never_chosen(word: str, freq: dict[str, int], logtotal: float) -> bool:
    """Has `word` a split into shorter dictionary words whose probability is higher? Then the
    cut never takes it: on any route through it the split scores more."""
    if len(word) < 2 or not freq.get(word[0]):
        return False
    best = [0.0] + [-math.inf] * len(word)  # best[j]: log-probability of word[:j] split
    for j in range(1, len(word) + 1):
        for i in range(j):
            part = word[i:j]
            if part != word and freq.get(part):
                best[j] = max(best[j], best[i] + math.log(freq[part]) - logtotal)
    return best[-1] > math.log(freq[word]) - logtotal + MARGIN


def main() -> None:
    freq, total, source = dictionary()
    logtotal = math.log(total)
    kept = {w: f for w, f in freq.items() if not never_chosen(w, freq, logtotal)}
    buckets: list[list[str]] = [[] for _ in range(BUCKETS)]
    for w in sorted(kept):
        buckets[bucket(w[:2])].append(f"{w} {kept[w]}")
    header = f"total={total} buckets={BUCKETS} words={len(kept)} source={source}"
    WORDS_FILE.write_text("\n".join([header, *(" ".join(b) for b in buckets)]) + "\n", encoding="utf-8")
    print(f"{WORDS_FILE}: {len(kept)} of {len(freq)} words ({len(freq) - len(kept)} never chosen), "
          f"{WORDS_FILE.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
