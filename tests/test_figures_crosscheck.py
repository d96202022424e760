from extraction.document import DocumentBuilder
from extraction.figures.crosscheck import narrative_vs_table
from extraction.figures.figures import figures_from_spans
from extraction.figures.narrative import narrative_regions
from extraction.figures.weak import weak_spans
from extraction.sections import find_sections


def figures_of(text):
    return figures_from_spans(text, weak_spans(text), by="rule")


def test_text_saying_no_requests_against_a_table_with_51_fails():
    text = "二、依申请公开情况\n本年度区政府办未收到依申请公开事项。全年未发生行政复议、行政诉讼。\n"
    values = {"requests.new.total": 51, "review.total": 0,
              "litigation.direct.total": 0, "litigation.after_review.total": 0}
    checks = {c["key"]: c for c in narrative_vs_table(figures_of(text), values, text)}
    req = checks["requests_received"]
    assert req["ok"] is False and req["left"] == 0 and req["right"] == 51
    assert "未收到依申请公开" in req["detail"]
    assert checks["review_cases"]["ok"] is True
    assert checks["litigation_cases"]["ok"] is True


def test_stated_figures_compare_and_approximate_ones_do_not():
    text = "全年共收到政府信息公开申请36件。发生行政复议约3件，行政诉讼2件。"
    values = {"requests.new.total": 36, "review.total": 4,
              "litigation.direct.total": 1, "litigation.after_review.total": 2}
    checks = {c["key"]: c for c in narrative_vs_table(figures_of(text), values, text)}
    assert checks["requests_received"]["ok"] is True
    assert "review_cases" not in checks  # 约3件 is not exact: no comparison
    lit = checks["litigation_cases"]
    assert (lit["ok"], lit["left"], lit["right"]) == (False, 2, 3)


def test_outcomes_are_not_statements_of_none():
    from extraction.figures.crosscheck import zero_statements
    assert zero_statements("无法提供的政府信息公开申请3件，均已告知。") == []
    assert [z["field"] for z in zero_statements("未发生因政府信息公开申请引起的行政复议。")] == ["review_cases"]
    assert [z["field"] for z in zero_statements("未收到依申请公开行政复议案件。")] == ["review_cases"]
    assert zero_statements("未发生行政复议被纠错情况。") == []
    found = zero_statements("本年度无依申请公开。全年未发生因政府信息公开引起的行政复议、行政诉讼。")
    assert sorted(z["field"] for z in found) == ["litigation_cases", "requests_received", "review_cases"]


def test_no_check_without_the_table_value():
    text = "全年共收到政府信息公开申请36件。"
    assert narrative_vs_table(figures_of(text), {}, text) == []


def test_narrative_regions_exclude_table_cells():
    b = DocumentBuilder()
    b.add_paragraph("一、总体情况")
    b.add_paragraph("全年主动公开政府信息共805条。")
    b.add_table([["信息内容", "本年制发件数"], ["规章", "12件"], ["规范性文件", "7件"]])
    b.add_paragraph("举办培训3期。")
    doc = b.build()
    regions = narrative_regions(doc, sections=[])
    covered = "".join(doc.text[a:e] for a, e in regions)
    assert "805条" in covered and "3期" in covered
    assert "12件" not in covered and "规范性文件" not in covered
    qtys = [s["text"] for s in weak_spans(doc.text, regions) if s["label"] == "QTY"]
    assert qtys == ["805条", "3期"]


def test_narrative_regions_skip_tables_flattened_into_lines():
    from extraction.document import document_from_text
    doc = document_from_text("发布政策文件9件。\n规章\t0\t3\n| 规范性文件 | 5件 |\n125\n办结申请4件。\n")
    qtys = [s["text"] for s in weak_spans(doc.text, narrative_regions(doc, sections=[]))
            if s["label"] == "QTY"]
    assert qtys == ["9件", "4件"]


def test_seed_001_says_no_requests_but_its_table_says_51():
    import json
    from conftest import shared_path
    from extraction.pipeline import read_document
    seed = shared_path("seeds", "001_1160e2568716ca2c.txt")
    values = json.loads(shared_path("gold", "seeds", "001_1160e2568716ca2c.json")
                        .read_text(encoding="utf-8"))["values"]
    doc = read_document(seed)
    regions = narrative_regions(doc)
    figures = figures_from_spans(doc.text, weak_spans(doc.text, regions), by="rule")
    checks = {c["key"]: c for c in narrative_vs_table(figures, values, doc.text, regions)}
    req = checks["requests_received"]
    assert (req["ok"], req["left"], req["right"]) == (False, 0, 51)


def test_prose_under_a_table_heading_keeps_a_year_but_not_a_flattened_row():
    # Regression: a sentence starting "2022年" under heading 三 was dropped as table-like.
    b = DocumentBuilder()
    b.add_paragraph("一、总体情况")
    b.add_paragraph("本年度各项工作有序推进。")
    b.add_paragraph("三、收到和处理政府信息公开申请情况")
    b.add_paragraph("2022年，县农业局共收到政府信息公开申请1234件，其中予以公开17件，均按时办结。")
    b.add_paragraph("自然人，法人或其他组织，商业企业，科研机构，总计 0 3 5 8")
    b.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    doc = b.build()
    regions = narrative_regions(doc, find_sections(doc))
    covered = "".join(doc.text[a:e] for a, e in regions)
    assert "1234件" in covered and "17件" in covered
    assert "0 3 5 8" not in covered
