"""What the browser tests share: Chromium, the read-only app they all use, and page helpers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import DOCS, ROOT, copy_index
from tests.serving import running_app

CHROMIUM = "/usr/bin/chromium"
LAPTOP = (1366, 860)  # the window size of the tests that do not choose one
ARTIFACTS = ROOT / "artifacts"
HOSTILE = """---
title: Zhoushan Test Area <script>window.__pwned = 1</script>
zone: Zhejiang FTZ / Zhoushan Test Area
---
# Zhoushan Test Area

## Size
The Zhoushan test area covers 12.34 km² <img src=x onerror="window.__pwned=2"> of islands.
"""


@pytest.fixture(scope="session")
def server(tmp_path_factory, shipped_index: Path) -> Iterator[str]:
    """The app over a copy of docs/ plus a hostile document, without staff functions: the
    browser tests only read, so they all share it."""
    base = tmp_path_factory.mktemp("serve")
    docs = base / "docs"
    shutil.copytree(DOCS, docs)
    (docs / "zhoushan-hostile.md").write_text(HOSTILE, encoding="utf-8")
    with running_app(docs, copy_index(shipped_index, base / "index")) as url:
        yield url


@pytest.fixture(scope="module")  # (Playwright's event loop must not outlive the module)
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
        ])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def shared_page(browser):
    """One page at a laptop's size that a module's tests take turns on, each opening the app
    afresh with `reopen`: a new browser context per test cost about twice the CPU of a page
    load in one (Chromium compiled Gradio's scripts again each time)."""
    context = browser.new_context(viewport={"width": LAPTOP[0], "height": LAPTOP[1]},
                                  accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def reopen(page, url: str):
    """`page` opened afresh on the app at `url`, as a new visitor finds it: the storage the
    last test left (and every cookie, a staff session's among them) cleared first."""
    if page.url.startswith("http"):
        page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
    page.context.clear_cookies()
    page.goto(url)
    return loaded(page)


def loaded(page):
    """`page` once the app has answered its first request: the coverage line the page load
    asks the server for (a question typed before that was, rarely, never answered); loaded
    again once if no reply came."""
    for attempt in range(2):
        try:
            page.wait_for_function(
                "() => (document.querySelector('#ftz-coverage')?.textContent || '')"
                ".includes('Covers')", timeout=30_000)
            break
        except PlaywrightTimeout:
            if attempt:
                raise
            page.reload()
    page.wait_for_selector("#ftz-question textarea")
    return page


def open_app(browser, url: str, width: int = LAPTOP[0], height: int = LAPTOP[1],
             **options):
    """A new browser context at a window size (a phone's below 500 px wide, with `options`
    such as `locale`), and a page on the app at `url` once its question box is there."""
    context = browser.new_context(viewport={"width": width, "height": height},
                                  is_mobile=width < 500, **options)
    page = context.new_page()
    page.goto(url)
    return context, loaded(page)


def submit(page, box: str, text: str) -> None:
    """Type `text` into the text box `box` (a selector) and press Enter."""
    field = page.locator(box)
    field.fill(text)
    field.press("Enter")


def ask(page, question: str) -> None:
    submit(page, "#ftz-question textarea", question)


def choose_tab(page, tab: str) -> None:
    """Click a tab. On a phone, Gradio moves tabs that do not fit the bar into its overflow
    menu (which ones can depend on when it measured the bar): the tab is chosen there then."""
    button = page.get_by_role("tab", name=tab)
    try:
        button.click(timeout=10_000)
    except PlaywrightTimeout:
        page.locator(".overflow-menu").first.click()
        page.locator(".overflow-dropdown").get_by_text(tab, exact=True).first.click()


def visit_tab(page, tab: str,
              profile: str = "We import frozen seafood through Dalian") -> None:
    """Open a tab; on the Policy finder, search for `profile` and wait for its cards."""
    choose_tab(page, tab)
    if tab == "Policy finder":
        submit(page, "#ftz-profile textarea", profile)
        page.wait_for_selector("#ftz-measures .ftz-measure", timeout=30_000)


def settled(page) -> None:
    """Wait until no event of the page is still running: a click while Gradio re-renders the
    chat can land on a link that is being replaced (a fresh-clone run once lost one so)."""
    page.wait_for_function("() => !document.querySelector('.pending, .generating')",
                           timeout=30_000)


def last_answer(page):
    return page.locator("#ftz-chat .message.bot, #ftz-chat [data-testid='bot']").last


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
