"""The Policy finder and Statistics tabs in a real Chromium against a real `serve`."""

from __future__ import annotations

import csv
import json
import re
import threading
import time
from contextlib import ExitStack

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browsing import choose_tab, open_app, reopen, shot, submit
from tests.fakes import FakeFinder, fake_app
from tests.serving import serving_blocks

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]
NOTHING = "No specific measure found in the indexed documents for this description."


def _open(browser, server, tab: str, width: int = 1366, height: int = 860):
    context, opened = open_app(browser, server, width, height, accept_downloads=True)
    choose_tab(opened, tab)
    return context, opened


@pytest.fixture
def finder_page(shared_page, server):
    choose_tab(reopen(shared_page, server), "Policy finder")
    shared_page.wait_for_selector("#ftz-profile textarea")
    return shared_page


@pytest.fixture
def stats_page(shared_page, server):
    choose_tab(reopen(shared_page, server), "Statistics")
    _wait_for_count(shared_page, lambda n: n > 0)
    return shared_page


def describe(page, text: str) -> None:
    submit(page, "#ftz-profile textarea", text)


def _filter(page, text: str) -> None:
    page.locator("#ftz-facts-filter input, #ftz-facts-filter textarea").fill(text)


def _wait_for_table(page, text: str) -> None:
    page.wait_for_function(
        "t => (document.querySelector('#ftz-facts')?.innerText || '').includes(t)", arg=text,
        timeout=30_000)


def _shown(page) -> int | None:
    """The number of figures the table shows (None while it is being updated)."""
    found = re.match(r"(\d+) of \d+ figures", page.locator("#ftz-facts-count").inner_text())
    return int(found[1]) if found else None


def _wait_for_count(page, wanted, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        shown = _shown(page)
        if shown is not None and wanted(shown):
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"the table shows {_shown(page)} figures")


def test_the_finder_puts_the_fitting_measure_first_with_its_source(finder_page) -> None:
    describe(finder_page, "We import iron ore from several countries and want to blend it "
                          "under bond in Dalian")
    finder_page.wait_for_selector("#ftz-measures .ftz-measure", timeout=30_000)
    first = finder_page.locator("#ftz-measures .ftz-measure").first
    assert "Bonded Blending" in first.inner_text()
    assert "Why it applies:" in first.inner_text()
    assert re.fullmatch(r"[\w.-]+\.(?:md|txt|html?|pdf|docx)",
                        first.locator(".ftz-measure-source code").first.inner_text())
    assert finder_page.evaluate("() => window.__pwned") is None
    shown = finder_page.locator("#ftz-measures").inner_text()
    assert "&#x27;" not in shown and "&amp;" not in shown and "&quot;" not in shown
    shot(finder_page, "finder")


def test_an_unrelated_enterprise_gets_the_no_measure_message(finder_page) -> None:
    describe(finder_page, "We run a ski resort in Switzerland")
    finder_page.wait_for_selector("#ftz-measures .ftz-finder-none", timeout=30_000)
    assert NOTHING in finder_page.locator("#ftz-measures").inner_text()
    assert finder_page.locator("#ftz-measures .ftz-measure").count() == 0


def _until_shown(page, act, shown: str, tab: str, tries: int = 2) -> None:
    """Do `act(page)` until `shown` appears. CI twice saw a fresh page's first event get no
    reply (never reproduced locally, even under load). Clicking again cannot help: Gradio skips
    a repeated trigger while the first is pending. So the page is reloaded and the act done
    again, once; a failure says what the page logged."""
    logged: list[str] = []

    def log(message) -> None:
        logged.append(f"{message.type}: {message.text}")

    page.on("console", log)
    try:
        for attempt in range(tries):
            act(page)
            try:
                page.wait_for_selector(shown, timeout=30_000)
                return
            except PlaywrightTimeout as timeout:
                if attempt == tries - 1:
                    raise AssertionError(
                        f"{shown} never showed; the page logged: {logged[-20:]}") from timeout
                page.reload()
                page.wait_for_selector("#ftz-question textarea")
                page.get_by_role("tab", name=tab).click()
    finally:
        page.remove_listener("console", log)  # (the page is the next test's too)


def test_an_empty_description_gets_a_friendly_message(finder_page) -> None:
    _until_shown(finder_page, lambda page: page.locator("#ftz-find").click(),
                 "#ftz-measures .ftz-finder-warning", "Policy finder")
    assert "Describe the enterprise first" in finder_page.locator("#ftz-measures").inner_text()
    assert "Traceback" not in finder_page.content()


