"""The review and summary pages in a real headless Chromium (Debian `chromium` + `chromium-driver`,
driven by selenium): no console errors, marks and values in the DOM, hover and click behave,
and a screenshot is taken. Skipped, with the reason, where Chromium or selenium is absent.

`XXGK_SCREENSHOT=extraction/review/screenshot.png pytest tests/test_review_browser.py` also
refreshes the screenshot shipped in the repo.
"""
from __future__ import annotations

import os
import shutil

import pytest

from extraction.record import Record
from extraction.review import demo, review_page_name, write_review_page, write_summary

from browser import browser, console_errors, css, open_page  # noqa: F401  (browser: a fixture)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    root = tmp_path_factory.mktemp("review")
    path, record = demo.build(root / "in")
    error = Record.failed("gone.pdf", "e" * 64, "unreadable_pdf", "x")
    out = root / "out"
    summary = write_summary([record, error], out, pages="all")
    return {"record": record, "review": out / "reviews" / review_page_name(record),
            "error": out / "reviews" / review_page_name(error), "summary": summary, "root": root}


def test_console_errors_are_caught(browser, tmp_path):
    """The harness sees a script error (so 'no console errors' below means something)."""
    bad = tmp_path / "bad.html"
    bad.write_text("<html><body><script>undefinedFunction();</script></body></html>")
    open_page(browser, bad)
    assert console_errors(browser)


def test_review_page_in_chromium(browser, pages, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    record = pages["record"]
    open_page(browser, pages["review"])
    assert console_errors(browser) == []
    qtys = css(browser, '#text span[data-ids~="q0"], #text span[data-ids~="q1"], #text span[data-ids~="q2"],'
                        '#text span[data-ids~="q3"], #text span[data-ids~="q4"]')
    assert [e.text for e in qtys] == [f.qty for f in record.figures]
    assert css(browser, '#table3 td[data-key="requests.new.total"]')[0].text == "24"
    assert len(css(browser, "#table3 tr[data-row]")) == 25

    # hovering a QTY outlines its ITEM and draws the link between them
    ActionChains(browser).move_to_element(qtys[1]).perform()
    item_id = browser.execute_script(
        "return JSON.parse(document.getElementById('links-data').textContent).qty_item.q1")
    item = css(browser, f'#text span[data-ids~="{item_id}"]')[0]
    assert item.text == "政务动态信息" and "pair" in item.get_attribute("class")
    assert len(css(browser, "#links path.link-curve")) == 1
    assert "312" in css(browser, "#info")[0].text

    # clicking a table value scrolls the text to its span and flashes it
    td = css(browser, '#table3 td[data-key="requests.carried_forward.natural_person"]')[0]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", td)
    td.click()
    target = css(browser, f'#text span[data-ids~="{td.get_attribute("data-target")}"]')[0]
    assert "flash" in target.get_attribute("class")
    assert target.text == record.cells["requests.carried_forward.natural_person"].raw
    assert browser.execute_script(
        "var p = document.getElementById('text-pane').getBoundingClientRect(),"
        " r = arguments[0].getBoundingClientRect(); return r.top >= p.top && r.bottom <= p.bottom;", target)

    # clicking a failed check marks the cells it adds up
    css(browser, "tr.failed-check")[0].click()
    focused = {e.get_attribute("data-key") for e in css(browser, "td.focus")}
    assert focused == {f"requests.{r}.natural_person" for r in ("new", "carried_over", "total", "carried_forward")}
    assert console_errors(browser) == []

    shot = tmp_path / "review.png"
    browser.execute_script("window.scrollTo(0, 0); document.getElementById('text-pane').scrollTop = 0;"
                           "document.querySelectorAll('.flash,.focus').forEach(function (e) {"
                           " e.classList.remove('flash'); e.classList.remove('focus'); });")
    browser.set_window_size(1500, 1400)  # tall enough to show table 3 with its failed cells
    ActionChains(browser).move_to_element(qtys[1]).perform()
    assert browser.save_screenshot(str(shot)) and shot.read_bytes()[:4] == b"\x89PNG"
    if os.environ.get("XXGK_SCREENSHOT"):
        shutil.copy(shot, os.environ["XXGK_SCREENSHOT"])


def test_error_page_in_chromium(browser, pages):
    open_page(browser, pages["error"])
    assert console_errors(browser) == []
    assert "unreadable_pdf" in css(browser, "#error")[0].text


def test_summary_page_in_chromium(browser, pages, tmp_path):
    open_page(browser, pages["summary"])
    assert console_errors(browser) == []
    assert css(browser, "#n-reports b")[0].text == "2"
    plots = css(browser, "#plots svg.plot")
    assert len(plots) >= 4
    # Drawn: each plot has its size and its bars are laid out with their heights.
    assert all(p.size["width"] > 400 and p.size["height"] > 100 for p in plots)
    bars = css(browser, "#plots svg.plot rect.bar")
    assert bars and max(b.size["height"] for b in bars) > 5
    link = css(browser, "a.review-link")[0]
    link.click()
    assert browser.title == pages["record"].title
    assert css(browser, '#table3 td[data-key="requests.new.total"]')[0].text == "24"
    assert console_errors(browser) == []
    assert browser.save_screenshot(str(tmp_path / "summary.png"))
