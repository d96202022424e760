import pytest

from extraction.figures.fields import FieldClassifier, FieldMapper, PairContext, lexicon_field


def ctx(sentence, item, qty):
    """The context of `item` and `qty` inside an invented sentence."""
    first_item = sentence.index(item)
    q = sentence.find(qty, first_item + len(item))
    if q < 0:  # the item follows its quantity
        q = sentence.index(qty)
        i = sentence.index(item, q)
    else:
        i = sentence.rindex(item, 0, q)
    unit = qty.lstrip("0123456789.余")
    return PairContext.from_text(sentence, i, i + len(item), q, q + len(qty), item, unit)


@pytest.mark.parametrize("sentence, item, qty, field", [
    ("全年通过县政府网站主动公开政府信息1200条。", "主动公开政府信息", "1200条", "proactive_total"),
    ("通过局门户网站发布信息300条，通过微信公众号发布信息150条。", "信息", "150条", "new_media_posts"),
    ("主动公开信息500条，其中门户网站公开信息300条。", "主动公开信息", "500条", "proactive_total"),
    ("发布工作动态85条。", "工作动态", "85条", "news_updates"),
    ("公开政策文件14件。", "政策文件", "14件", "policy_documents"),
    ("制发行政规范性文件3件。", "行政规范性文件", "3件", "normative_documents"),
    ("清理后现行有效的规范性文件40件。", "现行有效的规范性文件", "40件", None),
    ("发布政策解读23篇。", "政策解读", "23篇", "policy_interpretations"),
    ("召开新闻发布会4场。", "新闻发布会", "4场", "press_conferences"),
    ("全年共收到政府信息公开申请36件。", "政府信息公开申请", "36件", "requests_received"),
    ("上年结转政府信息公开申请2件。", "上年结转政府信息公开申请", "2件", None),
    ("其中网上申请30件。", "网上申请", "30件", "requests_online"),
    ("办理12345热线工单900件。", "12345热线工单", "900件", "hotline_tickets"),
    ("办理县长信箱来信51件。", "县长信箱来信", "51件", "mailbox_messages"),
    ("办理人大代表建议8件、政协提案11件。", "人大代表建议", "8件", "npc_suggestions"),
    ("办理人大建议、政协提案19件。", "人大建议、政协提案", "19件", None),
    ("举办专题培训3期，培训220人次。", "专题培训", "3期", "trainings"),
    ("发生行政复议2件。", "行政复议", "2件", "review_cases"),
    ("政府信息公开办结率100%。", "办结率", "100%", None),
    ("共收到申请5件，其中信函渠道2件。", "信函渠道", "2件", "requests_letter"),
    ("受理依申请公开9件，其中本年新收8件。", "本年新收", "8件", "requests_received"),
    ("受理群众来信34件，办结34件。", "办结", "34件", "mailbox_messages"),
    ("收到政府信息公开申请34件，办结34件。", "办结", "34件", "requests_answered"),
    ("微信公众号收到评论和留言300条。", "评论和留言", "300条", None),
    ("其中：部门文件53条。", "部门文件", "53条", "policy_documents"),
    ("公开财政预决算和工作报告等信息96条。", "财政预决算和工作报告等信息", "96条", None),
    ("核发申请户外广告设置许可证78条。", "申请户外广告设置许可证", "78条", None),
    ("同意公开答复9件。", "答复", "9件", None),
    ("依托微信公众号、视频号等平台，全年发布各类信息100余条。", "各类信息", "100余条", "new_media_posts"),
    ("其中，通过官方网站提交申请的30件。", "官方网站提交申请", "30件", "requests_online"),
])
def test_lexicon(sentence, item, qty, field):
    assert lexicon_field(ctx(sentence, item, qty)) == field


def test_second_clause_of_a_statement_is_not_a_total_once_broken_down():
    c = ctx("全县主动公开政府信息9000条，其中县政府门户网站公开信息5000条。", "信息", "5000条")
    assert c.breakdown
    assert lexicon_field(c) is None


def test_website_count_in_a_breakdown_is_the_total_only_when_none_is_stated():
    c = ctx("通过网站、新媒体等多种渠道发布信息，其中，通过政府网站发布信息800条。", "信息", "800条")
    assert c.breakdown and not c.total_stated
    assert lexicon_field(c) == "proactive_total"
    c = ctx("主动公开政府信息共900条。其中，通过局网站发布各类信息600条。", "各类信息", "600条")
    assert c.breakdown and c.total_stated
    assert lexicon_field(c) is None