def test_an_example_button_fills_the_box_and_finds(finder_page) -> None:
    finder_page.get_by_role("button", name=re.compile("frozen seafood")).click()
    finder_page.wait_for_selector("#ftz-measures .ftz-measure", timeout=30_000)
    assert "seafood" in finder_page.locator("#ftz-profile textarea").input_value()


def test_the_statistics_table_lists_figures_as_written_and_filters_by_zone(stats_page) -> None:
    table = stats_page.locator("#ftz-facts")
    total = _shown(stats_page)
    _filter(stats_page, "59.96")
    _wait_for_table(stats_page, "59.96")
    row = table.locator("[role=row]", has_text="59.96").first
    assert "km²" in row.inner_text() and "Dalian" in row.inner_text()
    _filter(stats_page, "")
    _wait_for_count(stats_page, lambda n: n == total)
    stats_page.locator("#ftz-facts-zone input").click()
    stats_page.get_by_role("option", name="Fujian FTZ", exact=True).click()
    _wait_for_count(stats_page, lambda n: n < total)
    assert 0 < _shown(stats_page) < total
    _filter(stats_page, "43.78")
    _wait_for_count(stats_page, lambda n: n == 1)  # the zone and the text filter together
    assert "Fujian" in table.inner_text() and "Dalian" not in table.inner_text()


def test_the_csv_download_keeps_values_exactly_as_written(stats_page) -> None:
    with stats_page.expect_download() as download:
        stats_page.locator("#ftz-facts-csv").click()
    path = download.value.path()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    assert header[:7] == ["Value", "Unit", "Quantity", "Place", "Period", "Also stated", "Source"]
    assert {"Number", "Source file", "Sentence"} <= set(header)
    assert len(rows) - 1 == _shown(stats_page)
    record = {name: at for at, name in enumerate(header)}
    assert any("3,000" in row[0] and row[1] == "hours" for row in rows[1:])
    dalian = [row for row in rows[1:] if row[0].startswith("59.96") and row[1] == "km²"]
    assert dalian and dalian[0][record["Place"]] == "Liaoning FTZ / Dalian Area"
    assert dalian[0][record["Number"]] == "59.96" and "59.96" in dalian[0][record["Sentence"]]


def test_the_json_download_holds_every_shown_record(stats_page) -> None:
    _filter(stats_page, "Dalian")
    _wait_for_count(stats_page, lambda n: 0 < n < 200)
    shown = _shown(stats_page)
    with stats_page.expect_download() as download:
        stats_page.locator("#ftz-facts-json").click()
    with open(download.value.path(), encoding="utf-8") as handle:
        records = json.load(handle)
    assert len(records) == shown
    assert all({"value", "number", "unit", "quantity", "place", "period", "citations"}
               <= set(record) for record in records)


def test_the_area_chart_is_shown_and_document_text_stays_text(stats_page) -> None:
    chart = stats_page.locator("#ftz-facts-chart")
    chart.locator("canvas, svg").first.wait_for(timeout=30_000)
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box and box["height"] > 200
    _filter(stats_page, "12.34")  # the hostile document's figure
    _wait_for_table(stats_page, "12.34")
    assert stats_page.evaluate("() => window.__pwned") is None
    assert stats_page.locator("#ftz-facts img, #ftz-facts script").count() == 0
    # the hostile title is shown as the row's source, as text
    assert "<script>" in stats_page.locator("#ftz-facts").inner_text()
    _filter(stats_page, "")
    _wait_for_count(stats_page, lambda n: n > 1)
    shown = stats_page.locator("#ftz-facts").inner_text()
    assert "&#x27;" not in shown and "&amp;" not in shown  # document text shown once escaped
    shot(stats_page, "statistics")


def test_a_chosen_row_shows_its_sentence_in_its_passage_as_text(stats_page) -> None:
    _filter(stats_page, "12.34")  # the hostile document's figure
    _wait_for_table(stats_page, "12.34")
    row = stats_page.locator("#ftz-facts [role=row]", has_text="12.34").first
    row.locator("td, [role=gridcell]").first.click()
    context = stats_page.locator("#ftz-facts-context")
    context.locator("mark").first.wait_for(timeout=30_000)
    assert "12.34" in context.locator("mark").first.inner_text()
    assert "Stated in" in context.inner_text() and "<script>" in context.inner_text()
    assert context.locator("img, script").count() == 0
    assert stats_page.evaluate("() => window.__pwned") is None


