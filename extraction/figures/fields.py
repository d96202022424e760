"""Map a linked (item, quantity) pair to one of the 22 fields of annotation.md, or to None.

Two layers:
1. `lexicon_field`: readable rules over the item text, its unit and its context (the channel
   named before it — website or new media —, whether it stands inside a 其中 breakdown, whether
   the figure is a change or a share), registered by name in field_rules.py. They encode
   annotation.md's field table and rulings.
2. `FieldClassifier`: TF-IDF + logistic regression over the item's character n-grams, its unit,
   the words around it (the clause before, what stands between item and number, what follows)
   and the lexicon's opinion as one more feature. It is trained on gold pairs and on the pairs
   the rules' and the model's own spans make of the training documents, so it learns where the
   lexicon is right and where its wording fails. Stored as plain JSON (vocabulary, idf,
   coefficients): no pickle in a model folder.
Optionally (`field_classifier.e5.json`, embeddings.py) the classifier also reads sentence
embeddings of the pair from a pre-trained encoder. A classifier that reads the lexicon
(`reads_lexicon`, every one trained since issue 11) decides
alone: the lexicon is its hint, not a verdict. An older classifier file only fills in where the
lexicon has no opinion. A pair nobody is sure of keeps `field: None` — it is still reported,
with its item text.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, fields
from functools import cached_property, lru_cache
from pathlib import Path

# The lexicon (layer 1) is field_rules.py's; its names stay importable from here.
from .field_rules import (GENERIC_INFO, MONEY_OR_SHARE, NEW_MEDIA, NULL, OTHER_CHANNEL,  # noqa: F401
                          WEBSITE, _lexicon, lexicon_field, lexicon_opinion)
from .normalize import BIG_UNITS, parse_number

# The 22 fields of annotation.md, in its order: key (what is stored), Chinese name and a
# one-line definition (what annotators see in Label Studio and its instructions).
FIELD_TABLE = (
    ("proactive_total", "主动公开信息总数", "本年度主动公开政府信息的总条数（非累计；无总数时为网站公开数）"),
    ("news_updates", "政务动态信息", "发布的政务动态、工作动态、要闻等新闻类信息"),
    ("policy_documents", "政策文件", "公开的政策文件（文件），不含规章、人事任免、未公开或累计数"),
    ("normative_documents", "规范性文件", "叙述中提到的规范性文件数（现行有效、废止数不算）"),
    ("policy_interpretations", "政策解读", "政策解读（含图解、专家解读等）"),
    ("press_conferences", "新闻发布会", "召开的新闻发布会场次"),
    ("new_media_accounts", "政务新媒体账号", "政务新媒体账号数（含各平台账号）"),
    ("new_media_posts", "新媒体发布信息", "在微信、微博等新媒体上发布的信息条数"),
    ("requests_received", "收到申请", "收到/受理的政府信息公开申请数（含依申请公开信息）"),
    ("requests_online", "网上申请", "其中通过网络提出的申请"),
    ("requests_letter", "信函申请", "其中以信函、书面方式提出的申请"),
    ("requests_in_person", "当面申请", "其中当面提出的申请"),
    ("requests_answered", "办结申请", "已办结、已答复的申请"),
    ("hotline_tickets", "热线工单", "办理的12345等热线工单"),
    ("mailbox_messages", "信箱留言", "领导信箱来信、网民留言（含已答复的）"),
    ("npc_suggestions", "人大代表建议", "办理的人大代表建议（与政协提案合计的不算）"),
    ("cppcc_proposals", "政协提案", "办理的政协委员提案（与人大建议合计的不算）"),
    ("trainings", "培训期数", "举办的培训期数/场次/次数"),
    ("training_participants", "培训人次", "参加培训的人数/人次"),
    ("review_cases", "行政复议", "涉及政府信息公开的行政复议案件"),
    ("litigation_cases", "行政诉讼", "涉及政府信息公开的行政诉讼案件"),
    ("fees_collected", "信息处理费", "收取的信息处理费（元）"),
)
FIELDS = tuple(key for key, _, _ in FIELD_TABLE)
FIELD_NAMES = {key: name for key, name, _ in FIELD_TABLE}
FIELD_DEFINITIONS = {key: definition for key, _, definition in FIELD_TABLE}

SENTENCE_END = "。；;！？!?\n"
CLAUSE_END = "，。；：！？,;:!?\n"
WINDOW = 10  # characters before the quantity the classifier reads (5-fold CV, seventh round)


@dataclass
class PairContext:
    """What the field rules look at for one linked pair."""
    item: str
    unit: str
    before: str = ""        # the sentence before the item
    clause: str = ""        # the clause before the item (channel words live here)
    between: str = ""       # text between item end and quantity start (共, 累计 …)
    after: str = ""         # the clause after the quantity
    breakdown: bool = False  # inside a 其中 / 包括 breakdown of a larger count
    total_stated: bool = False  # the breakdown's total is given as a number (annotation.md rulings)
    rank: str = ""          # where the number stands among the text's counts in its unit: first, largest
    window: str = ""        # the characters just before the quantity, whatever the item: an item
                            # cut short or too long moves the clause, not this

    @cached_property
    def opinion(self) -> str | None:
        """The lexicon's field (or NULL, or None): read by the classifier and the mapper, once."""
        return _lexicon(self)

    @classmethod
    def from_text(cls, text: str, item_start: int, item_end: int, qty_start: int, qty_end: int,
                  item: str, unit: str) -> "PairContext":
        first = min(item_start, qty_start)
        s = _back_to(text, first, SENTENCE_END)
        c = _back_to(text, first, CLAUSE_END)
        before = text[s:first]
        e = qty_end
        while e < len(text) and text[e] not in CLAUSE_END:
            e += 1
        between = text[item_end:qty_start] if item_end <= qty_start else ""
        breakdown = is_breakdown(before)
        return cls(item, unit, before, text[c:first], between, text[qty_end:e], breakdown,
                   total_stated(text, s, before), count_rank(text, qty_start, unit),
                   text[max(0, qty_start - WINDOW):qty_start])


