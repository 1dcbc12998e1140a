"""Every endpoint of a running app, called without the staff password (or with a wrong one),
leaves the index, the docs folder and the change log as they were. Staff sign in once per
page session, so each attacker calls every endpoint twice in one session (a sign-in that had
worked would let the second round through)."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import httpx
import pytest

from assistant.config import load_settings
from assistant.wiring import Components
from tests.conftest import DOCS, SHIPPED
from tests.serving import running_app

pytestmark = [pytest.mark.integration, pytest.mark.slow]
VICTIM = "dalian-ftz-5th-anniversary-2022.md"
EVIL = "---\ntitle: Planted\n---\n# Planted\n\nThe planted zone covers 1.23 km².\n"


def _snapshot(docs: Path, index: Path) -> tuple:
    components = Components(load_settings(docs_dir=docs, index_dir=index))
    rows = [(d["source"], d["chunks"]) for d in components.library.documents()]
    files = sorted((p.name, p.read_bytes()) for p in docs.iterdir())
    changes = (index / "changes.jsonl").read_text() if (index / "changes.jsonl").exists() else ""
    return rows, sorted(components.store.chunk_ids()), files, changes


def _value(kind: str, password: str, uploaded: dict) -> object:
    """An attacker's value for one input component of an event."""
    return {"textbox": password, "file": [uploaded], "dropdown": [VICTIM],
            "chatbot": [], "state": [], "api": "How large is the Dalian area?"}.get(kind)


def _call_every_endpoint(client: httpx.Client, password: str, session: str,
                         skip: tuple[str, ...] = ()) -> int:
    """Join the queue for every dependency in the app's config (but those named in `skip`)
    and wait for each to finish."""
    config = client.get("/config").json()
    prefix = config["api_prefix"]
    kinds = {component["id"]: component["type"] for component in config["components"]}
    sent = client.post(f"{prefix}/upload", files={"files": ("evil.md", EVIL.encode())}).json()
    uploaded = {"path": sent[0], "orig_name": "evil.md", "meta": {"_type": "gradio.FileData"}}
    events = 0
    for dependency in config["dependencies"]:
        if dependency.get("api_name") in skip:
            continue
        data = [_value(kinds[i], password, uploaded) for i in dependency["inputs"]]
        reply = client.post(f"{prefix}/queue/join", json={
            "data": data, "fn_index": dependency["id"], "session_hash": session,
            "event_data": None, "trigger_id": None,
        })
        if reply.status_code == 200:
            events += 1
    finished = 0
    with client.stream("GET", f"{prefix}/queue/data", params={"session_hash": session},
                       timeout=120) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    finished += 1
                if message.get("msg") == "close_stream" or finished == events:
                    break
    return finished


def _attack(docs: Path, index: Path, passwords: tuple[str, ...],
            skip: tuple[str, ...] = ()) -> int:
    with running_app(docs, index, password="the-real-one") as url, \
            httpx.Client(base_url=url, timeout=60) as client:
        client.get("/")
        finished = 0
        for attempt in passwords:
            session = uuid.uuid4().hex
            finished += sum(_call_every_endpoint(client, attempt, session, skip)
                            for _ in range(2))
        return finished


def test_no_endpoint_changes_anything_without_the_password(tmp_path: Path) -> None:
    docs, index = tmp_path / "docs", tmp_path / "index"
    shutil.copytree(DOCS, docs)
    finished = _attack(docs, index, ("wrong-password", ""))
    assert finished >= 30  # the private handlers did run: the gate, not hiding, stopped them
    rows, ids, files, changes = _snapshot(docs, index)
    assert len(rows) == SHIPPED and VICTIM in [source for source, _ in rows]
    assert not any("evil" in source for source, _ in rows)
    assert sorted(name for name, _ in files) == sorted(p.name for p in DOCS.iterdir())
    assert changes == ""
    assert len(ids) == len(set(ids))

    # the same calls with the real password do change the library: the test can fail (without
    # signing out, which would end the session at some point of the round)
    _attack(docs, index, ("the-real-one",), skip=("sign_out",))
    rows, _, files, changes = _snapshot(docs, index)
    assert "evil.md" in [source for source, _ in rows]
    assert '"action": "upload"' in changes
