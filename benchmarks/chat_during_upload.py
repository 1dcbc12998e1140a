"""Chat latency while staff upload 20 documents, against a real `ftz-assistant serve`.

A client asks questions through the `/ask` API in a loop: first alone, then while a
20-document upload runs through the Library's upload handler. Loopback only, bounded in count
and time. Prints requests, errors and p50/p95 latency for both phases and the upload time.

Usage: python benchmarks/chat_during_upload.py [--documents 20]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
from _setup import ROOT  # noqa: I001 (sets up the import path first)

from tests.hostile.probe import staff_cookie  # noqa: E402
from tests.serving import running_app  # noqa: E402

PASSWORD = "benchmark-secret"
QUESTIONS = [
    "How many hours of clearance time does the notification commitment system save?",
    "How big is the planned area of the Dalian Free Trade Area?",
    "Which area of the Guangdong FTZ gives priority to shipping logistics?",
]


def chat_loop(url: str, stop: threading.Event, limit: int) -> tuple[list[float], int]:
    from gradio_client import Client

    client = Client(url, verbose=False)
    latencies, errors = [], 0
    while not stop.is_set() and len(latencies) + errors < limit:
        started = time.perf_counter()
        try:
            client.predict(QUESTIONS[len(latencies) % len(QUESTIONS)], api_name="/ask")
            latencies.append((time.perf_counter() - started) * 1000)
        except Exception:  # counted, not fatal: the figure is how often chat fails
            errors += 1
    return latencies, errors


def upload(url: str, files: list[Path]) -> float:
    """Sign in as staff, send the files through the Library's upload button and wait for the
    upload to finish; returns its seconds."""
    with httpx.Client(base_url=url, timeout=600) as client:
        config = client.get("/config").json()
        prefix = config["api_prefix"]
        button = next(c["id"] for c in config["components"]
                      if c.get("props", {}).get("elem_id") == "ftz-upload-button")
        dependency = next(d for d in config["dependencies"]
                          if any(target[0] == button for target in d.get("targets", [])))
        session = uuid.uuid4().hex  # (the sign-in lives in the page session's state)
        staff_cookie(client, PASSWORD, session)
        sent = client.post(f"{prefix}/upload",
                           files=[("files", (f.name, f.read_bytes())) for f in files]).json()
        data = [None, "benchmark",  # (the session's own state stands for the first input)
                [{"path": p, "orig_name": f.name, "meta": {"_type": "gradio.FileData"}}
                 for p, f in zip(sent, files, strict=True)]]
        started = time.perf_counter()
        client.post(f"{prefix}/queue/join", json={
            "data": data, "fn_index": dependency["id"], "session_hash": session,
            "event_data": None, "trigger_id": None})
        with client.stream("GET", f"{prefix}/queue/data", params={"session_hash": session}) as s:
            for line in s.iter_lines():
                if '"process_completed"' in line:
                    return time.perf_counter() - started
    raise SystemExit("the upload did not complete")


def summary(label: str, latencies: list[float], errors: int) -> str:
    if not latencies:  # (an upload over before any answer came back)
        return f"{label:<22} requests {errors:4d}  errors {errors:2d}  no answer timed"
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 \
        else latencies * 99
    return (f"{label:<22} requests {len(latencies) + errors:4d}  errors {errors:2d}  "
            f"p50 {cuts[49]:7.1f} ms  p95 {cuts[94]:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        shutil.copytree(ROOT / "docs", docs)
        sources = sorted(p for p in (ROOT / "docs").glob("*.md") if p.name != "SOURCES.md")
        batch = []
        for n in range(args.documents):
            target = Path(tmp) / "batch" / f"extra-{n:02d}-{sources[n % len(sources)].name}"
            target.parent.mkdir(exist_ok=True)
            target.write_text(sources[n % len(sources)].read_text().replace("Dalian", f"Zone{n}"))
            batch.append(target)
        with running_app(docs, Path(tmp) / "index", password=PASSWORD, timeout_s=300,
                         warm=False) as url:
            stop = threading.Event()
            alone = chat_loop(url, stop, limit=30)
            result: dict[str, tuple[list[float], int]] = {}
            worker = threading.Thread(target=lambda: result.update(
                during=chat_loop(url, stop, limit=2000)))
            worker.start()
            seconds = upload(url, batch)
            stop.set()
            worker.join()
    print(summary("chat alone", *alone))
    print(summary("chat during upload", *result["during"]))
    print(f"upload of {args.documents} documents   {seconds:.1f} s")


if __name__ == "__main__":
    main()