COUNT = re.compile(r"[0-9０-９][0-9.,]*\s*(?:余|多)?\s*[万亿]?\s*[条件篇项个份次]")


UNIT_COUNT = re.compile(r"([0-9０-９][0-9.,，]*)\s*(余|多)?\s*([万亿])?\s*(余|多)?\s*([条件篇项个份次期场])")


@lru_cache(maxsize=2)  # the texts of the document being read (pairs come document by document)
def _counts(text: str) -> tuple[tuple[int, float, str], ...]:
    """(start, value, unit) of every Arabic count in the text."""
    out = []
    for m in UNIT_COUNT.finditer(text):
        try:
            v = parse_number(m.group(1).rstrip(".,，"))
        except ValueError:
            continue
        out.append((m.start(), v * (BIG_UNITS[m.group(3)] if m.group(3) else 1), m.group(5)))
    return tuple(out)


def count_rank(text: str, qty_start: int, unit: str) -> str:
    """"first" and/or "largest" among the text's counts in this unit: a report's proactive total
    is often its first 条 count, and its largest (a hint to the classifier, not a rule)."""
    counts = [c for c in _counts(text) if c[2] == unit]
    own = next((c for c in counts if c[0] == qty_start), None)
    if own is None:
        return ""
    rank = "first" if own is counts[0] else ""
    if all(own[1] >= c[1] for c in counts):
        rank += "largest"
    return rank


def total_stated(text: str, sentence_start: int, before: str) -> bool:
    """Is there a number before the 其中 that opens this breakdown (in this sentence, or in the
    previous one when the sentence starts with 其中)?"""
    m = re.search(r"其中|包括|包含", before)
    if m is None:
        return False
    head = before[:m.start()]
    if not head.strip(" ，,：:"):
        prev = text[_back_to(text, max(sentence_start - 1, 0), SENTENCE_END):sentence_start]
        head = prev
    return bool(COUNT.search(head))


def is_breakdown(before: str) -> bool:
    """Inside a 其中 / 包括 list or an open parenthesis of the sentence so far."""
    closed = max(before.rfind(")"), before.rfind("）"))
    opened = max(before.rfind("("), before.rfind("（"))
    if opened > closed:
        return True
    return bool(re.search(r"其中|包括|包含|含", before[closed + 1:]))


def _back_to(text: str, pos: int, stops: str) -> int:
    i = pos
    while i > 0 and text[i - 1] not in stops:
        i -= 1
    return i


