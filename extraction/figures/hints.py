"""Rule hints: what the weak labeller says about each character, given to the model as its
`token_type_ids` (BERT's segment embedding, widened to one type per hint).

A model whose config says `xxgk_rule_hints` reads the weak labeller's BIO tag of every character;
one whose `xxgk_hint_types` include NUM also reads NUM on the numerals the rules neither tagged
nor ruled out. One whose hint types include typed QTY hints (`B-QTY.news_updates`) also reads
the field the lexicon (fields.py) gives each rule quantity: a hint, not a verdict — the model's
own typed QTY tag decides the field. The model learns where the rules are right, corrects them
where the gold says otherwise, and (trained with hint dropout) finds the counts they miss.
"""
from __future__ import annotations

import re

from .fields import NULL, PairContext, lexicon_opinion
from .labels import LABELS, NO_FIELD, TYPES, span_tag, to_bio
from .weak import NOT_AFTER, NOT_BEFORE, QTY_RE, in_quotes, weak_spans

# A numeral, as the number hints see it: digits, a decimal part, a 万/亿 multiplier.
NUMERAL = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?[万亿]?")
# Token types of a model with rule hints: the weak labeller's tags, and NUM for a numeral it left
# untagged (with `number_hints`).
HINT_TYPES = (*LABELS, "NUM")
# ... and, for a model with field hints, the rule QTYs the lexicon has an opinion on, typed.
FIELD_HINT_TYPES = (*HINT_TYPES, *(f"{b}-QTY.{t}" for t in TYPES for b in "BI"))
HINT_ID = {name: i for i, name in enumerate(FIELD_HINT_TYPES)}
NO_OPINION = "unknown"


def numeral_chars(text: str) -> list[bool]:
    """Which characters belong to a numeral (a hidden rule QTY's numerals become NUM in training)."""
    out = [False] * len(text)
    for m in NUMERAL.finditer(text):
        out[m.start():m.end()] = [True] * (m.end() - m.start())
    return out


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
    judged = [False] * len(text)
    for m in QTY_RE.finditer(text):
        judged[m.start():m.end()] = [True] * (m.end() - m.start())
    out = [False] * len(text)
    for m in NUMERAL.finditer(text):
        s, e = m.start(), m.end()
        before, after = text[max(0, s - 8):s], text[e:e + 8]
        if (any(judged[s:e]) or NOT_BEFORE.search(before) or NOT_AFTER.match(after.lstrip(" "))
                or in_quotes(text, s) or LINE_START.search(before)
                or CELL_END.match(after) or (before[-1:] in "(（" and after[:1] in ")）")
                or YEAR_OR_HOTLINE.fullmatch(m.group()) or sum(c.isdigit() for c in m.group()) >= 7
                or before[-1:] in "〔[【第@·-" or after[:1] in "〕]】-@·"
                or (before[-1:] + after[:1]).isascii() and (before[-1:] + after[:1]).isalpha()):
            continue
        out[s:e] = [True] * (e - s)
    return out


def lexicon_typed(text: str, spans: list[dict]) -> list[dict]:
    """The weak spans with each linked QTY's `field` set to the lexicon's opinion of its pair
    (a field, or NO_FIELD for its "no field"); NO_OPINION where it has none."""
    items = {s["id"]: s for s in spans if s["label"] == "ITEM"}
    out = []
    for s in spans:
        if s["label"] == "QTY":
            item, f = items.get(s.get("item")), None
            if item is not None:
                f = lexicon_opinion(PairContext.from_text(
                    text, item["start"], item["end"], s["start"], s["end"], item["text"], s["unit"]))
            s = {**s, "field": NO_FIELD if f == NULL else f or NO_OPINION}
        out.append(s)
    return out


def rule_hints(text: str, offsets, numbers: bool = False, fields: bool = False) -> list[int]:
    """The hint type of each token (of its first character): the weak labeller's BIO tag; with
    `numbers`, NUM for a numeral the rules neither tagged nor ruled out (`open_numerals`), so
    that the model can learn which of them are counts (关注量达269万); with `fields`, a rule QTY's
    tag typed by the lexicon's field for it (`B-QTY.news_updates`) where the lexicon has one."""
    spans = weak_spans(text)
    tags = to_bio(len(text), lexicon_typed(text, spans) if fields else spans, typed=fields)
    if fields:  # "no opinion" stays an untyped QTY hint
        tags = [span_tag(t) if t.endswith(NO_OPINION) else t for t in tags]
    if numbers:
        tags = ["NUM" if t == "O" and n else t for t, n in zip(tags, open_numerals(text))]
    return [HINT_ID[tags[a]] if b > a else 0 for a, b in offsets]
