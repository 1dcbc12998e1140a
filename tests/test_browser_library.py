"""The Library tab as staff use it: a real `serve`, a real Chromium, the real model.

Staff sign in, upload, update, remove (after a confirmation, with an undo) and then ask about
the documents on the Ask tab; bad files and a wrong password change nothing; visitors see the
document list but neither the staff tools nor the change log; without a staff password the tab
is read-only.
"""

from __future__ import annotations

import re
import shutil
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browsing import ask, last_answer, open_app, reopen, shot
from tests.conftest import DOCS, copy_index
from tests.serving import running_app

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow, pytest.mark.long]

PASSWORD = "staff-secret"
BACKOFF_S = 3  # a client's first wrong staff password bars it this long (the test sees it)
STAFF = "Test Staff"
MARKDOWN = "text/markdown"
READ_ONLY_DOCS = ("fujian-ftz-overview-ipim-macao.md", "dalian-ftz-5th-anniversary-2022.md")
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(64)

# Every row of one of the app's HTML tables (ui/tables.py), as cell texts.
ROWS_JS = """(id) => [...document.querySelectorAll(`#${id} tbody tr`)].map(
  row => [...row.cells].map(cell => cell.innerText.trim()))"""


def fact_sheet(area: str, figure: str) -> bytes:
    """A small markdown fact sheet about an invented area of an invented Zhejiang zone."""
    return f"""---
title: {area} Fact Sheet
zone: Zhejiang FTZ / {area}
date: 2024-05-01
doc_type: fact sheet
---
# {area} Fact Sheet

## Size
The {area} covers {figure} square kilometres of reclaimed coast along the estuary.

## Industries
The {area} focuses on marine equipment, cross-border e-commerce and cold-chain logistics.
""".encode()


@dataclass
class Served:
    url: str
    docs: Path
    index: Path


@contextmanager
def serve(base: Path, password: str | None, docs: tuple[str, ...] = (),
          shipped_index: Path | None = None) -> Iterator[Served]:
    """`python -m assistant serve` on a free port over some of docs/, or a copy of all of it
    with a copy of its index."""
    docs_dir, index_dir = base / "docs", base / "index"
    if docs:
        docs_dir.mkdir(parents=True)
        for name in docs:
            shutil.copy2(DOCS / name, docs_dir / name)
    else:
        shutil.copytree(DOCS, docs_dir)
        copy_index(shipped_index, index_dir)
    with running_app(docs_dir, index_dir, password,
                     env={"FTZ_SIGN_IN_BACKOFF_SECONDS": str(BACKOFF_S)}) as url:
        yield Served(url, docs_dir, index_dir)


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory, shipped_index: Path) -> Iterator[Served]:
    with serve(tmp_path_factory.mktemp("staff"), PASSWORD,
               shipped_index=shipped_index) as served:
        yield served


@pytest.fixture(scope="module")
def readonly_server(tmp_path_factory) -> Iterator[Served]:
    with serve(tmp_path_factory.mktemp("readonly"), None, READ_ONLY_DOCS) as served:
        yield served


@pytest.fixture
def page(shared_page, staff_server) -> Page:
    return reopen(shared_page, staff_server.url)


@pytest.fixture
def readonly_page(shared_page, readonly_server) -> Page:
    return reopen(shared_page, readonly_server.url)


# --- helpers -------------------------------------------------------------------------------

def open_tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    anchor = ("#ftz-documents .ftz-table-wrap, #ftz-documents .ftz-table-empty"
              if name == "Library" else "#ftz-question textarea")
    expect(page.locator(anchor).first).to_be_visible()


def rows(page: Page, elem_id: str) -> list[list[str]]:
    return page.evaluate(ROWS_JS, elem_id)


def wait_rows(page: Page, elem_id: str, check: Callable[[list[list[str]]], bool],
              timeout: float = 90) -> list[list[str]]:
    """Poll a table until `check(rows)` holds; fail with the last rows seen."""
    deadline = time.monotonic() + timeout
    seen: list[list[str]] = []
    while time.monotonic() < deadline:
        seen = rows(page, elem_id)
        if check(seen):
            return seen
        time.sleep(0.3)
    pytest.fail(f"#{elem_id} never matched; last rows: {seen}")


def has_row(*cells: str) -> Callable[[list[list[str]]], bool]:
    """A check for a row that starts with these cells."""
    return lambda found: any(row[:len(cells)] == list(cells) for row in found)


