"""Character-level BIO tags for the two span labels of ../shared/spec/annotation.md.

A typed tagger also says what a quantity counts: its QTY tags carry the field
(`B-QTY.press_conferences`, `I-QTY.none` for a count of no catalogue field), so the field is
learned from the gold and from people's corrections like the spans are. `span_tag` reads
a typed tag as its span tag.
"""
from __future__ import annotations

from .fields import FIELDS

SPAN_LABELS = ("QTY", "ITEM")
LABELS = ("O", "B-QTY", "I-QTY", "B-ITEM", "I-ITEM")
LABEL2ID = {label: i for i, label in enumerate(LABELS)}
NO_FIELD = "none"  # the type of a QTY that counts none of the 22 fields
TYPES = (*FIELDS, NO_FIELD)
TYPED_LABELS = ("O", "B-ITEM", "I-ITEM", *(f"{b}-QTY.{t}" for t in TYPES for b in "BI"))


def span_tag(tag: str) -> str:
    """`B-QTY.news_updates` -> `B-QTY`; an untyped tag as it is."""
    return tag.partition(".")[0]


def tag_type(tag: str) -> str | None:
    """`B-QTY.news_updates` -> `news_updates`; None for an untyped tag."""
    return tag.partition(".")[2] or None


def to_bio(length: int, spans, typed: bool = False) -> list[str]:
    """One tag per character; `spans` are dicts (or objects) with label, start, end. With
    `typed`, QTY tags carry the span's field (`NO_FIELD` when it has none)."""
    tags = ["O"] * length
    for s in spans:
        label, start, end = _get(s, "label"), _get(s, "start"), _get(s, "end")
        if label not in SPAN_LABELS or not (0 <= start < end <= length):
            continue
        if typed and label == "QTY":
            label = f"QTY.{_field(s) or NO_FIELD}"
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
    return tags


def from_bio(tags: list[str], text: str, scores: list[float] | None = None,
             offset: int = 0) -> list[dict]:
    """Spans from per-character tags (an I- without its B- starts a span); score = mean score."""
    spans = []
    cur = None
    for i, tag in enumerate(list(tags) + ["O"]):
        kind, _, label = tag.partition("-")
        if cur and (kind != "I" or label != cur["label"]):
            cur["end"] = i
            spans.append(cur)
            cur = None
        if kind == "B" or (kind == "I" and cur is None):
            cur = {"label": label, "start": i}
    out = []
    for s in spans:
        start, end = s["start"], s["end"]
        span = {"label": s["label"], "start": start + offset, "end": end + offset,
                "text": text[start:end]}
        if scores is not None:
            span["score"] = round(sum(scores[start:end]) / (end - start), 4)
        out.append(span)
    return out


def _get(s, name):
    return s[name] if isinstance(s, dict) else getattr(s, name)


def _field(s):
    return s.get("field") if isinstance(s, dict) else getattr(s, "field", None)