def test_classifier_learns_unknown_items_and_round_trips_as_json(tmp_path):
    train = [(ctx("收到群众意见征集建议12件。", "意见征集建议", "12件"), "mailbox_messages"),
             (ctx("答复群众意见征集建议5件。", "群众意见征集建议", "5件"), "mailbox_messages"),
             (ctx("发布采购公告8条。", "采购公告", "8条"), None),
             (ctx("发布招标公告9条。", "招标公告", "9条"), None),
             (ctx("更新便民问答20条。", "便民问答", "20条"), None)] * 3
    clf = FieldClassifier.fit([c for c, _ in train], [f for _, f in train], threshold=0.5)
    probe = ctx("处理意见征集建议7件。", "意见征集建议", "7件")
    assert clf.predict(probe)[0] == "mailbox_messages"
    path = tmp_path / "field_classifier.json"
    clf.save(path)
    assert path.read_text(encoding="utf-8").startswith("{")
    loaded = FieldClassifier.load(path)
    assert loaded.probabilities(probe) == pytest.approx(clf.probabilities(probe), abs=1e-3)
    mapper = FieldMapper.from_dir(tmp_path)
    assert mapper.decide(probe)[0] == "mailbox_messages"
    assert mapper.decide(ctx("全年共收到政府信息公开申请36件。", "政府信息公开申请", "36件"))[0] == "requests_received"


def test_a_trained_classifier_reads_the_lexicon_as_a_hint_and_can_overrule_it():
    # The lexicon takes a plain 信息 count after a channel it does not know as the total; pairs
    # where people said "new-media posts" teach the classifier otherwise, in that context only.
    taught = ctx("在“学习强国”某县平台发布信息30条。", "信息", "30条")
    assert lexicon_field(taught) == "proactive_total"
    train = [(ctx(f"在“学习强国”某{p}平台发布信息{n}条。", "信息", f"{n}条"), "new_media_posts")
             for p, n in (("县", 12), ("区", 40), ("镇", 7), ("市", 95))]
    train += [(ctx(f"全年主动公开政府信息{n}条。", "政府信息", f"{n}条"), "proactive_total")
              for n in (120, 300, 48, 77)]
    train += [(ctx("发布采购公告8条。", "采购公告", "8条"), None),
              (ctx("办理县长信箱来信51件。", "县长信箱来信", "51件"), "mailbox_messages")]
    clf = FieldClassifier.fit([c for c, _ in train], [f for _, f in train])
    assert clf.reads_lexicon
    mapper = FieldMapper(clf)
    assert mapper.learned
    assert mapper.decide(taught)[0] == "new_media_posts"
    assert mapper.decide(ctx("全年主动公开政府信息66条。", "政府信息", "66条"))[0] == "proactive_total"
    # a field the classifier never saw stays the lexicon's
    assert mapper.decide(ctx("办理人大代表建议3件。", "人大代表建议", "3件"))[0] == "npc_suggestions"
    # an old classifier file (no reads_lexicon) only fills in where the lexicon is silent
    old = FieldClassifier(**{**clf.__dict__, "reads_lexicon": False})
    assert FieldMapper(old).decide(taught)[0] == "proactive_total"


def test_figures_say_how_sure_the_classifier_is_of_each_field():
    from extraction.figures.figures import figures_from_spans
    train = [(ctx(f"在“学习强国”某{p}平台发布信息{n}条。", "信息", f"{n}条"), "new_media_posts")
             for p, n in (("县", 12), ("区", 40), ("镇", 7), ("市", 95))]
    train += [(ctx(f"全年主动公开政府信息{n}条。", "政府信息", f"{n}条"), "proactive_total")
              for n in (120, 300, 48, 77)]
    train += [(ctx(f"发布{w}公告{n}条。", f"{w}公告", f"{n}条"), None)
              for w, n in (("采购", 8), ("招标", 9), ("拍卖", 3))]
    clf = FieldClassifier.fit([c for c, _ in train], [f for _, f in train])
    text = "全年主动公开政府信息88条，发布采购公告6条。"
    spans = [{"label": "ITEM", "start": 2, "end": 10}, {"label": "QTY", "start": 10, "end": 13},
             {"label": "ITEM", "start": 16, "end": 20}, {"label": "QTY", "start": 20, "end": 22}]
    total, notice = figures_from_spans(text, spans, mapper=FieldMapper(clf))
    probs = [clf.probabilities(ctx(text, "主动公开政府信息", "88条")), clf.probabilities(ctx(text, "采购公告", "6条"))]
    assert total["field"] == "proactive_total"
    assert total["field_score"] == pytest.approx(probs[0]["proactive_total"], abs=1e-4)
    assert notice["field"] is None  # "no field" is a decision too, with its own probability
    assert notice["field_score"] == pytest.approx(probs[1]["null"], abs=1e-4)
    # where the lexicon alone decides, no score is made up
    assert all(f["field_score"] is None for f in figures_from_spans(text, spans))