def sources_in(page: Page, elem_id: str = "ftz-documents") -> list[str]:
    """The File column of the documents table."""
    return sorted(row[1] for row in rows(page, elem_id))


def choose_files(page: Page, files: list[tuple[str, bytes]], mime: str = MARKDOWN) -> None:
    """Empty the upload box, then put files in it as a user picking them would."""
    clear = page.locator("#ftz-upload button[aria-label='Clear']")
    if clear.count() and clear.is_visible():
        clear.click()
    page.locator("#ftz-upload input[type=file]").set_input_files(
        [{"name": name, "mimeType": mime, "buffer": data} for name, data in files])


def sign_in(page: Page, password: str = PASSWORD, expect_staff: bool = True) -> None:
    """Open the sign-in panel and sign in; with the right password the staff tools appear
    (unless this client is in back-off after a wrong one)."""
    box = page.locator("#ftz-password input")
    if not box.is_visible():
        page.locator("#ftz-signin button").first.click()
    box.fill(password)
    page.locator("#ftz-sign-in").click()
    if password == PASSWORD and expect_staff:
        # (as long as the other waits here: on two loaded cores a page opened right after a
        # library change waits while the server brings the tabs up to date; once over 20 s)
        try:
            expect(page.locator("#ftz-staff")).to_be_visible(timeout=60_000)
        except AssertionError as failure:
            # a fresh-clone run once saw this sign-in still pending after 60 s, unexplained:
            # say whether the server's queue held events that had not started
            raise AssertionError(f"{failure}\nserver queue then: {queue_status(page)}") from None


def queue_status(page: Page) -> str:
    """Gradio's count of the server's events that wait for a worker (or why none came)."""
    origin = re.match(r"https?://[^/]+", page.url)
    try:
        with urllib.request.urlopen(f"{origin.group(0) if origin else ''}/gradio_api/queue/status",
                                    timeout=5) as reply:
            return reply.read().decode()
    except (OSError, ValueError) as error:
        return f"unknown ({error})"


def upload(page: Page, files: list[tuple[str, bytes]], who: str = STAFF,
           mime: str = MARKDOWN) -> None:
    """(Signed in) fill in the name, choose the files, wait until they arrived, press Upload."""
    page.locator("#ftz-who textarea, #ftz-who input").first.fill(who)
    choose_files(page, files, mime)
    for name, _ in files:
        expect(page.locator(f"#ftz-upload td.filename[aria-label='{name}']")).to_be_visible()
    page.locator("#ftz-upload-button").click()


def confirm(page: Page, verb: str) -> None:
    """Answer the confirmation of a removal or re-index with yes."""
    box = page.locator("#ftz-confirm")
    expect(box).to_be_visible(timeout=20_000)
    expect(page.locator("#ftz-confirm-yes")).to_have_text(verb)
    page.locator("#ftz-confirm-yes").click()
    expect(box).to_be_hidden(timeout=60_000)


def choose_documents(page: Page, *sources: str) -> None:
    box = page.locator("#ftz-chosen input")
    for source in sources:
        box.click()
        box.fill(source)
        page.get_by_role("option", name=source, exact=True).click()
    box.press("Escape")
    for source in sources:
        expect(page.locator("#ftz-chosen")).to_contain_text(source)


def ask_and_wait(page: Page, question: str) -> tuple[str, str]:
    """Ask on the Ask tab; the final answer text and the sources panel text."""
    open_tab(page, "Ask")
    if page.locator("#ftz-sources .ftz-sources").count():
        # wait for Clear to land: it also empties the question box, so typing earlier is lost
        page.locator("#ftz-clear").click()
        expect(page.locator("#ftz-sources .ftz-sources-empty")).to_be_visible()
    ask(page, question)
    page.wait_for_selector("#ftz-sources .ftz-sources", timeout=30_000)
    return last_answer(page).inner_text(), page.locator("#ftz-sources").inner_text()


def toast(page: Page, text: str) -> Any:
    found = page.locator(".toast-body").filter(has_text=text)
    expect(found.first).to_be_visible(timeout=20_000)
    return found.first


# --- tests ---------------------------------------------------------------------------------