# --- the classifier ------------------------------------------------------------------------------

def pair_features(ctx: PairContext) -> list[str]:
    """Character 1-3-grams of the item, its unit, context flags, where the number ranks among the
    text's counts in its unit (first, largest), character pairs of the clause's last 12
    characters and of the window before the number, the start of what stands between item and
    number and of what follows, and the lexicon's opinion (a field, "null", or "none") alone and
    crossed with the flags: the same words mean another field inside a breakdown whose total is
    stated, or on a website, and a linear model cannot make that conjunction itself."""
    item = ctx.item
    feats = [f"i:{item[i:i + n]}" for n in (1, 2, 3) for i in range(len(item) - n + 1)]
    feats += [f"u:{ctx.unit}", f"end:{item[-2:]}"]
    flags = []
    if ctx.breakdown:
        flags.append("ctx:breakdown")
    if ctx.total_stated:
        flags.append("ctx:total_stated")
    if ctx.rank:
        flags.append(f"rank:{ctx.rank}")
    for name, rx in (("web", WEBSITE), ("media", NEW_MEDIA), ("other", OTHER_CHANNEL)):
        if rx.search(ctx.clause):
            flags.append(f"ctx:{name}")
        if rx.search(ctx.before):
            flags.append(f"s:{name}")
    for word in ("申请", "信箱", "留言", "主动公开", "解读", "培训", "发布会"):
        if word in ctx.before:
            flags.append(f"b:{word}")
    feats += flags
    tail = ctx.clause[-12:]
    feats += [f"c:{tail[i:i + 2]}" for i in range(len(tail) - 1)]
    feats += [f"w:{ctx.window[i:i + 2]}" for i in range(len(ctx.window) - 1)]
    between = ctx.between.strip()
    feats += [f"bt:{between[:3]}", f"a:{ctx.after[:2]}"]
    lex = f"lex:{ctx.opinion}"
    feats.append(lex)
    if ctx.opinion not in (None, NULL):
        feats.append("lex:any")
    feats += [f"{lex}&{f}" for f in flags]
    feats += [f"u:{ctx.unit}&{f}" for f in flags if f.startswith(("ctx:", "rank:"))]
    feats.append(f"{lex}&bt:{between[:2]}")
    return feats


