from extraction.figures.link import link_spans


def spans_of(text, labelled):
    """Spans from (label, substring, occurrence) triples written against an invented text."""
    out, used = [], {}
    for label, sub in labelled:
        start = text.find(sub, used.get(sub, 0))
        used[sub] = start + 1
        out.append({"label": label, "start": start, "end": start + len(sub), "text": sub})
    return out


def linked(text, spans):
    links = link_spans(text, spans)
    return {spans[q]["text"]: (spans[i]["text"] if i is not None else None) for q, i in links.items()}


def test_links_item_before_in_same_clause():
    text = "全年发布规章3件，规范性文件17件，主动公开政府信息共805条。"
    spans = spans_of(text, [("ITEM", "规章"), ("QTY", "3件"), ("ITEM", "规范性文件"), ("QTY", "17件"),
                            ("ITEM", "主动公开政府信息"), ("QTY", "805条")])
    assert linked(text, spans) == {"3件": "规章", "17件": "规范性文件", "805条": "主动公开政府信息"}


def test_links_item_after_when_none_before():
    text = "清理后保留的12个政务新媒体账号均已备案。"
    spans = spans_of(text, [("QTY", "12个"), ("ITEM", "政务新媒体账号")])
    assert linked(text, spans) == {"12个": "政务新媒体账号"}


def test_noun_after_a_count_of_other_things():
    text = "组织7个部门举办9场政策宣讲活动。"
    spans = spans_of(text, [("QTY", "7个"), ("ITEM", "部门"), ("QTY", "9场"), ("ITEM", "政策宣讲活动")])
    assert linked(text, spans) == {"7个": "部门", "9场": "政策宣讲活动"}


def test_qizhong_breakdown_links_to_its_own_items():
    text = "主动公开信息300条，其中工作动态120条、通知公告40条。"
    spans = spans_of(text, [("ITEM", "主动公开信息"), ("QTY", "300条"), ("ITEM", "工作动态"),
                            ("QTY", "120条"), ("ITEM", "通知公告"), ("QTY", "40条")])
    assert linked(text, spans) == {"300条": "主动公开信息", "120条": "工作动态", "40条": "通知公告"}


def test_share_clause_continues_the_previous_item():
    text = "网上申请8件，占比80%。"
    spans = spans_of(text, [("ITEM", "网上申请"), ("QTY", "8件"), ("QTY", "80%")])
    assert linked(text, spans) == {"8件": "网上申请", "80%": "网上申请"}


def test_no_item_links_to_nothing():
    text = "办结率均达100%。"
    spans = spans_of(text, [("QTY", "100%")])
    assert linked(text, spans) == {"100%": None}