def test_an_uploaded_document_is_listed_logged_and_cited(page: Page, staff_server) -> None:
    name = "wenzhou-area.md"
    open_tab(page, "Library")
    assert name not in sources_in(page)
    coverage = page.locator("#ftz-coverage").inner_text()
    covered = int(re.search(r"Covers (\d+) document", coverage)[1])
    sign_in(page)
    upload(page, [(name, fact_sheet("Wenzhou Area", "37.21"))])
    results = wait_rows(page, "ftz-results", has_row(name, "added"))
    assert int(results[0][2]) >= 1
    documents = wait_rows(page, "ftz-documents", lambda found: any(r[1] == name for r in found))
    [listed] = [row for row in documents if row[1] == name]
    assert listed[0] == "Wenzhou Area Fact Sheet" and "Wenzhou Area" in listed[2]
    history = rows(page, "ftz-history")
    assert history[0][1:5] == [STAFF, "upload", name, "added"]
    assert (staff_server.docs / name).is_file()
    shot(page, "library-upload")
    # the other tabs follow the change without a reload: the coverage line and Statistics
    page.wait_for_function(
        "n => document.querySelector('#ftz-coverage').innerText.includes('Covers ' + n + ' ')",
        arg=covered + 1, timeout=30_000)
    page.get_by_role("tab", name="Statistics").click()
    page.locator("#ftz-facts-filter input, #ftz-facts-filter textarea").fill("37.21")
    page.wait_for_function(
        "() => (document.querySelector('#ftz-facts')?.innerText || '').includes('37.21')",
        timeout=30_000)
    open_tab(page, "Ask")

    answer, panel = ask_and_wait(page, "How large is the Wenzhou Area?")
    assert "37.21" in answer
    card = page.locator("#ftz-sources .ftz-source").filter(has_text="37.21").first
    assert name in card.locator("code").inner_text()
    assert "37.21" in " ".join(card.locator("mark").all_inner_texts())
    assert name in panel
    shot(page, "library-upload-answer")


def test_an_updated_document_replaces_the_old_figure(page: Page) -> None:
    name = "taizhou-bay-area.md"
    open_tab(page, "Library")
    sign_in(page)
    upload(page, [(name, fact_sheet("Taizhou Bay Area", "28.64"))])
    wait_rows(page, "ftz-results", has_row(name, "added"))
    upload(page, [(name, fact_sheet("Taizhou Bay Area", "31.07"))])
    wait_rows(page, "ftz-results", has_row(name, "updated"))
    results = rows(page, "ftz-results")
    assert [row[0] for row in results] == [name], "only the chosen file is processed"
    assert [row[1] for row in rows(page, "ftz-documents")].count(name) == 1
    assert [row[3:5] for row in rows(page, "ftz-history")[:2]] == [
        [name, "updated"], [name, "added"]]
    shot(page, "library-update")

    answer, panel = ask_and_wait(page, "How large is the Taizhou Bay Area?")
    assert "31.07" in answer
    assert "28.64" not in answer and "28.64" not in panel
    assert name in panel


def test_a_removed_document_is_no_longer_cited_until_the_removal_is_undone(
    page: Page, staff_server
) -> None:
    name = "lishui-area.md"
    open_tab(page, "Library")
    sign_in(page)
    upload(page, [(name, fact_sheet("Lishui Area", "19.53"))])
    wait_rows(page, "ftz-results", has_row(name, "added"))
    answer, _ = ask_and_wait(page, "How large is the Lishui Area?")
    assert "19.53" in answer  # answerable before the removal

    open_tab(page, "Library")
    choose_documents(page, name)
    page.locator("#ftz-remove").click()  # first a confirmation; Cancel changes nothing
    expect(page.locator("#ftz-confirm")).to_contain_text(name)
    page.locator("#ftz-confirm-no").click()
    expect(page.locator("#ftz-confirm")).to_be_hidden()
    assert name in sources_in(page) and (staff_server.docs / name).is_file()
    page.locator("#ftz-remove").click()  # (still selected)
    shot(page, "library-remove-confirm")
    confirm(page, "Remove")
    wait_rows(page, "ftz-results", has_row(name, "removed"))
    wait_rows(page, "ftz-documents", lambda found: found and name not in [r[1] for r in found])
    assert rows(page, "ftz-history")[0][2:5] == ["remove", name, "removed"]
    assert not (staff_server.docs / name).exists()
    assert list((staff_server.index / "removed").glob(f"*-{name}"))
    expect(page.locator("#ftz-undo")).to_contain_text(name)
    shot(page, "library-remove")

    answer, panel = ask_and_wait(page, "How large is the Lishui Area?")
    assert "19.53" not in answer and "19.53" not in panel
    assert name not in panel
    shot(page, "library-remove-answer")

    open_tab(page, "Library")  # the undo puts the set-aside file back and indexes it again
    page.locator("#ftz-undo-button").click()
    wait_rows(page, "ftz-results", has_row(name, "restored"))
    expect(page.locator("#ftz-undo")).to_be_hidden()
    assert (staff_server.docs / name).is_file()
    assert not list((staff_server.index / "removed").glob(f"*-{name}"))
    assert rows(page, "ftz-history")[0][2:5] == ["restore", name, "restored"]
    answer, _ = ask_and_wait(page, "How large is the Lishui Area?")
    assert "19.53" in answer


