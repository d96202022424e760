"""Word boundaries for the figure decoder: jieba's dictionary cut (`jieba.cut(text, HMM=False)`)
without jieba, from the word list `words.txt` that `tools/build_words.py` builds from jieba's
dictionary. Importing jieba and loading its dictionary took ~0.4 s of every `xxgk extract`;
this reads only the buckets of the text's own bigrams. `cut` gives jieba's words exactly
(tests/test_figures_words.py compares both on the shared report texts).
"""
from __future__ import annotations

import math
import re
import zlib
from functools import lru_cache
from pathlib import Path

WORDS_FILE = Path(__file__).with_name("words.txt")
BUCKETS = 1 << 17

# jieba's own patterns: its dictionary cut works on runs of these characters, and splits the
# text between them into whitespace (a CRLF is one token) and single characters.
HAN = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
SKIP = re.compile("(\r\n|\\s)", re.U)
LATIN = re.compile("[a-zA-Z0-9]", re.U)


def bucket(key: str) -> int:
    """The line (less the header) of words.txt holding the words that begin with `key`."""
    return zlib.crc32(key.encode("utf-8")) % BUCKETS


class WordList:
    """Words and their counts, read bucket by bucket on demand."""

    def __init__(self, path: Path = WORDS_FILE):
        header, *self._lines = path.read_text(encoding="utf-8").split("\n")
        fields = dict(f.split("=", 1) for f in header.split(" ") if "=" in f)
        if int(fields["buckets"]) != BUCKETS:
            raise ValueError(f"{path}: built for {fields['buckets']} buckets, not {BUCKETS}")
        self.logtotal = math.log(int(fields["total"]))
        self._buckets: dict[int, dict[str, int]] = {}

    def starting(self, key: str) -> dict[str, int]:
        """The words of `key`'s bucket (`key`: one character, or a word's first two)."""
        b = bucket(key)
        words = self._buckets.get(b)
        if words is None:
            parts = self._lines[b].split(" ")
            words = self._buckets[b] = {w: int(f) for w, f in zip(parts[::2], parts[1::2])}
        return words

    def cut_block(self, block: str):
        """jieba's `__cut_DAG_NO_HMM` of one run of HAN characters: the most probable route
        through the dictionary's words (a character no word starts at counts 1), single
        latin letters and digits run together."""
        n = len(block)
        dag = []
        for k in range(n):
            ends = {}
            if n - k > 1:
                ends = {k + len(w) - 1: f for w, f in self.starting(block[k:k + 2]).items()
                        if len(w) > 1 and block.startswith(w, k)}
            single = self.starting(block[k]).get(block[k])
            if single:
                ends[k] = single
            dag.append(ends or {k: 1})
        route = [(0.0, 0)] * (n + 1)
        for idx in range(n - 1, -1, -1):  # jieba's `calc`, term for term (equal floats, equal ties)
            route[idx] = max((math.log(f) - self.logtotal + route[x + 1][0], x) for x, f in dag[idx].items())
        x, buf = 0, ""
        while x < n:
            y = route[x][1] + 1
            word = block[x:y]
            if len(word) == 1 and LATIN.match(word):
                buf += word
            else:
                if buf:
                    yield buf
                    buf = ""
                yield word
            x = y
        if buf:
            yield buf

    def cut(self, text: str):
        """The words of `jieba.cut(text, HMM=False)`, in order."""
        for blk in HAN.split(text):
            if not blk:
                continue
            if HAN.match(blk):
                yield from self.cut_block(blk)
            else:
                for x in SKIP.split(blk):
                    if SKIP.match(x):
                        yield x
                    else:
                        yield from x


@lru_cache(maxsize=1)
def word_list() -> WordList:
    return WordList()


def cut(text: str) -> list[str]:
    return list(word_list().cut(text))
