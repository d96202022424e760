"""Character-level BIO tags for the two span labels of ../shared/spec/annotation.md."""
from __future__ import annotations

SPAN_LABELS = ("QTY", "ITEM")
LABELS = ("O", "B-QTY", "I-QTY", "B-ITEM", "I-ITEM")
LABEL2ID = {label: i for i, label in enumerate(LABELS)}


def to_bio(length: int, spans) -> list[str]:
    """One tag per character; `spans` are dicts (or objects) with label, start, end."""
    tags = ["O"] * length
    for s in spans:
        label, start, end = _get(s, "label"), _get(s, "start"), _get(s, "end")
        if label not in SPAN_LABELS or not (0 <= start < end <= length):
            continue
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