def test_two_class_probabilities_match_sklearn():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from extraction.figures.fields import pair_features
    train = [(ctx("发布采购公告8条。", "采购公告", "8条"), None),
             (ctx("更新便民问答20条。", "便民问答", "20条"), None),
             (ctx("办理县长信箱来信51件。", "县长信箱来信", "51件"), "mailbox_messages"),
             (ctx("办理市长信箱来信9件。", "市长信箱来信", "9件"), "mailbox_messages")]
    clf = FieldClassifier.fit([c for c, _ in train], [f for _, f in train])
    vec = TfidfVectorizer(analyzer=lambda f: f, sublinear_tf=True)
    X = vec.fit_transform([pair_features(c) for c, _ in train])
    ref = LogisticRegression(C=30.0, max_iter=2000).fit(X, [f or "null" for _, f in train])
    probe = ctx("办理区长信箱来信3件。", "区长信箱来信", "3件")
    expected = dict(zip(ref.classes_, ref.predict_proba(vec.transform([pair_features(probe)]))[0]))
    assert clf.probabilities(probe) == pytest.approx(expected)


def test_one_class_gives_a_classifier_that_maps_nothing():
    clf = FieldClassifier.fit([ctx("发布采购公告8条。", "采购公告", "8条")], [None])
    assert clf.predict(ctx("发布采购公告8条。", "采购公告", "8条"))[0] is None


def test_count_rank_marks_the_first_and_the_largest_count_of_a_unit():
    from extraction.figures.fields import PairContext, count_rank, pair_features
    text = "本年主动公开信息1,234条，其中政务动态56条，政策文件2件；网站发布信息1.5万条。"
    rank = {q: count_rank(text, text.index(q), q[-1]) for q in ("1,234条", "56条", "2件", "1.5万条")}
    assert rank == {"1,234条": "first", "56条": "", "2件": "firstlargest", "1.5万条": "largest"}
    i, q = text.index("主动公开信息"), text.index("1,234条")
    ctx = PairContext.from_text(text, i, i + 6, q, q + 6, "主动公开信息", "条")
    assert "rank:first" in pair_features(ctx)


def test_the_window_before_a_number_does_not_move_with_the_item_cut():
    """An item cut short or too long shifts the clause the classifier reads; the characters just
    before the number stay the same, so a cut item is still read in its words."""
    from extraction.figures.fields import WINDOW, PairContext, pair_features
    text = "通过政府门户网站共发布信息78条，其中工作动态37条。"
    q = text.index("78条")
    whole = PairContext.from_text(text, text.index("信息"), q, q, q + 3, "信息", "条")
    cut = PairContext.from_text(text, text.index("网站"), text.index("网站") + 2, q, q + 3, "网站", "条")
    assert whole.window == cut.window == text[q - WINDOW:q]
    window = {f for f in pair_features(whole) if f.startswith("w:")}
    assert window == {f for f in pair_features(cut) if f.startswith("w:")} and "w:信息" in window


def test_the_lexicons_opinion_is_crossed_with_the_breakdown_it_stands_in():
    """The lexicon's total inside a breakdown whose total is stated is a sub-count: the classifier
    gets the conjunction as one feature, which a linear model cannot form itself."""
    from extraction.figures.fields import PairContext, pair_features
    text = "全年主动公开政府信息279条，其中通过网站主动公开信息50条。"
    q = text.index("50条")
    i = text.rindex("主动公开信息")
    sub = PairContext.from_text(text, i, i + 6, q, q + 3, "主动公开信息", "条")
    assert sub.breakdown and sub.total_stated
    feats = pair_features(sub)
    assert f"lex:{sub.opinion}&ctx:total_stated" in feats and f"lex:{sub.opinion}&ctx:breakdown" in feats
    q = text.index("279条")
    total = PairContext.from_text(text, 2, q, q, q + 4, "主动公开政府信息", "条")
    assert not any("&ctx:total_stated" in f for f in pair_features(total))
