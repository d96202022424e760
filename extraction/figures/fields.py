"""Map a linked (item, quantity) pair to one of the 22 fields of annotation.md, or to None.

Two layers, in order:
1. `lexicon_field`: readable rules over the item text, its unit and its context (the channel
   named before it — website or new media —, whether it stands inside a 其中 breakdown, whether
   the figure is a change or a share). They encode annotation.md's field table and rulings.
2. `FieldClassifier`: character n-gram TF-IDF + logistic regression over the item text (plus the
   unit and a few context flags), trained on gold pairs, for items the lexicon does not know.
   It is stored as plain JSON (vocabulary, idf, coefficients): no pickle in a model folder.
A pair neither layer is sure of keeps `field: None` — it is still reported, with its item text.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

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
NULL = "null"  # the classifier's class for "no field"

SENTENCE_END = "。；;！？!?\n"
CLAUSE_END = "，。；：！？,;:!?\n"
WEBSITE = re.compile(r"网站|门户|官网|目录系统|公开平台|信息公开专栏|公开目录|网上管理系统|政务网")
NEW_MEDIA = re.compile(r"微信|微博|公众号|新媒体|抖音|头条|快手|视频号|客户端|APP|App|app|小程序|融媒")
OTHER_CHANNEL = re.compile(r"(?<!新)媒体|报刊|报纸|日报|电视|广播|公示栏|宣传栏|公开栏|查阅点|其他方式|其他渠道|"
                           r"上级|省级|中央|市级媒体|刊物|简报|上稿|报送|采用")
GENERIC_INFO = re.compile(r"^(?:主动公开|公开|发布|更新)?(?:各类|各项)?(?:政府|政务|法定)?(?:信息|消息)"
                          r"(?:主动公开)?$|^政府信息公开$|^公开信息$|^公示的信息$|"
                          r"(?<!其他)(?<!其它)(?:各类|各项|单位|部门)(?:政府|政务)信息$")
MONEY_OR_SHARE = ("%", "％")


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
                   total_stated(text, s, before))


COUNT = re.compile(r"[0-9０-９][0-9.,]*\s*(?:余|多)?\s*[万亿]?\s*[条件篇项个份次]")


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


def lexicon_field(ctx: PairContext) -> str | None:
    """The field the rules assign, or None when they have no opinion (or say "no field": see
    `lexicon_says_null`)."""
    f = _lexicon(ctx)
    return None if f == NULL else f


def lexicon_opinion(ctx: PairContext) -> str | None:
    """What the lexicon says of a pair: a field, NULL ("no field"), or None (no opinion). A typed
    tagger reads it as a hint (hints.py)."""
    return _lexicon(ctx)


def _lexicon(ctx: PairContext) -> str | None:
    unit = ctx.unit
    item = _head(ctx.item)
    around = ctx.clause + item
    near = ctx.clause[-8:] + ctx.item  # "收到依申请公开" + "政府信息"
    if unit in MONEY_OR_SHARE or re.search(r"率$|量$|比例$|占比", item):
        return NULL
    if re.match(r"^(?:同比|较上年|比上年|较去年|比去年|增长|增加|减少|下降|上升|环比)", ctx.between.strip()) \
            or re.search(r"(?:同比|较上年|比上年|较去年|比去年|环比)(?:增长|增加|减少|下降|上升)?了?$", ctx.clause):
        return NULL
    if unit == "元":
        return "fees_collected" if "信息处理费" in around else NULL
    if re.search(r"人大.{0,4}建议", item) and "政协" in item or re.search(r"建议.{0,2}提案", item):
        return NULL
    if re.search(r"人大.{0,4}建议|代表建议", item):
        return "npc_suggestions"
    if re.search(r"政协.{0,4}提案|委员提案", item):
        return "cppcc_proposals"
    if "复议" in item and "诉讼" in item:
        return NULL
    if "行政复议" in item:
        return "review_cases"
    if "行政诉讼" in item:
        return "litigation_cases"
    if re.search(r"12345|热线|来电|工单", near):
        return "hotline_tickets"
    if re.search(r"评论|私信", item):
        return NULL  # comments on new-media posts are not letters to a mailbox
    if re.search(r"信箱|留言|来信|信件|群众诉求|网民咨询", item):
        return "mailbox_messages"
    if re.search(r"发布会|发布活动", near) and unit in ("场", "次", "期", "场次"):
        return "press_conferences"
    if "培训" in item or "培训" in ctx.clause[-6:]:
        if unit in ("人次", "人", "名"):
            return "training_participants"
        if unit in ("期", "场", "次", "班", "批次", "场次"):
            return "trainings"
    if unit in ("个", "家") and re.search(r"账号|公众号|新媒体|微博|抖音|头条号|视频号", item):
        return "new_media_accounts"
    if re.search(r"解读|图解", item):
        if re.search(r"、|及|和", item) and not re.search(r"解读.*(?:、|及|和).*解读", item):
            return NULL  # a mix of documents and interpretations
        return "policy_interpretations"
    if "规范性文件" in item:
        if re.search(r"现行有效|废止|清理|保留|修改|规章和|规章、", item) or \
                re.search(r"(?:废止|清理|保留|修改|现行有效)的?$", ctx.clause):
            return NULL
        return "normative_documents"
    request = _request_field(ctx, item, near)
    if request:
        return request
    if item in ("办结", "答复") and re.search(MAILBOX_WORDS, ctx.before):
        return "mailbox_messages"
    if re.search(r"动态|要闻|新闻(?!发布)", item):
        parts = re.split(r"和|及|、|与", item)
        if not all(re.search(r"动态|要闻|新闻", p) for p in parts if p):
            return NULL  # "概况类信息和政务动态信息": a mix of kinds
        return "news_updates"
    if re.search(r"文件(?:信息)?$", item) and unit in ("件", "份", "条", "篇") \
            and not re.search(r"其他|解读|规章|内部|纸质|法规|通知类|处罚类|现行有效|有效|废止|、", item):
        return "policy_documents"
    if re.fullmatch(r"(?:官方|政务|实名认证)?(?:微博|微信|微信公众号|公众号|抖音号?|今日头条|头条号|视频号|"
                    r"政务新媒体)(?:累计|共)?", item):
        return "new_media_posts"
    if NEW_MEDIA.search(ctx.clause) and re.search(r"视频|原创|稿件|图文|通知公告|民生信息|^各类信息", item) \
            and unit in ("条", "篇", "部", "个"):
        return "new_media_posts"
    if GENERIC_INFO.search(item) and unit in ("条", "件", "篇", "项", "条次", "篇次"):
        if "等" in ctx.item and (ctx.breakdown or not WEBSITE.search(ctx.clause)):
            return NULL  # "财政预决算和工作报告等信息": a list of kinds, not the total
        return _generic_info_field(ctx)
    return None


def _head(item: str) -> str:
    """The head of a listed item: "疫情防控、社会救助等方面信息" -> "信息"; trailing verbs dropped."""
    if "等" in item:
        item = item[item.rfind("等") + 1:]
    item = re.sub(r"^(?:方面|领域|类|各类)(?=.{2})", "", item)
    item = re.sub(r"(?:累计|共)?(?:发布|公开|推送|更新)$", "", item) or item
    item = re.sub(r"(?:总数|数量|数|总量)$", "", item) or item
    return item.lstrip("“”\"")


REQUEST_CHANNELS = {"信函": "requests_letter", "书面": "requests_letter", "邮寄": "requests_letter",
                    "当面": "requests_in_person", "现场": "requests_in_person",
                    "网上": "requests_online", "网络": "requests_online", "在线": "requests_online"}
MAILBOX_WORDS = r"信箱|留言|咨询|诉求|来信|信件"
DISCLOSURE_REQUEST = (r"依申请|公开申请|申请公开|信息.{0,6}申请|申请.{0,3}信息|^申请(?:书|件|数)?$|新收|收到.{0,3}申请|"
                      r"受理.{0,3}申请|提交申请|申请表")


def _last_of(text: str, pattern: str) -> int:
    found = [m.start() for m in re.finditer(pattern, text)]
    return found[-1] if found else -1


def _request_field(ctx: PairContext, item: str, near: str) -> str | None:
    before = ctx.before
    if ctx.unit not in ("件", "条", "份", "宗", "次", "项", "个"):
        return None
    if re.fullmatch(r"(?:本年)?新收(?:申请)?", item):
        return "requests_received"
    channel = re.fullmatch(r"(?:通过)?(信函|书面|邮寄|当面|现场|网上|网络|在线)(?:提交|申请|渠道|平台|方式)?", item)
    if channel:
        return REQUEST_CHANNELS[channel.group(1)]
    if re.search(r"依申请|申请公开|公开申请|申请的", near) and not re.search(r"申请", item):
        item = near  # "收到依申请公开" + "政府信息": the item is the request
    if re.search(r"申请", item) and not re.search(DISCLOSURE_REQUEST, near):
        return None  # "申请户外广告设置许可证": an application for something else
    if not re.search(r"申请", item):
        if item in ("办结", "答复") and re.search(r"(?:公开|不予|提供|处理|下一?年度?|结转)的?$", ctx.clause):
            return NULL  # "同意公开答复9件": an outcome category, not all answered requests
        if item in ("办结", "答复") and _last_of(before, r"申请") > _last_of(before, MAILBOX_WORDS):
            return "requests_answered"
        return None
    if re.search(r"结转|上年|上一年|转下|转入|撤回|撤销|自然人|个人|法人|组织提出|不作为|不再处理|不予|回复|答复",
                 ctx.clause[-8:] + item):
        return NULL
    if re.search(r"网上|网络|在线|网站|平台|电子邮件|邮箱", item):
        return "requests_online"
    if re.search(r"信函|书面|邮寄|来函", item):
        return "requests_letter"
    if re.search(r"当面|现场", item):
        return "requests_in_person"
    if ctx.breakdown and re.search(r"其中.{0,6}$", before):
        return None
    return "requests_received"


def _generic_info_field(ctx: PairContext) -> str:
    """A plain "信息/政府信息" count: the channel and 其中 decide (annotation.md field rulings)."""
    clause = ctx.clause
    if ctx.breakdown:
        if NEW_MEDIA.search(clause) and not WEBSITE.search(clause):
            return "new_media_posts"
        # "发布信息，其中，通过政府网站发布信息11829条": no total stated, the website count is it
        return "proactive_total" if WEBSITE.search(clause) and not ctx.total_stated else NULL
    if WEBSITE.search(clause) or "主动公开" in clause + ctx.item:
        return "proactive_total"
    if NEW_MEDIA.search(clause):
        return "new_media_posts"
    if OTHER_CHANNEL.search(clause):
        return NULL
    # no channel in the clause: the sentence's ("依托微信公众号…，全年发布各类信息100余条")
    if NEW_MEDIA.search(ctx.before) and not WEBSITE.search(ctx.before):
        return "new_media_posts"
    return "proactive_total"


# --- the classifier ------------------------------------------------------------------------------

def pair_features(ctx: PairContext) -> list[str]:
    """Character 1-3-grams of the item, its unit, and context flags."""
    item = ctx.item
    feats = [f"i:{item[i:i + n]}" for n in (1, 2, 3) for i in range(len(item) - n + 1)]
    feats += [f"u:{ctx.unit}", f"end:{item[-2:]}"]
    if ctx.breakdown:
        feats.append("ctx:breakdown")
    for name, rx in (("web", WEBSITE), ("media", NEW_MEDIA), ("other", OTHER_CHANNEL)):
        if rx.search(ctx.clause):
            feats.append(f"ctx:{name}")
    for word in ("申请", "信箱", "留言", "主动公开", "解读", "培训", "发布会"):
        if word in ctx.before:
            feats.append(f"b:{word}")
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

    @classmethod
    def fit(cls, contexts: list[PairContext], labels: list[str | None], C: float = 10.0,
            threshold: float = 0.8) -> "FieldClassifier":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from threadpoolctl import threadpool_limits
        y = [lab or NULL for lab in labels]
        if len(set(y)) < 2:  # nothing to tell apart: a classifier that always says "no field"
            return cls({}, [], [NULL], [[]], [0.0], threshold)
        vec = TfidfVectorizer(analyzer=lambda feats: feats, sublinear_tf=True)
        X = vec.fit_transform([pair_features(c) for c in contexts])
        clf = LogisticRegression(C=C, max_iter=2000)
        with threadpool_limits(1):  # BLAS threads on a small shared CPU make it 10x slower
            clf.fit(X, y)
        coef = clf.coef_
        intercept = clf.intercept_
        classes = [str(c) for c in clf.classes_]
        if len(classes) == 2:  # sklearn keeps one row (class 1 vs 0); softmax of [0, s] = sigmoid(s)
            coef = [[0.0] * len(coef[0]), list(coef[0])]
            intercept = [0.0, intercept[0]]
        return cls({k: int(v) for k, v in vec.vocabulary_.items()}, [float(v) for v in vec.idf_],
                   classes, [[float(v) for v in row] for row in coef],
                   [float(v) for v in intercept], threshold)

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
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        z = sum(exp)
        return {c: e / z for c, e in zip(self.classes, exp)}

    def predict(self, ctx: PairContext) -> tuple[str | None, float]:
        probs = self.probabilities(ctx)
        best = max(probs, key=probs.get)
        if best == NULL or probs[best] < self.threshold:
            return None, probs[best]
        return best, probs[best]

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.__dict__, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "FieldClassifier":
        return cls(**json.loads(Path(path).read_text(encoding="utf-8")))


CLASSIFIER_FILE = "field_classifier.json"


@dataclass
class FieldMapper:
    """Lexicon first, classifier for what the lexicon does not know."""
    classifier: FieldClassifier | None = None
    use_lexicon: bool = True

    def map(self, ctx: PairContext) -> str | None:
        if self.use_lexicon:
            f = _lexicon(ctx)
            if f is not None:
                return None if f == NULL else f
        if self.classifier is not None:
            return self.classifier.predict(ctx)[0]
        return None

    @classmethod
    def from_dir(cls, model_dir: str | Path | None) -> "FieldMapper":
        """The mapper saved in a model folder (lexicon only when it has no classifier file)."""
        if model_dir and (Path(model_dir) / CLASSIFIER_FILE).exists():
            return cls(FieldClassifier.load(Path(model_dir) / CLASSIFIER_FILE))
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


def train_classifier(docs, **kwargs) -> FieldClassifier:
    return FieldClassifier.fit(*gold_pairs(docs), **kwargs)
