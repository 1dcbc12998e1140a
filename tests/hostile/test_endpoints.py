"""Every endpoint of a running app, called without the staff password (or with a wrong one),
leaves the index, the docs folder and the change log as they were. Staff sign in once per
page session, so each attacker calls every endpoint twice in one session (a sign-in that had
worked would let the second round through). Then a fuzz round: every endpoint with hostile
values, after which the app still answers, nothing changed and no reply gave away a
traceback or an internal path."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.hostile.probe import (
    FEW,
    ask,
    call_every_endpoint,
    completed,
    few_docs,
    snapshot,
    staff_cookie,
)
from tests.serving import running_app

pytestmark = [pytest.mark.integration, pytest.mark.slow]
VICTIM = "dalian-ftz-5th-anniversary-2022.md"
PASSWORD = "the-real-one"
# values no page would send: none, numbers, a megabyte, nesting, controls and markup, paths
HOSTILE = (None, 0, -1.5, 10**30, "x" * 1_000_000, [[[[["deep"]]]]], {"a": {"b": [1]}},
           "\x00\x1b[31m\r\n<script>alert(1)</script><img src=x onerror=alert(1)>",
           "../../etc/passwd")
# text that is no valid Unicode, in every text box (not in the lists: Gradio's own refusal
# of a value not in a list repeats it, and then cannot send its reply)
SURROGATE = "\ud800 lone surrogate"
QUICK_BACKOFF = {"FTZ_SIGN_IN_BACKOFF_SECONDS": "0.01", "FTZ_SIGN_IN_BACKOFF_MAX_SECONDS": "0.05"}


def _attacker(password: str):
    def value(kind: str, uploaded: dict) -> object:
        """An attacker's value for one input component of an event."""
        return {"textbox": password, "file": [uploaded], "dropdown": [VICTIM],
                "chatbot": [], "state": [], "api": "How large is the Dalian area?"}.get(kind)
    return value


def _attack(client: httpx.Client, passwords: tuple[str, ...],
            skip: tuple[str, ...] = ()) -> int:
    """Every endpoint twice per password, each password in a page session of its own; how
    many calls finished."""
    finished = 0
    for attempt in passwords:
        session = uuid.uuid4().hex
        finished += sum(len(completed(call_every_endpoint(client, _attacker(attempt),
                                                            session, skip)))
                        for _ in range(2))
    return finished


def test_no_endpoint_changes_anything_without_the_password(tmp_path: Path) -> None:
    docs, index = few_docs(tmp_path / "docs"), tmp_path / "index"
    # (a short sign-in back-off: the guesses must not hold up the real sign-in after them)
    with running_app(docs, index, password=PASSWORD, env=QUICK_BACKOFF) as url, \
            httpx.Client(base_url=url, timeout=60) as client:
        client.get("/")
        before = snapshot(docs, index)  # the library the app indexed as it started
        rows, ids, files, _ = before
        assert sorted(source for source, _ in rows) == sorted(FEW) and VICTIM in FEW
        finished = _attack(client, ("wrong-password", ""))
        assert finished >= 30  # the private handlers did run: the gate, not hiding, stopped them
        assert snapshot(docs, index) == before  # rows, ids, files and change log (nothing new)
        assert len(ids) == len(set(ids))

        # the same calls with the real password do change the library: the test can fail
        # (without signing out, which would end the session at some point of the round); staff's
        # page holds the cookie that opens the upload route
        staff_cookie(client, PASSWORD)
        _attack(client, (PASSWORD,), skip=("sign_out",))
    rows, _, files, changes = snapshot(docs, index)
    assert "evil.md" in [source for source, _ in rows]
    assert '"action": "upload"' in changes


def test_hostile_values_in_every_endpoint_change_nothing_and_give_nothing_away(
        tmp_path: Path) -> None:
    docs, index = few_docs(tmp_path / "docs"), tmp_path / "index"
    before = sorted((p.name, p.read_bytes()) for p in docs.iterdir())
    internal = (str(docs), str(index), "site-packages", "/assistant/", 'File "', "Traceback")
    replies: list[str] = []
    with running_app(docs, index, password=PASSWORD) as url, \
            httpx.Client(base_url=url, timeout=120) as client:
        client.get("/")
        answered = ask(client, "How large is the Dalian area?")  # (the positive control)
        assert answered["success"] and answered["output"]["data"][0]["found"]
        for hostile in HOSTILE:
            said = call_every_endpoint(client, lambda kind, uploaded, h=hostile: h)
            assert len(completed(said)) >= 30, hostile
            replies += [json.dumps(message) for message in said]
        said = call_every_endpoint(client, lambda kind, uploaded: {
            "textbox": SURROGATE, "api": SURROGATE}.get(kind))
        assert len(completed(said)) >= 30
        replies += [json.dumps(message) for message in said]
        refused = ask(client, ["not", "a", "question"])
        assert not refused["success"] and "text" in refused["output"]["error"]
        after = ask(client, "How large is the Dalian area?")  # the app is still up
        assert after["success"] and after["output"]["data"][0]["answer"] == \
            answered["output"]["data"][0]["answer"]
    leaks = [(word, reply[:300]) for reply in replies for word in internal if word in reply]
    assert not leaks
    # a bad value is a user error, logged in one line: no traceback, ours or Gradio's
    log = (tmp_path / f"serve-{urlsplit(url).port}.log").read_text()
    assert "Traceback" not in log and not re.findall(r'File "[^"]*", line \d+', log)
    assert "The question must be text" in log  # (the positive control: the log is read)
    assert "refused a request: " in log  # (Gradio's refusals, each in one line)
    rows, ids, files, changes = snapshot(docs, index)
    assert sorted(source for source, _ in rows) == sorted(FEW)
    assert files == before and changes == "" and len(ids) == len(set(ids))
