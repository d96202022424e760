"""The batch summary page: counts, distributions (inline SVG plots), top failing reports."""
from __future__ import annotations

import base64
import json

import lxml.html
import pytest
from hypothesis import given, settings, strategies as st
from click.testing import CliRunner

from extraction.cli import main
from extraction.review import demo, review_page_name, write_summary
from extraction.record import Record
from extraction.review.summary import summarize, top_failing


def check(rule, ok, key="k"):
    return {"rule": rule, "key": key, "ok": ok, "left": 1, "right": 1 if ok else 2, "detail": ""}


def records():
    return [Record.from_json(r) for r in [
        {"source": "a.txt", "sha256": "a" * 64, "format": "txt", "year": 2023,
         "values": {"requests.new.total": 10, "requests.new.natural_person": 9,
                    "requests.new.commercial": 1, "requests.granted.total": 6,
                    "requests.denied.state_secret.total": 1, "requests.denied.process_info.total": 2,
                    "requests.other.total.total": 1, "review.total": 2, "litigation.direct.total": None},
         "figures": [{"field": "proactive_total", "value": 1200}, {"field": None, "value": 3}],
         "checks": [check("balance", False), check("row_total", False), check("row_total", False),
                    check("review_total", True)],
         "warnings": ["missing table 4 (行政复议、行政诉讼情况): no values found"]},
        {"source": "b.html", "sha256": "b" * 64, "format": "html", "year": 2022,
         "values": {"requests.new.total": 4, "requests.new.natural_person": 4, "requests.granted.total": 4,
                    "litigation.after_review.total": 1},
         "figures": [{"field": "proactive_total", "value": 300}],
         "checks": [check("balance", False), check("balance", True)], "warnings": []},
        {"source": "c.docx", "sha256": "c" * 64, "format": "docx", "year": 2022,
         "values": {}, "figures": [], "checks": [check("balance", True)],
         "warnings": ["missing table 3 (x): no values found 12"]},
        {"source": "d.pdf", "sha256": "d" * 64, "error": {"type": "unreadable_pdf", "message": "scan"}},
        {"source": "e.doc", "sha256": None, "error": {"type": "unreadable_file", "message": "<gone>"}},
    ]]


def test_summarize_counts_reports_rules_and_numbers():
    s = summarize(records())
    assert (s.n_reports, s.n_read, s.n_errors, s.n_failed, s.n_warned) == (5, 3, 2, 2, 2)
    assert s.errors_by_type == {"unreadable_pdf": 1, "unreadable_file": 1}
    assert s.rule_reports == {"balance": 2, "row_total": 1}
    assert s.rule_checks == {"balance": 2, "row_total": 2}
    assert s.key_reports == {("balance", "k"): 2, ("row_total", "k"): 1}
    assert s.outcomes["granted"] == 10 and s.outcomes["denied"] == 3 and s.outcomes["other"] == 1
    assert s.applicants["natural_person"] == 13 and s.applicants["commercial"] == 1
    assert sorted(s.new_totals) == [4, 10] and sorted(s.review_totals) == [1, 2]
    assert s.figure_fields == {"proactive_total": [1200, 300]}
    assert s.formats == {"txt": 1, "html": 1, "docx": 1}


def test_top_failing_orders_by_failed_checks():
    top = top_failing(records())
    assert [(r.source, len(f)) for r, f in top] == [("a.txt", 3), ("b.html", 1)]


def test_summary_page_links_reports_to_their_review_pages(tmp_path):
    path, record = demo.build(tmp_path / "in")
    recs = [record] + records()
    out = write_summary(recs, tmp_path / "out", pages="all")
    root = lxml.html.fromstring(out.read_text(encoding="utf-8"))
    assert root.get_element_by_id("n-reports").text_content().startswith("6")
    assert root.get_element_by_id("n-errors").text_content().startswith("2")
    assert root.get_element_by_id("n-failed").text_content().startswith("3")
    rules = root.get_element_by_id("rules").text_content()
    assert "balance" in rules and "row_total" in rules
    assert "requests.carried_forward.*" in root.get_element_by_id("rule-keys").text_content()
    # every record got its page; the summary links the ones it lists
    for r in recs:
        assert (tmp_path / "out" / "reviews" / review_page_name(r)).is_file()
    hrefs = [a.get("href") for a in root.xpath('//a[@class="review-link"]')]
    assert f"reviews/{review_page_name(record)}" in hrefs
    assert "<gone>" in root.get_element_by_id("errors").text_content()
    top = root.get_element_by_id("top").xpath(".//tr/td[1]")
    assert top[0].text_content() == "a.txt"  # 3 failed checks before the sample's 2
    # the plots are inline SVG, nothing is fetched
    plots = root.get_element_by_id("plots").xpath('.//*[local-name()="svg"]')
    assert len(plots) >= 4 and not root.xpath("//img")
    assert not root.xpath("//script[@src] | //link[@href]")
    assert len(root.get_element_by_id("all").xpath(".//tr")) == 1 + len(recs)


def svg_plot(root, caption: str):
    (fig,) = [f for f in root.get_element_by_id("plots").xpath(".//figure")
              if f.xpath("string(figcaption)").startswith(caption)]
    return fig.xpath('.//*[local-name()="svg"]')[0]


