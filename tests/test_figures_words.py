"""The decoder's word boundaries without jieba (figures/words.py reading figures/words.txt)."""
from __future__ import annotations

import pytest

from conftest import shared_path
from extraction.figures.words import WORDS_FILE, WordList, cut


def test_words_are_cut_on_the_dictionarys_most_probable_route():
    assert cut("举办培训班3期") == ["举办", "培训班", "3", "期"]
    assert cut("召开新闻发布会12场") == ["召开", "新闻", "发布会", "12", "场"]
    # Between runs of word characters: each character alone, a CRLF as one token.
    assert cut("共4147条。\r\n二、") == ["共", "4147", "条", "。", "\r\n", "二", "、"]


def test_the_word_list_is_what_the_builder_writes_from_the_installed_jieba(tmp_path):
    pytest.importorskip("jieba")  # the training side's dependency; run time does not need it
    import jieba

    from tools import build_words
    header = WORDS_FILE.read_text(encoding="utf-8").split("\n", 1)[0]
    assert f"source=jieba-{jieba.__version__} " in header
    freq, total, source = build_words.dictionary()
    assert f"total={total} " in header and header.endswith(source)
    words = WordList()
    # A word the cut can choose is kept with its count; one it never chooses is left out.
    assert words.starting("发布")["发布会"] == freq["发布会"]
    dropped = [w for w in freq if build_words.never_chosen(w, freq, words.logtotal)]
    assert dropped and all(w not in words.starting(w[:2]) for w in dropped[:200])


def test_boundaries_equal_jiebas_on_every_shared_narrative_text():
    """The figure decoder's item boundaries follow these words; identical words on the shared
    narrative texts (and the real reports) mean identical items."""
    jieba = pytest.importorskip("jieba")
    jieba.setLogLevel(60)
    texts = []
    for folder in ("narrative", "narrative-2", "reports"):
        texts += sorted(shared_path("corpus", folder).glob("*.txt"))
    assert len(texts) > 300
    differ = [p.name for p in texts
              if cut(t := p.read_text(encoding="utf-8")) != list(jieba.cut(t, HMM=False))]
    assert differ == []
