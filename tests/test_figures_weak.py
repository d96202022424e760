from extraction.figures.weak import find_quantities, weak_spans
from training.silver import silver_corpus


def qtys(text):
    return [s.text for s in find_quantities(text)]


def test_tags_quantities_with_their_units():
    text = "2024年，本局主动公开政府信息共1520余条，其中工作动态360条，举办培训两期，办结率100%。"
    assert qtys(text) == ["1520余条", "360条", "两期", "100%"]


def test_exclusions_of_the_guideline():
    text = ("根据《条例》第二十条和青政办〔2021〕30号文件，于2024年12月31日前，在20个工作日内答复；"
            "通过12345热线、“一网通办”和“三审三校”制度，本报告由六部分组成，从三个方面推进，"
            "联系电话0571-87654321，一是加强领导。")
    assert qtys(text) == []


def test_a_count_right_after_a_year_word_is_kept():
    assert qtys("全年1200余条信息均已公开，2023年12月31日前办结。") == ["1200余条"]


def test_numeral_cut_off_by_the_end_of_text_is_not_a_quantity():
    assert qtys("全年共收到申请12") == []


def test_weak_spans_links_items_and_normalises():
    text = "全年主动公开政府信息共805条，清理后保留的12个政务新媒体账号，受理依申请公开9件。"
    spans = weak_spans(text)
    by_id = {s["id"]: s for s in spans}
    pairs = {s["text"]: (by_id[s["item"]]["text"] if s["item"] is not None else None, s["value"])
             for s in spans if s["label"] == "QTY"}
    assert pairs == {"805条": ("主动公开政府信息", 805), "12个": ("政务新媒体账号", 12),
                     "9件": ("依申请公开", 9)}
    for s in spans:
        assert text[s["start"]:s["end"]] == s["text"]


def test_item_after_a_count_skips_a_copula():
    text = "共收到政府信息公开申请10件，其中9件为网上申请，1件为书面申请。"
    spans = weak_spans(text)
    by_id = {s["id"]: s for s in spans}
    items = [by_id[s["item"]]["text"] for s in spans if s["label"] == "QTY"]
    assert items == ["政府信息公开申请", "网上申请", "书面申请"]


def test_items_never_overlap_quantities():
    spans = weak_spans("组织3个部门两场培训。")
    assert [(s["label"], s["text"]) for s in spans] == [("ITEM", "部门"), ("QTY", "3个"), ("QTY", "两场")]


def test_silver_corpus_reads_every_shared_text_and_excludes_test_docs(tmp_path):
    (tmp_path / "corpus" / "narrative").mkdir(parents=True)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "corpus" / "narrative" / "n1.txt").write_text(
        "青石县2024年政务公开工作年度报告\n全年主动公开政府信息共805条，举办培训3期。\n", encoding="utf-8")
    (tmp_path / "corpus" / "narrative" / "n2.txt").write_text(
        "白鹭镇全年受理政府信息公开申请6件，办结6件。\n", encoding="utf-8")
    (tmp_path / "seeds" / "s1.txt").write_text(
        "一、总体情况\n本年度发布政策文件12件。\n", encoding="utf-8")
    docs = silver_corpus(tmp_path, exclude={"n2.txt"}, fields=True)
    names = {d.doc.split("#")[0] for d in docs}
    assert names == {"n1.txt", "s1.txt"}
    qty = {s["text"]: s["field"] for d in docs for s in d.qtys}
    assert qty == {"805条": "proactive_total", "3期": "trainings", "12件": "policy_documents"}
    for d in docs:
        for s in d.spans:
            assert d.text[s["start"]:s["end"]] == s["text"]


def test_silver_leaves_out_dev_gold_documents_by_default(tmp_path):
    (tmp_path / "corpus" / "narrative").mkdir(parents=True)
    (tmp_path / "gold").mkdir()
    for name in ("n1.txt", "n2.txt"):
        (tmp_path / "corpus" / "narrative" / name).write_text("全年办结申请6件。\n", encoding="utf-8")
    (tmp_path / "gold" / "narrative-dev.jsonl").write_text(
        '{"doc": "n1.txt", "sha256": "", "spans": []}\n', encoding="utf-8")
    assert {d.doc.split("#")[0] for d in silver_corpus(tmp_path)} == {"n2.txt"}
    assert {d.doc.split("#")[0] for d in silver_corpus(tmp_path, exclude=())} == {"n1.txt", "n2.txt"}
