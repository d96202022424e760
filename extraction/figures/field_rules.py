"""The field lexicon: readable rules that map a linked (item, quantity) pair to a field of
annotation.md, registered by name (`@field_rule`, as spaCy's registry does) and tried in the
order they are registered. Each rule looks at a `Pair` and answers a field, NULL ("no field")
or None (no opinion: the next rule is asked). They encode annotation.md's field table and
rulings: the item text, its unit and its context (the channel named before it — website or new
media —, whether it stands inside a 其中 breakdown, whether the figure is a change or a share).

`lexicon_opinion(ctx)` is the first opinion of a rule; `lexicon_field(ctx)` the field it names.
`FIELD_RULES` lists the rules by name, in order. fields.py holds PairContext and the classifier.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from .fields import PairContext

NULL = "null"  # the lexicon's (and the classifier's) answer "no field"

WEBSITE = re.compile(r"网站|门户|官网|目录系统|公开平台|信息公开专栏|公开目录|网上管理系统|政务网")
NEW_MEDIA = re.compile(r"微信|微博|公众号|新媒体|抖音|头条|快手|视频号|客户端|APP|App|app|小程序|融媒")
OTHER_CHANNEL = re.compile(r"(?<!新)媒体|报刊|报纸|日报|电视|广播|公示栏|宣传栏|公开栏|查阅点|其他方式|其他渠道|"
                           r"上级|省级|中央|市级媒体|刊物|简报|上稿|报送|采用")
GENERIC_INFO = re.compile(r"^(?:主动公开|公开|发布|更新)?(?:各类|各项)?(?:政府|政务|法定)?(?:信息|消息)"
                          r"(?:主动公开)?$|^政府信息公开$|^公开信息$|^公示的信息$|"
                          r"(?<!其他)(?<!其它)(?:各类|各项|单位|部门)(?:政府|政务)信息$")
MONEY_OR_SHARE = ("%", "％")
REQUEST_CHANNELS = {"信函": "requests_letter", "书面": "requests_letter", "邮寄": "requests_letter",
                    "当面": "requests_in_person", "现场": "requests_in_person",
                    "网上": "requests_online", "网络": "requests_online", "在线": "requests_online"}
MAILBOX_WORDS = r"信箱|留言|咨询|诉求|来信|信件"
DISCLOSURE_REQUEST = (r"依申请|公开申请|申请公开|信息.{0,6}申请|申请.{0,3}信息|^申请(?:书|件|数)?$|新收|收到.{0,3}申请|"
                      r"受理.{0,3}申请|提交申请|申请表")


@dataclass
class Pair:
    """What a rule reads: the pair's context and what the rules derive from it once."""
    ctx: PairContext
    item: str      # the item's head (`head`): "疫情防控、社会救助等方面信息" -> "信息"
    around: str    # the clause before the item, then its head
    near: str      # the clause's last 8 characters, then the whole item ("收到依申请公开" + "政府信息")

    @classmethod
    def of(cls, ctx: PairContext) -> "Pair":
        item = head(ctx.item)
        return cls(ctx, item, ctx.clause + item, ctx.clause[-8:] + ctx.item)

    @property
    def unit(self) -> str:
        return self.ctx.unit


FieldRule = Callable[[Pair], "str | None"]
FIELD_RULES: dict[str, FieldRule] = {}  # name -> rule, in the order they are tried


def field_rule(name: str):
    """Register a rule under `name`, after those registered before it."""
    def register(fn: FieldRule) -> FieldRule:
        if name in FIELD_RULES:
            raise ValueError(f"a field rule named {name!r} is registered already")
        FIELD_RULES[name] = fn
        return fn
    return register


def lexicon_opinion(ctx: PairContext) -> str | None:
    """What the lexicon says of a pair: a field, NULL ("no field"), or None (no opinion). A typed
    tagger reads it as a hint (hints.py)."""
    pair = Pair.of(ctx)
    for rule in FIELD_RULES.values():
        answer = rule(pair)
        if answer is not None:
            return answer
    return None


