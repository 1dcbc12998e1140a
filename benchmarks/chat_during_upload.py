"""Chat latency while staff upload 20 documents, against a real `ftz-assistant serve`.

A client asks questions through the `/ask` API in a loop: first alone, then while a
20-document upload runs through the Library's upload handler. Loopback only, bounded in count
and time. Prints requests, errors and p50/p95 latency for both phases and the upload time.

Usage: python benchmarks/chat_during_upload.py [--documents 20]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "benchmark-secret"
QUESTIONS = [
    "How many hours of clearance time does the notification commitment system save?",
    "How big is the planned area of the Dalian Free Trade Area?",
    "Which area of the Guangdong FTZ gives priority to shipping logistics?",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(docs: Path, index: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "FTZ_DOCS_DIR": str(docs), "FTZ_INDEX_DIR": str(index),
           "FTZ_ADMIN_PASSWORD": PASSWORD, "HF_HUB_OFFLINE": "1"}
    env.pop("FTZ_CHROMA_URL", None)
    process = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(port)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            with urllib.request.urlopen(url, timeout=1):
                return process, url
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("the app did not start")


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
    """Send the files through the Library's upload handler and wait for it to finish."""
    with httpx.Client(base_url=url, timeout=600) as client:
        config = client.get("/config").json()
        prefix = config["api_prefix"]
        [dependency] = [d for d in config["dependencies"] if d.get("api_name") == "upload"]
        sent = client.post(f"{prefix}/upload",
                           files=[("files", (f.name, f.read_bytes())) for f in files]).json()
        data = [PASSWORD, "benchmark",
                [{"path": p, "orig_name": f.name, "meta": {"_type": "gradio.FileData"}}
                 for p, f in zip(sent, files, strict=True)]]
        session = uuid.uuid4().hex
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
        process, url = start(docs, Path(tmp) / "index")
        try:
            stop = threading.Event()
            alone = chat_loop(url, stop, limit=30)
            result: dict[str, tuple[list[float], int]] = {}
            worker = threading.Thread(target=lambda: result.update(
                during=chat_loop(url, stop, limit=2000)))
            worker.start()
            seconds = upload(url, batch)
            stop.set()
            worker.join()
        finally:
            process.terminate()
            process.wait(timeout=30)
    print(summary("chat alone", *alone))
    print(summary("chat during upload", *result["during"]))
    print(f"upload of {args.documents} documents   {seconds:.1f} s")


if __name__ == "__main__":
    main()
