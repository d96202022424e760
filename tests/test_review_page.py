"""The review page of one report, parsed as HTML (the browser tests are in test_review_browser.py).

Records are built by `extraction.review.demo` (an invented report written as a real TXT file) or
by hand; the page reads the report's text back through the real reader.
"""
from __future__ import annotations

import copy
import json

import lxml.html
import pytest
from click.testing import CliRunner

from extraction.cli import main
from extraction.review import demo, render_page, review_page_name, write_review_page
from extraction.record import Check, Record
from extraction.review.involved import check_keys
from extraction.review.page import load_text
from extraction.template import REVIEW_COLUMNS, REVIEW_GROUPS, all_keys


@pytest.fixture
def sample(tmp_path):
    path, record = demo.build(tmp_path)
    return path, record.to_json()  # the tests edit the record as its JSON


def typed(record) -> Record:
    return record if isinstance(record, Record) else Record.from_json(record)


def page_of(record, text=None, problem=None):
    return lxml.html.fromstring(render_page(typed(record), text, problem))


def marked_text(root, mark_id):
    return "".join(e.text_content() for e in root.xpath(f'//*[contains(concat(" ", @data-ids, " "), " {mark_id} ")]'))


def test_text_marks_every_figure_and_links_qty_to_item(sample):
    path, record = sample
    root = page_of(record, load_text(typed(record)).text)
    for n, fig in enumerate(record["figures"]):
        assert marked_text(root, f"q{n}") == fig["qty"]
    links = json.loads(root.get_element_by_id("links-data").text)
    for n, fig in enumerate(record["figures"]):
        item_id = links["qty_item"][f"q{n}"]
        assert marked_text(root, item_id) == fig["item"]
        assert f"q{n}" in links["item_qtys"][item_id]
    qty = root.xpath('//span[@data-ids="q1"]')[0]
    assert "312" in qty.get("title") and "approx" in qty.get("title") and "news_updates" in qty.get("title")
    assert "score 0.97" in qty.get("title") and "field score" not in qty.get("title")
    # where the field classifier decided, how sure it was
    record["figures"][1]["field_score"] = 0.4213
    root = page_of(record, load_text(typed(record)).text)
    assert "news_updates (field score 0.42)" in root.xpath('//span[@data-ids="q1"]')[0].get("title")


def test_every_table_value_is_shown_and_linked_to_its_cell_text(sample):
    path, record = sample
    root = page_of(record, load_text(typed(record)).text)
    for key, value in record["values"].items():
        (td,) = root.xpath(f'//td[@data-key="{key}"]')
        assert td.text_content() == ("" if value is None else str(value)), key
        target = td.get("data-target")
        assert marked_text(root, target) == record["cells"][key]["raw"], key
    blank = root.xpath('//td[@data-key="proactive.enforcement.decisions"]')[0]
    assert "blank" in blank.get("class") and blank.text_content() == ""
    inferred = root.xpath('//td[@data-key="requests.unable.not_held.legal_services"]')[0]
    assert "inferred" in inferred.get("class").split()


def test_tables_have_the_template_shape(sample):
    _, record = sample
    root = page_of(record)
    assert len(root.xpath('//table[@id="table3"]//tr[@data-row]')) == 25
    for tr in root.xpath('//table[@id="table3"]//tr[@data-row]'):
        assert len(tr.xpath("td")) == 7
    assert len(root.xpath('//table[@id="table4"]//td')) == 15
    assert [td.get("data-key") for td in root.xpath('//table[@id="table4"]//td')] == \
        [f"{g}.{c}" for g in REVIEW_GROUPS for c in REVIEW_COLUMNS]
    labels = root.xpath('//table[@id="table3"]//th/text()')
    assert "1.属于国家秘密" in labels and "（三）不予公开" in labels and "法律服务机构" in labels
    assert "本年制发件数" in root.xpath('//table[@id="table2"]//th/text()')
    assert "未经复议直接起诉" in root.xpath('//table[@id="table4"]//th/text()')


def test_2019_format_and_single_other_row(sample):
    _, record = sample
    record = copy.deepcopy(record)
    record["template"] = "2019"
    record["values"] = {k: 1 for k in all_keys("2019", single_other=True)}
    record["cells"] = {}
    root = page_of(record)
    assert "本年新制作数量" in root.xpath('//table[@id="table2"]//th/text()')
    assert root.xpath('//td[@data-key="proactive.procurement.amount"]')
    rows = [tr.get("data-row") for tr in root.xpath('//table[@id="table3"]//tr[@data-row]')]
    assert len(rows) == 23 and "requests.other.total" in rows and "requests.other.other" not in rows