def test_bad_uploads_are_rejected_with_a_reason_and_change_nothing(
    page: Page, staff_server
) -> None:
    open_tab(page, "Library")
    sign_in(page)
    before = sources_in(page)
    on_disk = sorted(p.name for p in staff_server.docs.iterdir())

    upload(page, [("chart.pdf", PNG_BYTES)], mime="application/pdf")
    results = wait_rows(page, "ftz-results", has_row("chart.pdf", "rejected"))
    reason = "not a valid PDF file: no PDF header (looks like a PNG image)"
    assert results == [["chart.pdf", "rejected", "0", reason]]
    assert rows(page, "ftz-history")[0][3:] == ["chart.pdf", "rejected", "0", reason]

    # The browser refuses a type outside the accepted list before it reaches the server: the
    # reason is a toast, the file never enters the upload box, and nothing is sent.
    choose_files(page, [("setup.exe", EXE_BYTES)], mime="application/octet-stream")
    message = toast(page, "setup.exe").inner_text()
    assert "Invalid file type" in message and ".pdf" in message
    expect(page.locator("#ftz-upload td.filename")).to_have_count(0)
    shot(page, "library-rejected")

    assert sources_in(page) == before
    assert sorted(p.name for p in staff_server.docs.iterdir()) == on_disk
    page.reload()
    page.wait_for_selector("#ftz-question textarea")
    open_tab(page, "Library")
    assert sources_in(page) == before
    sign_in(page)
    history = [row[3] for row in rows(page, "ftz-history")]
    assert "setup.exe" not in history


def test_a_wrong_password_opens_nothing(page: Page, staff_server) -> None:
    open_tab(page, "Library")
    sign_in(page, "not-the-password")
    message = toast(page, "Wrong staff password").inner_text()
    assert "nothing was changed" in message
    started = time.monotonic()
    sign_in(page, PASSWORD, expect_staff=False)  # this client is in back-off: refused at once
    assert "try again in" in toast(page, "Too many wrong passwords").inner_text()
    shot(page, "library-wrong-password")
    expect(page.locator("#ftz-staff")).to_be_hidden()
    expect(page.locator("#ftz-upload")).to_be_hidden()
    overlay = page.locator("#ftz-documents [data-testid='status-tracker'] .error")
    assert not overlay.is_visible(), "the documents table is hidden behind an Error overlay"
    page.wait_for_timeout(max(0.0, BACKOFF_S - (time.monotonic() - started)) * 1000 + 200)
    sign_in(page)  # once the back-off has passed, the right one works
    expect(page.locator("#ftz-upload")).to_be_visible()


def test_visitors_see_the_documents_but_no_staff_tools_and_no_change_log(
    page: Page, staff_server
) -> None:
    open_tab(page, "Library")
    assert len(sources_in(page)) >= 50
    for hidden in ("#ftz-upload", "#ftz-upload-button", "#ftz-remove", "#ftz-reindex",
                   "#ftz-reindex-all", "#ftz-chosen", "#ftz-history", "#ftz-password"):
        expect(page.locator(hidden)).to_be_hidden()
    assert "Change log" not in page.locator("body").inner_text()
    expect(page.locator("#ftz-signin")).to_be_visible()
    shot(page, "library-visitor")
    assert not upload_cookie(page)  # (Gradio's upload route is closed to a visitor)
    sign_in(page)
    expect(page.locator("#ftz-history")).to_contain_text("Change log")
    expect(page.locator("#ftz-password input")).to_be_hidden()
    page.wait_for_function("document.cookie.includes('ftz_staff=')")  # ... opened for staff
    assert len(upload_cookie(page)) >= 40  # (by their session's token)
    page.locator("#ftz-sign-out").click()  # signing out hides the tools and the log again
    expect(page.locator("#ftz-staff")).to_be_hidden()
    expect(page.locator("#ftz-signin")).to_be_visible()
    assert "Change log" not in page.locator("body").inner_text()
    page.wait_for_function("!document.cookie.includes('ftz_staff=')")  # (the cookie is gone)


