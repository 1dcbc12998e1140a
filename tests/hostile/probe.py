"""A visitor's probes of a running app over loopback: every dependency of the app's config
joined on the queue with chosen values, the replies collected; and a snapshot of what the
visitor must not be able to change (index, docs folder, change log)."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from assistant.config import load_settings
from assistant.wiring import Components
from tests.conftest import DOCS

EVIL = "---\ntitle: Planted\n---\n# Planted\n\nThe planted zone covers 1.23 km².\n"
# a few shipped documents: an app over them starts in seconds
FEW = ("dalian-ftz-5th-anniversary-2022.md", "fujian-ftz-overview-ipim-macao.md",
       "guangdong-ftz-overview-cepa-macao.md")
TIMEOUT_S = 180

Values = Callable[[str, dict], object]  # (input component type, uploaded file) -> value


def few_docs(target: Path) -> Path:
    """A folder holding copies of the FEW shipped documents."""
    target.mkdir(parents=True)
    for name in FEW:
        shutil.copy(DOCS / name, target / name)
    return target


def snapshot(docs: Path, index: Path) -> tuple:
    """What the index holds (documents, chunk ids), the docs folder's files and the change
    log (read in this process: call it while nothing writes to the index)."""
    components = Components(load_settings(docs_dir=docs, index_dir=index))
    rows = [(d["source"], d["chunks"]) for d in components.library.documents()]
    files = sorted((p.name, p.read_bytes()) for p in docs.iterdir())
    log = index / "changes.jsonl"
    return rows, sorted(components.store.chunk_ids()), files, (
        log.read_text() if log.exists() else "")


def upload(client: httpx.Client, prefix: str, name: str = "evil.md",
           data: bytes = EVIL.encode()) -> httpx.Response:
    """A file sent to Gradio's upload route (taken only with a staff session's cookie)."""
    return client.post(f"{prefix}/upload", files={"files": (name, data)})


def call_every_endpoint(client: httpx.Client, values: Values, session: str | None = None,
                        skip: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Join the queue for every dependency in the app's config (but those whose api_name is
    in `skip`), each input given `values(its type, an uploaded file)`, and return the
    messages of those that were accepted (see `completed`, `warnings_of`)."""
    session = session or uuid.uuid4().hex
    config = client.get("/config").json()
    prefix = config["api_prefix"]
    kinds = {component["id"]: component["type"] for component in config["components"]}
    sent = upload(client, prefix)
    # without a staff session the route refuses the file: the file inputs then get a path
    # the app never handed out
    path = sent.json()[0] if sent.status_code == 200 else "/etc/hostname"
    uploaded = {"path": path, "orig_name": "evil.md", "meta": {"_type": "gradio.FileData"}}
    events = 0
    for dependency in config["dependencies"]:
        if dependency.get("api_name") in skip:
            continue
        data = [values(kinds[i], uploaded) for i in dependency["inputs"]]
        reply = _join(client, prefix, dependency["id"], data, session)
        if reply.status_code == 200:
            events += 1
    return _finished(client, prefix, session, events)


def sign_in_index(client: httpx.Client) -> int:
    """The fn_index of the staff sign-in (the button's; the box's Enter is the same)."""
    config = client.get("/config").json()
    [password] = [c["id"] for c in config["components"]
                  if c.get("props", {}).get("elem_id") == "ftz-password"]
    return next(d["id"] for d in config["dependencies"] if d["inputs"] == [password])


def staff_cookie(client: httpx.Client, password: str, session: str | None = None
                 ) -> dict[str, Any]:
    """Sign in as the page does (in page session `session`, or a new one), and keep the
    session cookie it sets for uploads; returns the sign-in's finishing message (its outputs:
    session, the cookie's token, ...)."""
    [signed] = completed(event(client, sign_in_index(client), [password], session))
    client.cookies.set("ftz_staff", signed["output"]["data"][1])
    return signed


def event(client: httpx.Client, fn_index: int, data: list, session: str | None = None
          ) -> list[dict[str, Any]]:
    """The messages of one event of dependency `fn_index`, in page session `session` (the
    page's state, such as a staff sign-in, lives there) or a new one."""
    prefix = client.get("/config").json()["api_prefix"]
    session = session or uuid.uuid4().hex
    _join(client, prefix, fn_index, data, session).raise_for_status()
    return _finished(client, prefix, session, 1)


def ask(client: httpx.Client, question: object) -> dict[str, Any]:
    """The finishing message of the public /ask endpoint for `question`."""
    config = client.get("/config").json()
    [fn_index] = [d["id"] for d in config["dependencies"] if d.get("api_name") == "ask"]
    [finished] = completed(event(client, fn_index, [question]))
    return finished


def _join(client: httpx.Client, prefix: str, fn_index: int, data: list,
          session: str) -> httpx.Response:
    """Join the queue (the body as ASCII JSON: a lone surrogate travels as its escape)."""
    return client.post(f"{prefix}/queue/join", headers={"Content-Type": "application/json"},
                       content=json.dumps({"data": data, "fn_index": fn_index,
                                           "session_hash": session, "event_data": None,
                                           "trigger_id": None}))


def completed(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The finishing messages of the events."""
    return [m for m in messages if m.get("msg") == "process_completed"]


def warnings_of(messages: list[dict[str, Any]]) -> list[str]:
    """What the events said in warnings (toasts)."""
    return [str(m.get("log")) for m in messages if m.get("msg") == "log"]


def _finished(client: httpx.Client, prefix: str, session: str,
              events: int) -> list[dict[str, Any]]:
    """Every message of the session's events (toasts and finishing messages, not the
    heartbeats or progress) until `events` have finished."""
    messages: list[dict[str, Any]] = []
    if not events:
        return messages
    with client.stream("GET", f"{prefix}/queue/data", params={"session_hash": session},
                       timeout=TIMEOUT_S) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                message = json.loads(line[5:])
                if message.get("msg") in ("process_completed", "log"):
                    messages.append(message)
                if message.get("msg") == "close_stream" or len(completed(messages)) == events:
                    break
    return messages
