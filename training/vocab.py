"""A character vocabulary and a tokenizer that gives every character exactly one token.

The figure model labels characters, and record offsets are character offsets, so the tokenizer
must never merge characters (`2023` is four tokens, `abc` three) nor drop any: every whitespace
character (space, NBSP, ideographic space, tab, newline) becomes the token `␣`, and a character
outside the vocabulary becomes `[UNK]`. Token i is then character i, and
`len(tokenizer(text, add_special_tokens=False)["input_ids"]) == len(text)` always.

Saved with `save_pretrained` as `tokenizer.json` (loaded by `AutoTokenizer`), plus a BERT
`vocab.txt` of the same ids for tools that want one (use it with `is_split_into_words=True`).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
SPACE_TOKEN = "␣"

# Characters every report may print even if our corpus happens not to.
_BASE = (
    [chr(c) for c in range(0x21, 0x7F)]            # ASCII printable
    + [chr(c) for c in range(0xFF01, 0xFF5F)]      # full-width forms (１２３，％（）)
    + [chr(c) for c in range(0x3001, 0x3020)]      # CJK punctuation 、。〈〉《》「」【】〔〕
    + list("〇零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟")
    + list("‘’“”—…·•●○■□▲△√×÷±≤≥℃％‰")
)


def gb2312_hanzi() -> list[str]:
    """The 6,763 characters of GB2312 levels 1 and 2 (rows 16-87), from Python's own codec:
    the common Chinese characters, so that text unlike our corpus is not read as [UNK]."""
    out = []
    for row in range(16, 88):
        for col in range(1, 95):
            try:
                out.append(bytes([0xA0 + row, 0xA0 + col]).decode("gb2312"))
            except UnicodeDecodeError:  # the few unassigned cells at the end of row 55
                pass
    return out


def build_vocab(texts, min_count: int = 1, common: bool = True) -> list[str]:
    """Special tokens, the space token, the base characters, corpus characters by frequency,
    then (with `common`) the GB2312 characters the corpus lacks."""
    counts = Counter()
    for t in texts:
        counts.update(t)
    vocab = SPECIAL_TOKENS + [SPACE_TOKEN]
    seen = set(vocab)
    for ch in _BASE:
        if ch not in seen:
            vocab.append(ch)
            seen.add(ch)
    for ch, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if n >= min_count and ch not in seen and not ch.isspace():
            vocab.append(ch)
            seen.add(ch)
    for ch in gb2312_hanzi() if common else ():
        if ch not in seen:
            vocab.append(ch)
            seen.add(ch)
    return vocab


def make_tokenizer(vocab: list[str]):
    """A transformers fast tokenizer over `vocab`: one token per character, BERT special tokens."""
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    ids = {tok: i for i, tok in enumerate(vocab)}
    core = Tokenizer(models.WordPiece(ids, unk_token="[UNK]", max_input_chars_per_word=4))
    # One-for-one replacement keeps offsets exact; "\s" is Unicode whitespace (NBSP, U+3000 too).
    core.normalizer = normalizers.Replace(Regex(r"\s"), SPACE_TOKEN)
    core.pre_tokenizer = pre_tokenizers.Split(Regex(r"[\s\S]"), behavior="isolated")
    core.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[("[CLS]", ids["[CLS]"]), ("[SEP]", ids["[SEP]"])])
    return PreTrainedTokenizerFast(
        tokenizer_object=core, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
        sep_token="[SEP]", mask_token="[MASK]", model_max_length=1_000_000)


def save_tokenizer(tokenizer, out_dir: str | Path) -> None:
    out_dir = Path(out_dir)
    tokenizer.save_pretrained(out_dir)
    vocab = sorted(tokenizer.get_vocab().items(), key=lambda kv: kv[1])
    # vocab.txt cannot hold a newline token; ours has none (whitespace is ␣).
    (out_dir / "vocab.txt").write_text("".join(t + "\n" for t, _ in vocab), encoding="utf-8")


def encode_chars(tokenizer, text: str) -> list[int]:
    """Token ids of `text`, exactly one per character (checked)."""
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    if len(ids) != len(text):  # would shift every offset after it: never silently
        raise ValueError(f"tokenizer gave {len(ids)} tokens for {len(text)} characters; "
                         "it is not a one-token-per-character tokenizer")
    return ids