def test_failed_checks_are_listed_and_marked_on_their_cells(sample):
    _, record = sample
    root = page_of(record, load_text(typed(record)).text)
    failed = [c for c in record["checks"] if not c["ok"]]
    rows = root.xpath('//tr[contains(@class, "failed-check")]')
    assert len(rows) == len(failed) == 2
    # both sides: 自然人 new + carried over 22 vs total + carried forward 23; 结转 row total 3 vs sum 4
    assert [r.xpath("td")[2].text_content() for r in rows] == ["22", "3"]
    assert [r.xpath("td")[3].text_content() for r in rows] == ["23", "4"]
    for row, check in zip(rows, failed):
        cells = root.xpath(f'//td[contains(concat(" ", @data-checks, " "), " {row.get("data-check")} ")]')
        assert sorted(td.get("data-key") for td in cells) == sorted(check_keys(Check.from_json(check), record["values"]))
        assert all("fail" in td.get("class").split() for td in cells)
    # the misprinted value's span in the text is marked as part of a failed check too
    target = root.xpath('//td[@data-key="requests.carried_forward.natural_person"]')[0].get("data-target")
    span = root.xpath(f'//span[@data-ids="{target}"]')[0]
    assert "fail" in span.get("class").split()


def test_check_keys_per_rule():
    values = {"requests.other.total.total": 3}
    assert check_keys(Check.from_json({"rule": "balance", "key": "requests.*.research"}), {}) == [
        "requests.new.research", "requests.carried_over.research", "requests.total.research",
        "requests.carried_forward.research"]
    assert len(check_keys(Check.from_json({"rule": "row_total", "key": "requests.granted.*"}), {})) == 7
    keys = check_keys(Check.from_json({"rule": "outcome_sum", "key": "requests.total.total"}), values)
    assert keys[0] == "requests.total.total" and "requests.other.total.total" in keys and len(keys) == 20
    assert check_keys(Check.from_json({"rule": "review_total", "key": "litigation.direct.*"}), {})[-1] == "litigation.direct.total"
    assert check_keys(Check.from_json({"rule": "narrative_vs_table", "key": "requests.new.total"}),
                      {"requests.new.total": 5}) == ["requests.new.total"]
    assert check_keys(Check.from_json({"rule": "x", "key": "a", "keys": ["review.total"]}), {}) == ["review.total"]


def test_report_text_is_escaped(tmp_path):
    text = "<script>alert(1)</script>收到申请3件"
    (tmp_path / "x.txt").write_text(text, encoding="utf-8")
    record = {"source": str(tmp_path / "x.txt"), "title": "<img src=x onerror=alert(1)>",
              "values": {"review.total": None}, "cells": {"review.total": {"raw": "<b>", "start": 0, "end": 3}},
              "figures": [{"item": "申请", "qty": "3件", "start": 27, "end": 29, "item_start": 25,
                           "item_end": 27, "value": 3, "unit": "件"}],
              "checks": [], "warnings": ["<i>warn</i>"]}
    html = render_page(typed(record), text)
    root = lxml.html.fromstring(html)
    assert len(root.xpath("//script")) == 2  # the links data and the page's own script
    assert not root.xpath("//img") and not root.xpath("//i") and not root.xpath("//b[.='']")
    assert root.get_element_by_id("text").text_content() == text
    assert "<i>warn</i>" in root.get_element_by_id("warnings").text_content()


def test_offsets_that_do_not_fit_the_text_are_flagged_not_marked(sample):
    _, record = sample
    text = load_text(typed(record)).text
    record = copy.deepcopy(record)
    record["figures"][0]["start"] += 1        # now covers "526条，" instead of "1526条"
    record["figures"][1]["end"] = len(text) + 5
    root = page_of(record, text)
    problems = root.get_element_by_id("warnings").text_content()
    assert "figure 0 QTY: record says '1526条'" in problems
    assert "figure 1 ('312余条'): offsets" in problems
    assert not root.xpath('//*[contains(concat(" ", @data-ids, " "), " q1 ")]')


def test_changed_or_missing_source_shows_no_text(sample):
    path, record = sample
    path.write_text(path.read_text(encoding="utf-8") + "追加", encoding="utf-8")
    loaded = load_text(typed(record))
    assert loaded.text is None and "changed since it was extracted" in loaded.problem
    root = page_of(record, None, loaded.problem)
    assert "changed since" in root.get_element_by_id("no-text").text_content()
    assert root.xpath('//td[@data-key="requests.new.total"]')[0].text_content() == "24"
    path.unlink()
    assert "not there" in load_text(typed(record)).problem


def test_error_record_page_says_what_went_wrong(tmp_path):
    record = {"source": "reports/broken.pdf", "sha256": "ab" * 32,
              "error": {"type": "unreadable_pdf", "message": "no text layer (<scanned>)"}}
    out = write_review_page(typed(record), tmp_path / "e.html")
    root = lxml.html.fromstring(out.read_text(encoding="utf-8"))
    box = root.get_element_by_id("error").text_content()
    assert "unreadable_pdf" in box and "no text layer (<scanned>)" in box
    assert not root.xpath("//table")


