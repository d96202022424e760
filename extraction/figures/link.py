"""Link each QTY to the ITEM it counts (annotation.md "Links").

The rule, in order:
1. the nearest ITEM before the quantity in the same clause, when no other quantity stands
   between them ("发布规章25件，规范性文件2357件");
2. else an ITEM right after it in the same clause ("核定后的44个政务新媒体账号");
3. else the nearest ITEM before it in the same clause even across another quantity
   ("信息100条、图片20张" style lists where one item carries several quantities);
4. else, for a clause with no item at all, the last linked item of the same sentence
   ("省直部门公开20.30万条，占比2.41%": 2.41% is the 省直部门 share).
A clause ends at ，。；：！？ or a line break; 、 does not end one (items are lists: "公告公示、部门动态").
其中 opens a new clause in effect, because it always follows a comma or colon.
"""
from __future__ import annotations

CLAUSE_END = "，。；：！？,;:!?\n\t"
# What may stand between a quantity and an item after it ("4件为不予公开").
AFTER_GAPS = ("", "为", "均为", "属于", "为属于")


def clause_id(text: str) -> list[int]:
    """Clause number of every character (punctuation belongs to the clause it ends)."""
    ids, n = [], 0
    for ch in text:
        ids.append(n)
        if ch in CLAUSE_END:
            n += 1
    return ids


def link_spans(text: str, spans: list[dict]) -> dict[int, int | None]:
    """{index of each QTY span in `spans`: index of its ITEM span, or None}."""
    clause = clause_id(text)
    qtys = [i for i, s in enumerate(spans) if s["label"] == "QTY"]
    items = [i for i, s in enumerate(spans) if s["label"] == "ITEM"]
    links: dict[int, int | None] = {}
    prev_item: int | None = None
    for qi in sorted(qtys, key=lambda i: spans[i]["start"]):
        q = spans[qi]
        c = clause[q["start"]]
        same = [i for i in items if clause[min(spans[i]["start"], len(text) - 1)] == c]
        before = sorted((i for i in same if spans[i]["end"] <= q["start"]),
                        key=lambda i: spans[i]["end"])
        after = [i for i in same if spans[i]["start"] >= q["end"]]
        near = [i for i in after if text[q["end"]:spans[i]["start"]].strip() in AFTER_GAPS
                and not _qty_between(spans, qtys, q["end"], spans[i]["start"])]
        target = None
        if before and not _qty_between(spans, qtys, spans[before[-1]]["end"], q["start"]):
            target = before[-1]
            # "10个部门举办13场活动": 部门 belongs to 10个; 13场 counts the item after it.
            if near and _follows_qty(spans, qtys, spans[target]["start"], clause, c):
                target = None
        if target is None and near:
            target = min(near, key=lambda i: spans[i]["start"])
        if target is None and before:
            target = before[-1]
        if target is None and not same and prev_item is not None:
            # A clause with no item of its own continues the sentence's last one ("占比82.4%").
            gap = text[spans[prev_item]["end"]:q["start"]]
            if "。" not in gap and "\n" not in gap:
                target = prev_item
        links[qi] = target
        prev_item = target if target is not None else prev_item
    return links


def _follows_qty(spans, qtys, pos: int, clause: list[int], c: int) -> bool:
    """An item right after another quantity of the same clause belongs to that quantity."""
    return any(0 <= pos - spans[i]["end"] <= 1 and clause[spans[i]["start"]] == c
               for i in qtys)


def _qty_between(spans, qtys, a: int, b: int) -> bool:
    return any(a <= spans[i]["start"] and spans[i]["end"] <= b for i in qtys)

