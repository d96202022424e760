"""Narrative gold (../shared/spec/annotation.md): read it, check it against its texts, split it.

A gold line names a text file and gives character spans into it. A span whose text does not
match the file, or a file whose sha256 differs from the gold's, is rejected with a clear error:
training on shifted offsets would teach the model wrong characters silently.
"""
from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from pathlib import Path


class GoldError(ValueError):
    """A gold file that does not match its texts."""


@dataclass
class GoldDoc:
    doc: str                      # file name, e.g. "p0005.txt"
    text: str
    spans: list[dict]             # as in the gold file: id, label, start, end, text (+ QTY keys)
    sha256: str = ""

    @property
    def qtys(self) -> list[dict]:
        return [s for s in self.spans if s["label"] == "QTY"]

    @property
    def items(self) -> list[dict]:
        return [s for s in self.spans if s["label"] == "ITEM"]

    def item_of(self, qty: dict) -> dict | None:
        """The ITEM span a QTY links to (None when it counts nothing named)."""
        if qty.get("item") is None:
            return None
        return next((s for s in self.spans if s["id"] == qty["item"]), None)

    @property
    def links(self) -> list[tuple[int, int | None]]:
        """(QTY id, ITEM id or None) for every QTY."""
        return [(q["id"], q.get("item")) for q in self.qtys]

    @property
    def fields(self) -> list[tuple[str, float]]:
        """(field, value) of every QTY mapped to a field."""
        return [(q["field"], q["value"]) for q in self.qtys if q.get("field")]


@dataclass
class GoldSet:
    docs: list[GoldDoc] = field(default_factory=list)

    def __iter__(self):
        return iter(self.docs)

    def __len__(self):
        return len(self.docs)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_doc(doc: GoldDoc) -> None:
    """Raise GoldError when the text's hash or any span's offsets disagree with the text."""
    if doc.sha256 and doc.sha256 != sha256_text(doc.text):
        raise GoldError(f"{doc.doc}: sha256 of the text is {sha256_text(doc.text)[:12]}…, "
                        f"the gold says {doc.sha256[:12]}… (the text changed since it was annotated)")
    ids = set()
    for s in doc.spans:
        start, end = s.get("start"), s.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(doc.text)):
            raise GoldError(f"{doc.doc}: span {s.get('id')}: bad offsets {start}, {end}")
        if doc.text[start:end] != s.get("text"):
            raise GoldError(f"{doc.doc}: span {s.get('id')}: text[{start}:{end}] is "
                            f"{doc.text[start:end]!r}, the gold says {s.get('text')!r}")
        if s.get("id") in ids:
            raise GoldError(f"{doc.doc}: span id {s.get('id')} is used twice")
        ids.add(s.get("id"))
    for q in doc.qtys:
        if q.get("item") is not None and q["item"] not in ids:
            raise GoldError(f"{doc.doc}: span {q['id']} links to missing item {q['item']}")


def read_gold(gold_path: str | Path, text_dir: str | Path) -> GoldSet:
    """Every document of a gold JSON Lines file, with its text, checked (GoldError if not).

    Spans may leave out their text when the document carries its text's sha256: the project's own
    annotations of shared texts are kept that way (offsets, labels, values, fields; no report text).
    """
    gold_path, text_dir = Path(gold_path), Path(text_dir)
    docs = []
    for line_no, line in enumerate(gold_path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        g = json.loads(line)
        path = text_dir / g["doc"]
        if not path.exists():
            raise GoldError(f"{gold_path.name} line {line_no}: no text file {path}")
        text = path.read_text(encoding="utf-8")
        spans = g.get("spans", [])
        if g.get("sha256") and any("text" not in s for s in spans):
            # an offsets-only file (no report text in the repository): the hash vouches for offsets
            if g["sha256"] != sha256_text(text):
                raise GoldError(f"{gold_path.name} line {line_no}: {path} is not the text that was "
                                f"annotated (sha256 differs)")
            spans = [{**s, "text": text[s["start"]:s["end"]]} for s in spans]
        doc = GoldDoc(g["doc"], text, spans, g.get("sha256", ""))
        check_doc(doc)
        docs.append(doc)
    return GoldSet(docs)


def kfold(docs, k: int = 5, seed: int = 13) -> list[tuple[list, list]]:
    """k (train, test) splits by document: every document is tested exactly once."""
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    folds = [sorted(order[i::k]) for i in range(k)]
    out = []
    for i in range(k):
        test = set(folds[i])
        out.append(([docs[j] for j in range(len(docs)) if j not in test],
                    [docs[j] for j in folds[i]]))
    return out


# Every gold set the shipped model is trained on: (name, gold file, texts folder under ../shared).
# The last is this project's own annotation of ../shared/corpus/unlabelled (offsets only), made
# blind to the system; the 45 openings of training/eval/fresh45 are left out of it (they test).
DATA = Path(__file__).resolve().parent / "data"
GOLD_SETS = (
    ("narrative-dev", "gold/narrative-dev.jsonl", "corpus/narrative"),
    ("narrative-2", "gold/narrative-2.jsonl", "corpus/narrative-2"),
    ("unlabelled-annotated", DATA / "unlabelled-annotated.offsets.jsonl", "corpus/unlabelled"),
)


def all_gold(shared: str | Path) -> list[GoldDoc]:
    """The documents of every gold set, in GOLD_SETS order."""
    shared = Path(shared)
    return [d for _, gold, texts in GOLD_SETS for d in read_gold(shared / gold, shared / texts)]


def default_gold(shared: str | Path) -> GoldSet:
    """The narrative dev gold of the shared folder."""
    shared = Path(shared)
    return read_gold(shared / "gold" / "narrative-dev.jsonl", shared / "corpus" / "narrative")