_lexicon = lexicon_opinion  # the name the mapper calls it by (fields.FieldMapper)


def lexicon_field(ctx: PairContext) -> str | None:
    """The field the rules assign, or None when they have no opinion or say "no field"."""
    f = lexicon_opinion(ctx)
    return None if f == NULL else f


def head(item: str) -> str:
    """The head of a listed item: "疫情防控、社会救助等方面信息" -> "信息"; trailing verbs dropped."""
    if "等" in item:
        item = item[item.rfind("等") + 1:]
    item = re.sub(r"^(?:方面|领域|类|各类)(?=.{2})", "", item)
    item = re.sub(r"(?:累计|共)?(?:发布|公开|推送|更新)$", "", item) or item
    item = re.sub(r"(?:总数|数量|数|总量)$", "", item) or item
    return item.lstrip("“”\"")


# --- the rules, in order ---------------------------------------------------------------------

@field_rule("share_or_rate")
def share_or_rate(p: Pair) -> str | None:
    if p.unit in MONEY_OR_SHARE or re.search(r"率$|量$|比例$|占比", p.item):
        return NULL
    return None


@field_rule("change_from_last_year")
def change_from_last_year(p: Pair) -> str | None:
    if re.match(r"^(?:同比|较上年|比上年|较去年|比去年|增长|增加|减少|下降|上升|环比)", p.ctx.between.strip()) \
            or re.search(r"(?:同比|较上年|比上年|较去年|比去年|环比)(?:增长|增加|减少|下降|上升)?了?$", p.ctx.clause):
        return NULL
    return None


@field_rule("fees")
def fees(p: Pair) -> str | None:
    if p.unit == "元":
        return "fees_collected" if "信息处理费" in p.around else NULL
    return None


@field_rule("suggestions_with_proposals")
def suggestions_with_proposals(p: Pair) -> str | None:
    """人大建议 and 政协提案 counted together belong to neither field."""
    if re.search(r"人大.{0,4}建议", p.item) and "政协" in p.item or re.search(r"建议.{0,2}提案", p.item):
        return NULL
    return None


@field_rule("npc_suggestions")
def npc_suggestions(p: Pair) -> str | None:
    return "npc_suggestions" if re.search(r"人大.{0,4}建议|代表建议", p.item) else None


@field_rule("cppcc_proposals")
def cppcc_proposals(p: Pair) -> str | None:
    return "cppcc_proposals" if re.search(r"政协.{0,4}提案|委员提案", p.item) else None


@field_rule("review_with_litigation")
def review_with_litigation(p: Pair) -> str | None:
    return NULL if "复议" in p.item and "诉讼" in p.item else None


@field_rule("review_cases")
def review_cases(p: Pair) -> str | None:
    return "review_cases" if "行政复议" in p.item else None


@field_rule("litigation_cases")
def litigation_cases(p: Pair) -> str | None:
    return "litigation_cases" if "行政诉讼" in p.item else None


@field_rule("hotline_tickets")
def hotline_tickets(p: Pair) -> str | None:
    return "hotline_tickets" if re.search(r"12345|热线|来电|工单", p.near) else None


@field_rule("comments")
def comments(p: Pair) -> str | None:
    """Comments on new-media posts are not letters to a mailbox."""
    return NULL if re.search(r"评论|私信", p.item) else None


@field_rule("mailbox_messages")
def mailbox_messages(p: Pair) -> str | None:
    return "mailbox_messages" if re.search(r"信箱|留言|来信|信件|群众诉求|网民咨询", p.item) else None


@field_rule("press_conferences")
def press_conferences(p: Pair) -> str | None:
    if re.search(r"发布会|发布活动", p.near) and p.unit in ("场", "次", "期", "场次"):
        return "press_conferences"
    return None