def test_review_page_name_is_stable_safe_and_distinct():
    a = {"source": "a/报告 2023?.txt", "sha256": "0123456789abcdef" * 4}
    b = {"source": "b/报告 2023?.txt", "sha256": "fedcba9876543210" * 4}
    assert review_page_name(typed(a)) == "报告_2023_.txt-01234567.html"
    assert review_page_name(typed(a)) != review_page_name(typed(b))
    assert review_page_name(typed({"source": "x/../../etc/passwd"})).startswith("passwd-")
    assert "/" not in review_page_name(typed({"source": "/"}))


def test_cli_review_writes_the_page_beside_the_file(sample):
    path, _ = sample
    result = CliRunner().invoke(main, ["review", str(path), "--no-figures"])
    assert result.exit_code == 0, result.output
    out = path.with_name(path.stem + ".review.html")
    root = lxml.html.fromstring(out.read_text(encoding="utf-8"))
    assert root.get_element_by_id("text").text_content() == load_text(Record(source=str(path))).text
    # the real pipeline reads the sample as its hand-made record says: the page shows those values
    _, record = sample
    for key, value in record["values"].items():
        td = root.xpath(f'//td[@data-key="{key}"]')[0]
        assert td.text_content() == ("" if value is None else str(value)), key
    assert len(root.xpath('//tr[contains(@class, "failed-check")]')) == 2


def test_cli_review_of_an_unreadable_file_renders_its_error(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n garbage that is no PDF")
    result = CliRunner().invoke(main, ["review", str(bad), "--no-figures", "-o", str(tmp_path / "b.html")])
    assert result.exit_code == 0, result.output
    root = lxml.html.fromstring((tmp_path / "b.html").read_text(encoding="utf-8"))
    assert root.get_element_by_id("error") is not None


def test_a_blank_cell_printed_empty_is_linked_not_flagged():
    text = "行政复议\n1\t\t3\n"
    record = {"source": "x.txt", "values": {"review.upheld": 1, "review.corrected": None, "review.total": 3},
              "cells": {"review.upheld": {"raw": "1", "start": 5, "end": 6},
                        "review.corrected": {"raw": "", "start": 7, "end": 7},
                        "review.total": {"raw": "3", "start": 8, "end": 9}},
              "figures": [], "checks": [], "warnings": []}
    root = page_of(record, text)
    td = root.xpath('//td[@data-key="review.corrected"]')[0]
    (anchor,) = root.xpath(f'//span[@data-ids="{td.get("data-target")}"]')
    assert "empty" in anchor.get("class").split() and anchor.text_content() == ""
    assert root.get_element_by_id("warnings").text_content() == "Warnings: none"
    assert root.get_element_by_id("text").text_content() == text


def test_many_mismatched_spans_are_counted_not_all_listed(sample):
    _, record = sample
    text = load_text(typed(record)).text
    record = copy.deepcopy(record)
    for cell in record["cells"].values():
        cell["raw"] = "x"
    items = page_of(record, text).xpath('//section[@id="warnings"]//li')
    assert len(items) == 1 + 30 + 1
    compared = [c for c in record["cells"].values() if not c.get("inferred")]  # inferred: raw may differ
    assert items[-1].text_content() == f"review: … and {len(compared) - 30} more spans that do not match the text"


def test_page_is_self_contained(sample):
    _, record = sample
    html = render_page(typed(record), load_text(typed(record)).text)
    root = lxml.html.fromstring(html)
    assert not root.xpath("//script[@src] | //link | //img[not(starts-with(@src, 'data:'))] | //iframe")
    assert not [a for a in root.xpath("//@href") if not a.startswith("#")]
    assert "@import" not in html and "url(" not in html


def test_figures_from_the_rule_tagger_are_marked(sample):
    """Figures as the real rule layer makes them (extraction.figures) fit the page."""
    from extraction.figures.figures import figures_from_spans
    from extraction.figures.weak import weak_spans
    _, record = sample
    text = load_text(typed(record)).text
    record = dict(record, figures=figures_from_spans(text, weak_spans(text), by="rule"))
    assert record["figures"]
    root = page_of(record, text)
    assert "review:" not in root.get_element_by_id("warnings").text_content()
    for n, fig in enumerate(record["figures"]):
        assert marked_text(root, f"q{n}") == fig["qty"]


def test_a_cell_not_read_shows_unknown_and_its_check_not_checked(sample):
    from extraction.checks import run_checks
    path, record = sample
    record = copy.deepcopy(record)
    key = "requests.new.total"
    record["values"][key] = None
    record["cells"][key]["status"] = "not_read"
    record["checks"] = run_checks(record["values"], "2021", {key})
    root = page_of(record, load_text(typed(record)).text)
    (td,) = root.xpath(f'//td[@data-key="{key}"]')
    assert "unread" in td.get("class").split() and td.text_content() == "?"
    assert "not read" in td.get("title")
    head = root.get_element_by_id("checks").text_content()
    assert "2 not checked" in head and key in head
    assert not any(c["ok"] is False for c in record["checks"] if c["key"] in ("requests.new.*", "requests.*.total"))