def test_plots_draw_the_batchs_numbers(tmp_path):
    root = lxml.html.fromstring(write_summary(records(), tmp_path).read_text(encoding="utf-8"))
    # Outcomes: one bar per outcome, top to bottom in order, each with its sum written beside it.
    outcomes = svg_plot(root, "Requests by outcome")
    bars = outcomes.xpath('.//*[local-name()="rect"]')
    assert [b.xpath("string(*[local-name()='title'])") for b in bars][:4] == [
        "granted: 10", "partially granted: 0", "denied: 3", "unable: 0"]
    assert [float(b.get("y")) for b in bars] == sorted(float(b.get("y")) for b in bars)
    widths = {b.xpath("string(*[local-name()='title'])").split(":")[0]: float(b.get("width")) for b in bars}
    assert widths["granted"] > widths["denied"] > widths["other"] > widths["unable"] == 0
    assert [t.text for t in outcomes.xpath('.//*[@class="value"]')][:3] == ["10", "0", "3"]
    # New requests per report (4 and 10): two reports in two bins, the rest empty.
    counts = [int(b.get("data-count")) for b in svg_plot(root, "New requests per report")
              .xpath('.//*[local-name()="rect"]')]
    assert sum(counts) == 2 and counts[0] == counts[-1] == 1
    texts = svg_plot(root, "New requests per report").xpath('.//*[local-name()="text"]/text()')
    assert "requests.new.total" in texts and "reports" in texts
    # A figure field with one value still gets a bar.
    one = svg_plot(root, "Narrative figure proactive_total")
    assert sum(int(b.get("data-count")) for b in one.xpath('.//*[local-name()="rect"]')) == 2


def test_nice_ticks_cover_the_range_in_round_steps():
    from extraction.review.plots import nice_ticks
    assert nice_ticks(0, 10) == [0, 2, 4, 6, 8, 10]
    assert nice_ticks(0, 1234) == [0, 500, 1000, 1500]
    assert nice_ticks(0, 3) == [0, 0.5, 1, 1.5, 2, 2.5, 3] and nice_ticks(0, 3, whole=True) == [0, 1, 2, 3]
    ticks = nice_ticks(3.5, 4.5)
    assert ticks[0] <= 3.5 and ticks[-1] >= 4.5 and len(ticks) <= 8


def test_summary_without_pages_does_not_link_missing_pages(tmp_path):
    out = write_summary(records(), tmp_path)
    root = lxml.html.fromstring(out.read_text(encoding="utf-8"))
    assert not root.xpath("//a")
    assert "a.txt" in root.get_element_by_id("top").text_content()


def test_summary_writes_pages_only_for_listed_reports(tmp_path):
    recs = records()
    write_summary(recs, tmp_path, pages="listed")
    written = {p.name for p in (tmp_path / "reviews").iterdir()}
    # a.txt and b.html failed checks, d.pdf and e.doc could not be read; c.docx passed
    assert written == {review_page_name(r) for r in recs if r.source != "c.docx"}
    with pytest.raises(ValueError):
        write_summary(recs, tmp_path, pages="some")


def test_summary_of_nothing(tmp_path):
    root = lxml.html.fromstring(write_summary([], tmp_path).read_text(encoding="utf-8"))
    assert root.get_element_by_id("n-reports").text_content().startswith("0")
    assert "no data" in root.get_element_by_id("plots").text_content()


def test_cli_summary_from_records_jsonl(tmp_path):
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text("".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in records()), encoding="utf-8")
    result = CliRunner().invoke(main, ["review", "--summary", str(jsonl), "-o", str(tmp_path / "s" / "sum.html"),
                                       "--pages", "all"])
    assert result.exit_code == 0, result.output
    root = lxml.html.fromstring((tmp_path / "s" / "sum.html").read_text(encoding="utf-8"))
    assert root.get_element_by_id("n-reports").text_content().startswith("5")
    assert (tmp_path / "s" / "reviews" / review_page_name(records()[3])).is_file()
    jsonl.write_text("{not json\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["review", "--summary", str(jsonl)])
    assert result.exit_code != 0 and "records.jsonl:1" in result.output


def test_demo_writes_report_record_page_and_summary(tmp_path):
    demo.main([str(tmp_path)])
    (record,) = [json.loads(line) for line in (tmp_path / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    assert (tmp_path / "qingchuan-demo-2023.review.html").is_file()
    assert (tmp_path / "reviews" / review_page_name(Record.from_json(record))).is_file()
    assert (tmp_path / "summary.html").is_file()


def test_every_report_shows_cells_read_of_expected_and_checks_not_checked(tmp_path):
    from extraction.record import Check, Coverage
    recs = records()
    recs[0].coverage = Coverage(198, 200)
    recs[0].checks.append(Check(rule="row_total", key="requests.new.*", ok=None,
                                not_checked="needs cells that were not read: requests.new.total"))
    recs[1].coverage = Coverage(200, 200)
    root = lxml.html.fromstring(write_summary(recs, tmp_path).read_text("utf-8"))
    rows = {tr.xpath("td")[1].text_content(): [td.text_content() for td in tr.xpath("td")]
            for tr in root.get_element_by_id("all").xpath(".//tr[td]")}
    assert rows["a.txt"][2:4] == ["3 failed, 1 not checked", "198 / 200"]
    assert rows["b.html"][3] == "200 / 200"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=30))
def test_any_numbers_make_a_histogram_counting_each_once(values):
    from extraction.review.plots import histogram
    root = lxml.html.fromstring(histogram(values, "x"))
    assert sum(int(b.get("data-count")) for b in root.xpath('.//*[local-name()="rect"]')) == len(values)