@field_rule("trainings")
def trainings(p: Pair) -> str | None:
    if "培训" in p.item or "培训" in p.ctx.clause[-6:]:
        if p.unit in ("人次", "人", "名"):
            return "training_participants"
        if p.unit in ("期", "场", "次", "班", "批次", "场次"):
            return "trainings"
    return None


@field_rule("new_media_accounts")
def new_media_accounts(p: Pair) -> str | None:
    if p.unit in ("个", "家") and re.search(r"账号|公众号|新媒体|微博|抖音|头条号|视频号", p.item):
        return "new_media_accounts"
    return None


@field_rule("policy_interpretations")
def policy_interpretations(p: Pair) -> str | None:
    if re.search(r"解读|图解", p.item):
        if re.search(r"、|及|和", p.item) and not re.search(r"解读.*(?:、|及|和).*解读", p.item):
            return NULL  # a mix of documents and interpretations
        return "policy_interpretations"
    return None


@field_rule("normative_documents")
def normative_documents(p: Pair) -> str | None:
    if "规范性文件" in p.item:
        if re.search(r"现行有效|废止|清理|保留|修改|规章和|规章、", p.item) or \
                re.search(r"(?:废止|清理|保留|修改|现行有效)的?$", p.ctx.clause):
            return NULL
        return "normative_documents"
    return None


@field_rule("requests")
def requests(p: Pair) -> str | None:
    """Disclosure requests: received, by channel, answered (or an outcome, or not a request)."""
    ctx, item, near = p.ctx, p.item, p.near
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


def _last_of(text: str, pattern: str) -> int:
    found = [m.start() for m in re.finditer(pattern, text)]
    return found[-1] if found else -1


@field_rule("answered_messages")
def answered_messages(p: Pair) -> str | None:
    """办结 / 答复 after mailbox words (and no request after them)."""
    if p.item in ("办结", "答复") and re.search(MAILBOX_WORDS, p.ctx.before):
        return "mailbox_messages"
    return None


@field_rule("news_updates")
def news_updates(p: Pair) -> str | None:
    if re.search(r"动态|要闻|新闻(?!发布)", p.item):
        parts = re.split(r"和|及|、|与", p.item)
        if not all(re.search(r"动态|要闻|新闻", part) for part in parts if part):
            return NULL  # "概况类信息和政务动态信息": a mix of kinds
        return "news_updates"
    return None


@field_rule("policy_documents")
def policy_documents(p: Pair) -> str | None:
    if re.search(r"文件(?:信息)?$", p.item) and p.unit in ("件", "份", "条", "篇") \
            and not re.search(r"其他|解读|规章|内部|纸质|法规|通知类|处罚类|现行有效|有效|废止|、", p.item):
        return "policy_documents"
    return None


@field_rule("new_media_by_name")
def new_media_by_name(p: Pair) -> str | None:
    """The item is the account: "政务微博共" 120条."""
    if re.fullmatch(r"(?:官方|政务|实名认证)?(?:微博|微信|微信公众号|公众号|抖音号?|今日头条|头条号|视频号|"
                    r"政务新媒体)(?:累计|共)?", p.item):
        return "new_media_posts"
    return None


@field_rule("new_media_content")
def new_media_content(p: Pair) -> str | None:
    if NEW_MEDIA.search(p.ctx.clause) and re.search(r"视频|原创|稿件|图文|通知公告|民生信息|^各类信息", p.item) \
            and p.unit in ("条", "篇", "部", "个"):
        return "new_media_posts"
    return None


@field_rule("generic_information")
def generic_information(p: Pair) -> str | None:
    """A plain "信息/政府信息" count: the channel and 其中 decide (annotation.md field rulings)."""
    ctx = p.ctx
    if not (GENERIC_INFO.search(p.item) and p.unit in ("条", "件", "篇", "项", "条次", "篇次")):
        return None
    if "等" in ctx.item and (ctx.breakdown or not WEBSITE.search(ctx.clause)):
        return NULL  # "财政预决算和工作报告等信息": a list of kinds, not the total
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