@dataclass
class FieldClassifier:
    """Multinomial logistic regression over TF-IDF features; stored as JSON."""
    vocabulary: dict[str, int]
    idf: list[float]
    classes: list[str]
    coef: list[list[float]]       # classes x features
    intercept: list[float]
    threshold: float = 0.5        # below this probability, the pair keeps field None
    reads_lexicon: bool = False   # trained with the lexicon's opinion as a feature: it decides

    dense: dict | None = None     # with an encoder: {"encoder", "scale", "mean", "sd", "coef"}
    folder: str | Path | None = None  # where the pair encoder it reads is kept; not saved

    # C and threshold: 5-fold CV by document over dev + narrative-2 (issue 11's notes); the
    # encoder's scale by the same CV over all gold (fifth round)
    @classmethod
    def fit(cls, contexts: list[PairContext], labels: list[str | None], C: float = 30.0,
            threshold: float = 0.3, encoder: str | None = None, folder: str | Path | None = None,
            scale: float = 0.03) -> "FieldClassifier":
        """`encoder` (embeddings.ENCODERS, or embeddings.PAIR_ENCODER kept in `folder`): also read
        each pair's sentence embeddings, standardised and scaled by `scale` beside the unit-length
        TF-IDF row."""
        import numpy as np
        from scipy.sparse import csr_matrix, hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from threadpoolctl import threadpool_limits
        y = [lab or NULL for lab in labels]
        if len(set(y)) < 2:  # nothing to tell apart: a classifier that always says "no field"
            return cls({}, [], [NULL], [[]], [0.0], threshold, True)
        vec = TfidfVectorizer(analyzer=lambda feats: feats, sublinear_tf=True)
        X = vec.fit_transform([pair_features(c) for c in contexts])
        n_sparse = X.shape[1]
        if encoder:
            from .embeddings import encoder as get_encoder
            E = get_encoder(encoder, folder).embed(contexts)
            mean, sd = E.mean(axis=0), E.std(axis=0) + 1e-6
            X = hstack([X, csr_matrix((E - mean) / sd * scale)]).tocsr()
        clf = LogisticRegression(C=C, max_iter=3000)
        with threadpool_limits(1):  # BLAS threads on a small shared CPU make it 10x slower
            clf.fit(X, y)
        coef = np.asarray(clf.coef_)
        intercept = list(clf.intercept_)
        classes = [str(c) for c in clf.classes_]
        if len(classes) == 2:  # sklearn keeps one row (class 1 vs 0); softmax of [0, s] = sigmoid(s)
            coef = np.vstack([np.zeros_like(coef[0]), coef[0]])
            intercept = [0.0, intercept[0]]
        dense = None
        if encoder:
            dense = {"encoder": encoder, "scale": scale, "mean": [float(v) for v in mean],
                     "sd": [float(v) for v in sd], "coef": coef[:, n_sparse:].tolist()}
        return cls({k: int(v) for k, v in vec.vocabulary_.items()}, [float(v) for v in vec.idf_],
                   classes, coef[:, :n_sparse].tolist(), [float(v) for v in intercept],
                   threshold, True, dense, folder)

    def probabilities(self, ctx: PairContext) -> dict[str, float]:
        counts: dict[int, int] = {}
        for f in pair_features(ctx):
            j = self.vocabulary.get(f)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        weights = {j: (1 + math.log(n)) * self.idf[j] for j, n in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        scores = [b + sum(row[j] * w / norm for j, w in weights.items())
                  for row, b in zip(self.coef, self.intercept)]
        if self.dense:
            scores = [s + d for s, d in zip(scores, self._dense_scores(ctx))]
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        z = sum(exp)
        return {c: e / z for c, e in zip(self.classes, exp)}

    @property
    def encoder(self):
        """The encoder whose embeddings the dense part reads (None without one)."""
        from .embeddings import encoder
        return encoder(self.dense["encoder"], self.folder) if self.dense else None

    def _dense_scores(self, ctx: PairContext) -> list[float]:
        mean, weights = self._dense_arrays
        return list(weights @ (self.encoder.embed([ctx])[0] - mean))

    @cached_property
    def _dense_arrays(self):
        """(mean, coef / sd * scale): the dense part as one matrix product per pair."""
        import numpy as np
        d = self.dense
        return np.asarray(d["mean"]), np.asarray(d["coef"]) / np.asarray(d["sd"]) * d["scale"]

    def predict(self, ctx: PairContext) -> tuple[str | None, float]:
        """(field or None, the probability of that decision: of the field, or of "no field")."""
        probs = self.probabilities(ctx)
        best = max(probs, key=probs.get)
        if best == NULL or probs[best] < self.threshold:
            return None, probs.get(NULL, 0.0)
        return best, probs[best]

    def save(self, path: str | Path) -> None:
        # 5 decimals: probabilities move by < 1e-3, the file (the wheel, the start-up) shrinks 3x
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "folder"}
        out.update(idf=[round(v, 5) for v in self.idf],
                   coef=[[round(v, 5) for v in row] for row in self.coef],
                   intercept=[round(v, 5) for v in self.intercept])
        if self.dense is None:
            del out["dense"]  # files without an encoder stay as they were
        Path(path).write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "FieldClassifier":
        from .embeddings import PAIR_ENCODER_DIR
        return cls(**json.loads(Path(path).read_text(encoding="utf-8")),
                   folder=Path(path).parent / PAIR_ENCODER_DIR)


CLASSIFIER_FILE = "field_classifier.json"


def classifier_file(encoder: str | None = None) -> str:
    """The classifier's file name in a model folder: field_classifier.json, or the one trained
    with an encoder's embeddings (field_classifier.e5.json)."""
    return f"field_classifier.{encoder}.json" if encoder else CLASSIFIER_FILE


def encoder_classifier_file(model_dir: str | Path | None, encoder: str) -> Path:
    """The path of the folder's classifier trained with `encoder`, once it is known to be there
    (else FileNotFoundError, saying how to make one) and the encoder to load (else
    embeddings.EncoderUnavailable, with the install hint): a fault shows now, not at the first pair."""
    from .embeddings import encoder as load_encoder
    path = Path(model_dir or ".") / classifier_file(encoder)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no field classifier trained with the {encoder} "
                                f"encoder here (xxgk train --refit-fields --field-encoder "
                                f"{encoder} makes one)")
    load_encoder(encoder)
    return path