def upload_cookie(page: Page) -> str:
    """The page's staff session cookie for Gradio's upload route ("" when it has none)."""
    return next((c["value"] for c in page.context.cookies() if c["name"] == "ftz_staff"), "")


def test_the_same_upload_is_indexed_once(page: Page, staff_server) -> None:
    # class: a file left in the upload box was sent, and indexed, a second time
    name = "zhoushan-area.md"
    open_tab(page, "Library")
    sign_in(page)
    upload(page, [(name, fact_sheet("Zhoushan Area", "21.07"))])
    wait_rows(page, "ftz-results", has_row(name, "added"))
    expect(page.locator(f"#ftz-upload td.filename[aria-label='{name}']")).to_have_count(0)
    upload(page, [(name, fact_sheet("Zhoushan Area", "21.07"))])
    wait_rows(page, "ftz-results", has_row(name, "unchanged"))
    assert [row[1] for row in rows(page, "ftz-documents")].count(name) == 1
    assert [row[3:5] for row in rows(page, "ftz-history")[:2]] == [
        [name, "unchanged"], [name, "added"]]


def test_a_removed_document_does_not_come_back_with_the_next_upload(
    page: Page, staff_server
) -> None:
    first, second = "jiaxing-area.md", "huzhou-area.md"
    open_tab(page, "Library")
    sign_in(page)
    upload(page, [(first, fact_sheet("Jiaxing Area", "22.15"))])
    wait_rows(page, "ftz-results", has_row(first, "added"))
    choose_documents(page, first)
    page.locator("#ftz-remove").click()
    confirm(page, "Remove")
    wait_rows(page, "ftz-results", has_row(first, "removed"))
    page.locator("#ftz-upload input[type=file]").set_input_files(
        [{"name": second, "mimeType": MARKDOWN, "buffer": fact_sheet("Huzhou Area", "17.40")}])
    expect(page.locator(f"#ftz-upload td.filename[aria-label='{second}']")).to_be_visible()
    page.locator("#ftz-upload-button").click()
    results = wait_rows(page, "ftz-results", has_row(second, "added"))
    assert not any(row[0] == first for row in results), f"{first} was sent again: {results}"
    assert not (staff_server.docs / first).exists()


def test_without_a_staff_password_the_library_is_read_only(readonly_page: Page) -> None:
    open_tab(readonly_page, "Library")
    notice = readonly_page.locator("#ftz-library-readonly")
    expect(notice).to_be_visible()
    assert "Read-only" in notice.inner_text()
    assert "FTZ_ADMIN_PASSWORD" in notice.inner_text()
    for hidden in ("#ftz-upload-button", "#ftz-upload", "#ftz-signin", "#ftz-remove",
                   "#ftz-reindex", "#ftz-reindex-all", "#ftz-chosen"):
        expect(readonly_page.locator(hidden)).to_be_hidden()
    assert sources_in(readonly_page) == sorted(READ_ONLY_DOCS)
    shot(readonly_page, "library-readonly")


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_the_staff_area_has_no_serious_accessibility_violation(
    browser, staff_server, size: str
) -> None:
    from tests.test_accessibility import SIZES, serious_violations
    width, height = SIZES[size]
    context, staff_page = open_app(browser, staff_server.url, width, height)
    open_tab(staff_page, "Library")
    shot(staff_page, f"library-visitor-{size}")
    sign_in(staff_page)
    choose_documents(staff_page, READ_ONLY_DOCS[0])
    staff_page.locator("#ftz-remove").click()
    expect(staff_page.locator("#ftz-confirm")).to_be_visible()
    staff_page.wait_for_function("() => !document.querySelector('.pending, .generating')",
                                 timeout=30_000)
    staff_page.wait_for_timeout(500)
    assert serious_violations(staff_page) == []
    shot(staff_page, f"library-staff-{size}")
    staff_page.locator("#ftz-confirm-no").click()
    context.close()
