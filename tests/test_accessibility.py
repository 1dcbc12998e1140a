"""Accessibility in a real Chromium: axe-core (installed by `make browser` into .cache/axe)
finds no serious or critical violation on any tab, at laptop and phone sizes, with an answer,
its sources and finder results on the page; a screenshot of each tab at each size is saved."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browsing import ask, open_app, shot, visit_tab
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow, pytest.mark.long]
AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TABS = ("Ask", "Library", "Policy finder", "Statistics")
SIZES = {"laptop": (1366, 860), "phone": (390, 844)}


def serious_violations(page) -> list[dict]:
    """axe-core's serious and critical findings on the page as it is now."""
    if not Path(AXE).is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run `make browser` (npm install)")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))")
    return [v for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("size", list(SIZES))
def test_no_tab_has_a_serious_accessibility_violation(browser, server, size: str) -> None:  # noqa: F811
    width, height = SIZES[size]
    context, page = open_app(browser, server, width, height)
    ask(page, "How large is the Xiamen area of the Fujian FTZ?")
    page.wait_for_selector("#ftz-sources .ftz-source", timeout=30_000)
    for tab in TABS:
        visit_tab(page, tab)
        if tab == "Statistics":
            page.wait_for_function(
                "() => /\\d+ of \\d+ figures/.test("
                "document.querySelector('#ftz-facts-count')?.innerText || '')", timeout=30_000)
        page.wait_for_function("() => !document.querySelector('.pending, .generating')",
                               timeout=30_000)
        page.wait_for_timeout(500)
        assert serious_violations(page) == [], tab
        shot(page, f"a11y-{tab.lower().replace(' ', '-')}-{size}")
    context.close()


def test_the_question_box_is_announced_by_its_purpose(browser, server) -> None:  # noqa: F811
    # class: the question box read out as "Textbox"
    context = browser.new_context()
    page = context.new_page()
    page.goto(server)
    box = page.locator("#ftz-question textarea")
    box.wait_for()
    assert page.get_by_role("textbox", name="Your question").count() == 1
    context.close()