@dataclass
class FieldMapper:
    """The classifier when it reads the lexicon (the lexicon still names the fields the classifier
    never saw); else lexicon first, classifier for the rest."""
    classifier: FieldClassifier | None = None

    @property
    def learned(self) -> bool:
        """Does a trained classifier decide every pair (the lexicon only its hint)?"""
        return self.classifier is not None and self.classifier.reads_lexicon

    def prepare(self, contexts: list[PairContext]) -> None:
        """Before mapping a document's pairs: a classifier that reads embeddings gets them all in
        one batch (one call per pair is several times slower)."""
        if self.classifier is not None and self.classifier.dense:
            self.classifier.encoder.embed(contexts)

    def decide(self, ctx: PairContext) -> tuple[str | None, float | None]:
        """(field or None, the classifier's probability of that decision; None when the lexicon
        decided): what people correcting fields should look at first is where it is low."""
        f = ctx.opinion
        if self.learned:
            if f not in (None, NULL) and f not in self.classifier.classes:
                return f, None  # a field the classifier never saw: only the lexicon knows it
            return self.classifier.predict(ctx)
        if f is not None:
            return (None if f == NULL else f), None
        if self.classifier is not None:
            return self.classifier.predict(ctx)
        return None, None

    @classmethod
    def from_dir(cls, model_dir: str | Path | None, encoder: str | None = None) -> "FieldMapper":
        """The mapper saved in a model folder (lexicon only when it has no classifier file). With
        `encoder`: the folder's classifier trained with that encoder, which must be there."""
        if encoder:
            return cls(FieldClassifier.load(encoder_classifier_file(model_dir, encoder)))
        if model_dir and (Path(model_dir) / CLASSIFIER_FILE).exists():
            mapper = cls(FieldClassifier.load(Path(model_dir) / CLASSIFIER_FILE))
            mapper.classifier.encoder  # a missing pair encoder fails now, not at the first pair
            return mapper
        return cls()


def gold_pairs(docs) -> tuple[list[PairContext], list[str | None]]:
    """(context, gold field) for every linked QTY of gold documents (training.gold.GoldDoc)."""
    contexts, labels = [], []
    for d in docs:
        for q in d.qtys:
            item = d.item_of(q)
            if item is None:
                continue
            contexts.append(PairContext.from_text(d.text, item["start"], item["end"], q["start"],
                                                  q["end"], item["text"], q["unit"]))
            labels.append(q.get("field"))
    return contexts, labels


def span_pairs(doc, spans: list[dict]) -> tuple[list[PairContext], list[str | None]]:
    """(context, gold field) for every QTY that predicted `spans` link to an item, the field being
    the gold's for the same QTY (None when the gold has no such QTY): the pairs as the run-time
    pipeline will see them, cut items and all."""
    gold = {(q["start"], q["end"]): q.get("field") for q in doc.qtys}
    contexts, labels = [], []
    for q, ctx in linked_pairs(doc.text, spans):
        contexts.append(ctx)
        labels.append(gold.get((q["start"], q["end"])))
    return contexts, labels


def linked_pairs(text: str, spans: list[dict]):
    """(QTY span, PairContext) for every QTY of `spans` that link.py links to an item and whose
    text is a quantity."""
    from .link import link_spans
    from .normalize import normalize
    for qi, ii in link_spans(text, spans).items():
        if ii is None:
            continue
        q, item = spans[qi], spans[ii]
        try:
            unit = normalize(text[q["start"]:q["end"]]).unit
        except ValueError:
            continue
        yield q, PairContext.from_text(text, item["start"], item["end"], q["start"], q["end"],
                                       text[item["start"]:item["end"]], unit)


def train_classifier(docs, predicted: list[list[list[dict]]] | None = None, **kwargs) -> FieldClassifier:
    """The classifier of gold pairs, plus the pairs of each document's predicted span lists
    (`predicted[i]`: the rules' spans, the model's, … of `docs[i]`)."""
    contexts, labels = gold_pairs(docs)
    for doc, span_lists in zip(docs, predicted or []):
        for spans in span_lists:
            c, y = span_pairs(doc, spans)
            contexts += c
            labels += y
    return FieldClassifier.fit(contexts, labels, **kwargs)