def _choose(page, dropdown: str, option: str) -> None:
    box = page.locator(f"{dropdown} input")
    box.click()
    box.fill("")  # (it shows the chosen label: typing goes after it)
    box.press_sequentially(option)
    page.get_by_role("option", name=option, exact=True).click()


def test_one_quantity_of_one_place_is_charted_over_the_years(stats_page) -> None:
    total = _shown(stats_page)
    _choose(stats_page, "#ftz-facts-zone", "Hainan FTP")
    _wait_for_count(stats_page, lambda n: n < total)
    _choose(stats_page, "#ftz-facts-quantity", "goods foreign trade")
    trend = stats_page.locator("#ftz-facts-trend")
    trend.locator("canvas, svg").first.wait_for(timeout=30_000)
    assert trend.is_visible() and "goods foreign trade" in trend.inner_text()
    _wait_for_count(stats_page, lambda n: n >= 3)
    assert "Hainan" in stats_page.locator("#ftz-facts").inner_text()
    shot(stats_page, "statistics-trend")


@pytest.mark.parametrize("tab", ["Policy finder", "Statistics"])
def test_the_tabs_fit_a_phone(browser, server, tab: str) -> None:
    context, phone = _open(browser, server, tab, width=390, height=844)
    if tab == "Policy finder":
        _until_shown(phone, lambda page: describe(
            page, "We import frozen seafood through Dalian and need health certificates quickly"),
            "#ftz-measures .ftz-measure", tab)
        # class: results landed off screen with nothing happening visibly
        phone.wait_for_function(
            "() => { const r = document.querySelector('#ftz-measures').getBoundingClientRect();"
            " return r.top < window.innerHeight && r.bottom > 0; }", timeout=10_000)
        name = "finder-phone"
    else:
        _wait_for_count(phone, lambda n: n > 0)
        phone.locator("#ftz-facts-chart canvas, #ftz-facts-chart svg").first.wait_for()
        # class: the six-column table showed two and a half columns: cards instead
        assert not phone.locator("#ftz-facts").is_visible()
        card = phone.locator("#ftz-facts-cards .ftz-fact-card").first
        assert card.is_visible() and card.bounding_box()["width"] <= 390
        assert "Quantity" in card.inner_text() and "Source" in card.inner_text()
        name = "statistics-phone"
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 400
    shot(phone, name)
    context.close()


class _FiguresLateOnLoad(FakeFinder):
    """A finder whose first reading of the figures (the page load's) waits until `release`
    is set; every later one answers at once."""

    def __init__(self, facts: list[dict]) -> None:
        super().__init__(facts)
        self.loading = threading.Event()
        self.release = threading.Event()

    def facts(self, zone: str | None = None) -> list[dict]:
        if not self.loading.is_set():
            self.loading.set()
            self.release.wait(30)
        return super().facts(zone)


def test_a_filter_typed_while_the_tab_is_brought_up_to_date_is_the_one_shown(
        shared_page) -> None:
    """Class: two events drew the table, and the older one (the tab brought up to date on
    page load or after a library change, with the filters as they were) could finish last,
    leaving every figure under a filter that shows one. Here the older one is held until
    the filter's table is drawn."""
    from tests.test_facts_tab import FACTS

    finder = _FiguresLateOnLoad(FACTS)
    with serving_blocks(fake_app(finder=finder)) as url, ExitStack() as cleanup:
        cleanup.callback(finder.release.set)
        page = reopen(shared_page, url)
        assert finder.loading.wait(30)
        choose_tab(page, "Statistics")
        _filter(page, "43.78")
        page.wait_for_function(  # (the filter's table: Xiamen's figure, not Fuzhou's)
            "() => { const t = document.querySelector('#ftz-facts')?.innerText || '';"
            " return t.includes('43.78') && !t.includes('31.26'); }", timeout=30_000)
        finder.release.set()
        # the load's update has landed once the place menu offers its new choices
        page.locator("#ftz-facts-zone input").click()
        page.get_by_role("option", name="Fujian FTZ", exact=True).wait_for(timeout=30_000)
        page.keyboard.press("Escape")
        _wait_for_count(page, lambda n: n is not None)
        assert _shown(page) == 1 and "43.78" in page.locator("#ftz-facts").inner_text()

