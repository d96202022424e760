"""compare.html in a real headless Chromium: self-contained, no console errors, the charts drawn,
a value clicked opens its report's review page.

`XXGK_SCREENSHOT=extraction/compare/screenshot.png pytest tests/test_compare_browser.py` also
refreshes the screenshot shipped in the repo (invented data: extraction.compare.demo).
"""
from __future__ import annotations

import os
import re
import shutil

import pytest

from extraction.compare import CompareSettings, demo, run_compare

from browser import browser, console_errors, css, open_page  # noqa: F401  (browser: a fixture)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    root = tmp_path_factory.mktemp("compare-page")
    d = demo.build(root)
    out = root / "out"
    result = run_compare([d.records, d.repeat], out, CompareSettings(write_reviews=True))
    return d, out / "compare.html", result


def test_the_page_fetches_nothing(page):
    html = page[1].read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html)
    assert "<script" not in html


def test_compare_page_in_chromium(browser, page, tmp_path):
    d, path, result = page
    open_page(browser, path)
    assert console_errors(browser) == []
    sections = css(browser, "section.agency")
    assert [s.get_attribute("data-agency") for s in sections] == sorted(result.agencies)
    assert css(browser, "#n-agencies b")[0].text == "3" and css(browser, "#n-reports b")[0].text == "11"

    # charts: one dot per report that has the value, the line broken at water's missing 2022
    water = browser.find_element("css selector", f'section.agency[data-agency="{demo.WATER}"]')
    chart = water.find_element("css selector", 'figure[data-key="requests.new.total"] svg')
    assert chart.size["width"] > 100 and chart.size["height"] > 50
    assert len(chart.find_elements("css selector", "circle.pt")) == 5
    lines = chart.find_elements("css selector", "polyline.series")
    assert [len(p.get_attribute("points").split()) for p in lines] == [3]  # 2019–2021; 2023 stands alone
    assert water.find_elements("css selector", "circle.pt.large")

    # the table: large changes and failed cross-year checks highlighted, notes said
    assert water.find_elements("css selector", "td.v.large")
    assert len(css(browser, "table.cross tr.xfail")) == sum(c["ok"] is False for c in result.cross_year)
    assert css(browser, "td.v.xfail")
    kinds = {e.get_attribute("data-kind") for e in css(browser, "tr.note-row")}
    assert {"missing_years", "several_reports", "year_conflict", "name_merged", "unreadable"} <= kinds
    narrative = water.find_elements("css selector", 'tr.narrative[data-key="figures.proactive_total"] td.v')
    assert [td.text for td in narrative] == [str(dict((i, v) for i, v, _ in r.figures)["主动公开政府信息"])
                                             for r in d.reports if r.agency == demo.WATER]
    assert console_errors(browser) == []

    shot = tmp_path / "compare.png"
    browser.set_window_size(1400, 1500)
    browser.execute_script("window.scrollTo(0, 0)")
    assert browser.save_screenshot(str(shot)) and shot.read_bytes()[:4] == b"\x89PNG"
    if os.environ.get("XXGK_SCREENSHOT"):
        shutil.copy(shot, os.environ["XXGK_SCREENSHOT"])

    # a value links to its report's review page
    cell = water.find_element("css selector", 'tr[data-key="requests.new.total"] td.v[data-year="2020"] a')
    value = cell.text
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    cell.click()
    assert browser.title == f"{demo.WATER}2020年政府信息公开工作年度报告"
    assert css(browser, '#table3 td[data-key="requests.new.total"]')[0].text == value
    assert console_errors(browser) == []
