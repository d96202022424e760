"""Rule-based weak labeller: QTY and ITEM spans in narrative prose, following annotation.md.

It is two things: the rules-only baseline the model is judged against, and the source of silver
training data (`training.silver.silver_corpus`). It is plain regular expressions over characters (no word
segmenter: segmenters cut figures inconsistently), in three steps a reader can follow:

1. `find_quantities`: a numeral, an optional range / 余 / 万, and a measure word from `UNITS`;
   then the exclusions of the guideline (dates, 第N条, 〔2021〕30号, 20个工作日, "三个方面",
   numerals inside quotes or used as words, numbers cut off by the end of the text).
2. `find_item`: for each quantity, the phrase that names what it counts — the end of the clause
   before it, minus verbs, channels and words like 共/累计/达; or, when nothing is left there
   ("核定后的44个政务新媒体账号"), the phrase right after it.
3. `weak_spans`: both, over the narrative regions of a text, as annotation.md span dicts
   (QTY spans carry item/value/unit/approx; field is left to fields.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import normalize

# Measure words, longest first so that 人次 wins over 人.
UNITS = sorted("""人次 篇次 条次 件次 场次 批次 户次 期次 个次 余次 元 % ％ 条 件 个 次 期 篇 份 场 项 家 名
    宗 类别 类 种 起 部 分 户 人 所 本 册 张 台 套 处 位 封 批 栏 幅 集 万 亿""".split(), key=len, reverse=True)
UNITS.remove("万")
UNITS.remove("亿")

CN = "零〇一二两三四五六七八九十百千"
NUM = r"[0-9０-９]+(?:[.,][0-9０-９]+)*"
QTY_RE = re.compile(
    rf"(?P<num>{NUM}|[{CN}]+)"
    rf"(?:(?:至|到|-|~|～)(?:{NUM}|[{CN}]+))?"
    r"(?: ?(?:余|多))?(?: ?[万亿])?(?:余|多)?"
    r"(?P<paren>\))?(?P<space> ?)大?"
    r"(?P<unit>" + "|".join(map(re.escape, UNITS)) + r")"
    r"(?P<alt>[(（][条篇件][)）])?")

# A quantity is not one when followed by these (durations, parts of the report, 一次性 …).
NOT_AFTER = re.compile(
    r"^(?:工作日|个?工作日|自然日|小时|月|天|周|年|日|号|分钟|季度|百分点|方面|部分|阶段|层级|内容"
    r"|性|级|届|批次?次|号令|种类|元素|项目标|维度|步|点|化|大)")
NOT_AFTER_UNIT = {"部": re.compile(r"^(?:分|门|署|委)"), "期": re.compile(r"^(?:间|限|满|内)"),
                  "次": re.compile(r"^(?:会议|全体会议|全会|党代会|代表大会|常务会)"),
                  "名": re.compile(r"^(?:称|单|义|录)"), "类": re.compile(r"^(?:型)"),
                  "个": re.compile(r"^(?:人|别|体)"), "件": re.compile(r"^(?:事)"),
                  "起": re.compile(r"^(?:草|到|来|止)"), "处": re.compile(r"^(?:理|室|罚)"),
                  "位": re.compile(r"^(?:置|于)"), "本": re.compile(r"^(?:级|单位|机关|部门|年|报告|市|县|区)"),
                  "张": re.compile(r"^[贴]"), "人": re.compile(r"^(?:民|员|大|社|事|才)"),
                  "家": re.compile(r"^(?:庭|长|级)"), "所": re.compile(r"^(?:属|在|有|以)"),
                  "户": re.compile(r"^(?:籍|口|网)"), "台": re.compile(r"^(?:账|湾)"),
                  "集": re.compile(r"^(?:中|体|团)"), "场": re.compile(r"^(?:所|景|地)"),
                  "项": re.compile(r"^(?:目)"), "封": re.compile(r"^(?:闭|面)"),
                  "元": re.compile(r"^(?:街|素|旦|年|月|路|化)"),
                  "分": re.compile(r"^(?:钟|别|类|析|局|管|工|布|之|解|享|行|队|会|院|公司|中心)")}
# Words a Chinese numeral is part of when it is not a count ("一项基本制度", "三大目标").
CN_NOT_AFTER = re.compile(r"^(?:文章|民生实事|实事|重要|基本|系统|自觉|新|全面|工作|内容|主要|核心|有效|部分|领域|方面)")
NOT_BEFORE = re.compile(r"(?:第|〔|\[|【|No\.|[0-9０-９.:：/\-]|[0-9０-９] ?[年月日]|[A-Za-z])$")

CLAUSE_END = "，。；：！？,;:!?\n\t"
# Words between an item and its number that belong to neither (共 4147 条, 累计达 12 件).
FILLERS = sorted("""共计 总计 合计 累计 共有 总共 共 计 达到 达 约为 约 近 将近 接近 超过 超 突破 逾 多达 为 是
    有 了 各 数量为 数量 总量为 总量 总数为 总数 数为 量为 分别为 分别 同比 全年 全年共 年内 新增 增加
    其中 含 包括 以上 左右 等 占比 占 剩余 其余 除""".split(), key=len, reverse=True)
# Verbs and channels that start an item phrase: the item is what follows them.
VERBS = sorted("""发布 公开 更新 推送 刊发 刊登 上传 报送 发送 编发 转发 转载 制发 印发 出台 制定 办理 处理 回复
    答复 收到 受理 接收 接到 收集 召开 举办 组织 开展 开设 设立 建立 新建 整合 关闭 注销 归集 录入
    公布 公示 审核 清理 梳理 编制 编印 制作 报道 采用 上报 解答 回应 举行 参加 培训 浏览 访问 接听
    通过 利用 依托 在 于 向 对 经 由 涉及 围绕 聚焦 包括 其中""".split(), key=len, reverse=True)
# Outcome words that name a sub-count on their own ("办结5件").
OUTCOMES = ("办结", "答复", "予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "废止",
            "现行有效", "结转下年度办理", "结转下年办理", "其他处理", "同意公开", "正在办理",
            "不属于本机关公开", "不属于本行政机关公开")
# Measure words of things (not of documents or events): their noun usually follows them.
NOUN_CLASSIFIERS = "个名家位种"


@dataclass
class Span:
    label: str
    start: int
    end: int
    text: str


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """QTY spans in text[start:end] (offsets into `text`)."""
    end = len(text) if end is None else end
    out = []
    for m in QTY_RE.finditer(text, start, end):
        s, e = m.start(), m.end()
        num, unit = m["num"], m["unit"]
        before = text[max(0, s - 4):s]
        after = text[e:e + 8]
        if NOT_BEFORE.search(before) or NOT_AFTER.match(after):
            continue
        if unit in NOT_AFTER_UNIT and NOT_AFTER_UNIT[unit].match(after):
            continue
        if m["paren"] and ("(" not in text[max(0, s - 2):s] or num[0] in CN):
            continue
        if num[0] in CN and not _chinese_count_ok(text, s, e, num, after):
            continue
        if in_quotes(text, s) or _looks_like_phone(text, s, e):
            continue
        out.append(Span("QTY", s, e, text[s:e]))
    return out


def _chinese_count_ok(text: str, s: int, e: int, num: str, after: str) -> bool:
    """A Chinese numeral counts something only in plain statements ("明确了一名工作人员")."""
    if CN_NOT_AFTER.match(after) or (num == "一" and text[e - 1] in "批种期"):
        return False
    return not re.search(r"(?:第|“|\"|之|十)$", text[max(0, s - 1):s])


def in_quotes(text: str, pos: int) -> bool:
    """Inside “…” or 《…》 opened just before: a name such as “三审三校” or 《…87项措施》."""
    left = text[max(0, pos - 20):pos]
    for open_, close in (("“", "”"), ("《", "》")):
        i = left.rfind(open_)
        if i > left.rfind(close) and not any(c in left[i:] for c in "。；\n"):
            return True
    return False


def _looks_like_phone(text: str, s: int, e: int) -> bool:
    digits = re.match(r"[0-9]+", text[s:e])
    return bool(digits and len(digits.group()) >= 7 and text[e - 1] not in "条件次元%")


def clause_start(text: str, pos: int, floor: int = 0) -> int:
    i = pos
    while i > floor and text[i - 1] not in CLAUSE_END:
        i -= 1
    return i


def clause_end(text: str, pos: int, ceiling: int | None = None) -> int:
    ceiling = len(text) if ceiling is None else ceiling
    i = pos
    while i < ceiling and text[i] not in CLAUSE_END:
        i += 1
    return i


def _strip_end(phrase: str, words) -> str:
    """Strip any of `words` (repeatedly) off the end of phrase."""
    changed = True
    while changed and phrase:
        changed = False
        for w in words:
            if phrase.endswith(w):
                phrase = phrase[: -len(w)]
                changed = True
                break
    return phrase


def find_item(text: str, qty: Span, floor: int = 0, blocked: int = 0) -> Span | None:
    """The ITEM a quantity counts: the phrase before it in its clause, else the one after it.

    `blocked` is the end of the previous quantity: an item never reaches back over it.
    """
    left = max(clause_start(text, qty.start, floor), blocked)
    phrase = text[left:qty.start]
    core = _strip_end(phrase.rstrip(" "), FILLERS + ["(", "（", "的", "“", "”", "\"", " "])
    if qty.text[-1] in NOUN_CLASSIFIERS:  # "配备2名兼职工作人员": the noun follows the count
        after = _item_after(text, qty)
        if after is not None:
            return after
    outcome = next((o for o in OUTCOMES if core.endswith(o)), None)
    if outcome:
        i = left + len(core) - len(outcome)
        return Span("ITEM", i, i + len(outcome), outcome)
    if not core or core.endswith(tuple(VERBS) + ("等", "各")):
        after = _item_after(text, qty)  # "核定后的44个政务新媒体账号", "…等4个领域"
        if after is not None or not core:
            return after
    item = core[_item_cut(core):]
    k = item.rfind("的")
    if 0 <= k and len(item) - k - 1 >= 2:
        item = item[k + 1:]
    tail = re.split(r"[》〉]", item)[-1]
    if len(tail) >= 2:  # "《…》及主办人大代表建议": not back over a title's end
        item = tail
    item = re.sub(r"^(?:[0-9]{4} ?年度?|全年|本年度|年内|其中|[、和及与等了“”\"])+", "", item)
    if len(item) < 2 or re.search(r"[0-9]$", item):
        return _item_after(text, qty)
    i = left + len(core) - len(item)
    return Span("ITEM", i, i + len(item), item)


def _item_cut(core: str) -> int:
    """Where the item starts: after the last verb or channel that leaves two characters or more."""
    cut = 0
    for v in VERBS:
        j = core.find(v)
        while j >= 0:
            end = j + len(v)
            # 主动公开… and …公开申请 name the thing ("主动公开政府信息"): no cut inside them
            kept = v == "公开" and (core[:j].endswith("主动") or core[end:].startswith("申请"))
            if len(core) - end >= 2 and end > cut and not kept:
                cut = end
            j = core.find(v, j + 1)
    j = core.rfind("主动公开")
    if j >= 0 and j >= cut - 2 and len(core) - j - 4 >= 2:  # the item is "主动公开政府信息", not "我局主动公开…"
        cut = j
    return cut


def _item_after(text: str, qty: Span) -> Span | None:
    """"核定后的44个政务新媒体账号": the noun phrase right after the quantity."""
    end = clause_end(text, qty.end)
    start = qty.end + len(re.match(r"[“\"]?(?:为|是|均为)?", text[qty.end:]).group())
    m = re.match(r"[^，。；：,;:、（(）)“”\"0-9]{2,16}", text[start:end])
    if not m:
        return None
    phrase = m.group()
    stop = re.search(r"(?:进行|开展|实现|完成|加强|做好|落实|发布|公开(?!申请)|参加|参与|被|均|全部|已|在|的|和|及|，)", phrase)
    if stop:
        phrase = phrase[:stop.start()]
    count = QTY_RE.search(phrase)  # "3个部门两场培训": stop before the next count
    if count:
        phrase = phrase[:count.start()]
    if len(phrase) < 2:
        return None
    return Span("ITEM", start, start + len(phrase), phrase)


def weak_spans(text: str, regions: list[tuple[int, int]] | None = None) -> list[dict]:
    """QTY and ITEM span dicts (annotation.md, with ids and QTY->ITEM links) over the regions."""
    regions = regions if regions is not None else [(0, len(text))]
    spans: list[dict] = []
    for a, b in regions:
        prev_end = a
        for q in find_quantities(text, a, b):
            item = find_item(text, q, floor=a, blocked=prev_end)
            prev_end = q.end
            try:
                quantity = normalize(q.text, text[max(0, q.start - 6):q.start], text[q.end:q.end + 4])
            except ValueError:
                continue
            item_id = None
            if item is not None:
                same = next((s for s in spans if s["label"] == "ITEM" and s["start"] == item.start
                             and s["end"] == item.end), None)
                if same is None and any(s["start"] < item.end and item.start < s["end"] for s in spans):
                    item = None  # would overlap another span: ITEMs never nest
                elif same is not None:
                    item_id = same["id"]
                else:
                    item_id = len(spans)
                    spans.append({"id": item_id, "label": "ITEM", "start": item.start,
                                  "end": item.end, "text": item.text})
            spans.append({"id": len(spans), "label": "QTY", "start": q.start, "end": q.end,
                          "text": q.text, "item": item_id, "value": quantity.value,
                          "unit": quantity.unit, "approx": quantity.approx, "field": None})
    return _drop_items_over_quantities(spans)


def _drop_items_over_quantities(spans: list[dict]) -> list[dict]:
    """An item found after its quantity may run into a later one ("3个部门两场…"): drop it."""
    qtys = [s for s in spans if s["label"] == "QTY"]
    bad = {s["id"] for s in spans if s["label"] == "ITEM"
           and any(q["start"] < s["end"] and s["start"] < q["end"] for q in qtys)}
    for q in qtys:
        if q["item"] in bad:
            q["item"] = None
    return [s for s in spans if s["id"] not in bad]
