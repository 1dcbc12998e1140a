"""Chat under load: N concurrent clients through the Gradio `/ask` API, for a fixed time.

Starts one real `python -m assistant serve` on a free loopback port (a temporary copy of docs/,
a temporary index, staff functions off). For each N in `--clients` it runs N threads, each with
its own HTTP connection to Gradio's API for `/ask` (the protocol gradio_client speaks, without
its per-client threads, which would compete with the server for this machine's two cores),
asking the dev questions in a loop until `--seconds` are up or `--max-requests` have been sent;
then prints requests, errors, p50/p95/p99 latency and throughput per level. The questions
repeat, so after the first round the engine answers them from its cache, as it does for the
example questions people click. Loopback only, bounded in count and time; the server is
stopped at the end, also on Ctrl-C or an error.

Usage: python benchmarks/load.py [--clients 1,5,20] [--seconds 20] [--max-requests 5000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from _setup import ROOT  # noqa: I001 (sets up the import path first)

from tests.serving import running_app  # noqa: E402

DEFAULT_QUESTIONS = ROOT / "benchmarks" / "data" / "dev.jsonl"
REQUEST_TIMEOUT_S = 120  # one answer that takes longer than this counts as an error
START_TIMEOUT_S = 300


@dataclass
class Tally:
    """What the clients of one level saw; shared by its threads, guarded by `lock`."""

    limit: int
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    samples: list[str] = field(default_factory=list)  # the first few error messages
    lock: threading.Lock = field(default_factory=threading.Lock)
    _pending: int = 0  # requests claimed but not yet recorded

    def claim(self) -> bool:
        """Reserve one request of the level's budget; False once it is spent."""
        with self.lock:
            if len(self.latencies_ms) + self.errors + self._pending >= self.limit:
                return False
            self._pending += 1
            return True

    def record(self, latency_ms: float | None, error: str | None = None) -> None:
        with self.lock:
            self._pending -= 1
            if error is None and latency_ms is not None:
                self.latencies_ms.append(latency_ms)
            else:
                self.errors += 1
                if len(self.samples) < 5:
                    self.samples.append(error or "unknown error")


def ask(http: httpx.Client, question: str) -> dict:
    """One question through Gradio's HTTP API for `/ask` (what gradio_client does, without
    its threads): post it, then read the event stream to its `complete` event."""
    posted = http.post("/gradio_api/call/ask", json={"data": [question]})
    posted.raise_for_status()
    event = ""
    with http.stream("GET", f"/gradio_api/call/ask/{posted.json()['event_id']}") as stream:
        for line in stream.iter_lines():
            if line.startswith("event:"):
                event = line.removeprefix("event:").strip()
            elif line.startswith("data:") and event in ("complete", "error"):
                data = json.loads(line.removeprefix("data:"))
                if event == "error":
                    raise RuntimeError(f"the app answered with an error: {data}")
                return data[0]
    raise RuntimeError("the event stream ended without an answer")


def client_loop(url: str, questions: list[str], offset: int, ready: threading.Barrier,
                deadline: list[float], tally: Tally) -> None:
    """One simulated user: its own HTTP connection, asking questions until time or budget
    run out."""
    with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT_S) as http:
        try:
            ready.wait(timeout=START_TIMEOUT_S)
        except threading.BrokenBarrierError:
            return
        n = offset
        while time.monotonic() < deadline[0] and tally.claim():
            question = questions[n % len(questions)]
            n += 1
            started = time.perf_counter()
            try:
                reply = ask(http, question)
            except Exception as error:  # counted, not fatal: the figure is how often chat fails
                tally.record(None, f"{type(error).__name__}: {error}"[:200])
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if isinstance(reply, dict) and "answer" in reply:
                tally.record(elapsed)
            else:
                tally.record(None, f"unexpected reply: {reply!r}"[:200])


def run_level(url: str, questions: list[str], clients: int, seconds: float,
              max_requests: int) -> tuple[Tally, float]:
    """`clients` concurrent users for `seconds`; returns what they saw and the time taken."""
    tally = Tally(limit=max_requests)
    deadline = [float("inf")]
    started = [0.0]

    def go() -> None:  # runs once, when every client is connected
        started[0] = time.perf_counter()
        deadline[0] = time.monotonic() + seconds

    ready = threading.Barrier(clients + 1, action=go)
    step = max(1, len(questions) // clients)
    threads = [threading.Thread(target=client_loop, daemon=True,
                                args=(url, questions, i * step, ready, deadline, tally))
               for i in range(clients)]
    for thread in threads:
        thread.start()
    try:
        ready.wait(timeout=START_TIMEOUT_S)
        for thread in threads:  # a request under way may end late, but not after its timeout
            thread.join(timeout=seconds + REQUEST_TIMEOUT_S + 30
                        - (time.perf_counter() - started[0]))
    except KeyboardInterrupt:
        # let the requests under way finish, so that the clients are closed before the server goes
        deadline[0] = 0.0
        ready.abort()
        for thread in threads:
            thread.join(timeout=10)
        raise
    elapsed = time.perf_counter() - started[0]
    stuck = sum(thread.is_alive() for thread in threads)
    if stuck:
        print(f"warning: {stuck} client(s) still busy at the end of the level", file=sys.stderr)
    return tally, elapsed


def percentiles(latencies: list[float]) -> tuple[float, float, float]:
    if not latencies:
        return float("nan"), float("nan"), float("nan")
    if len(latencies) == 1:
        return latencies[0], latencies[0], latencies[0]
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


HEADER = (f"{'clients':>7}  {'requests':>8}  {'errors':>6}  {'p50 ms':>8}  {'p95 ms':>8}  "
          f"{'p99 ms':>8}  {'req/s':>7}")


def row(clients: int, tally: Tally, elapsed: float) -> str:
    p50, p95, p99 = percentiles(tally.latencies_ms)
    requests = len(tally.latencies_ms) + tally.errors
    throughput = len(tally.latencies_ms) / elapsed if elapsed > 0 else 0.0
    return (f"{clients:>7}  {requests:>8}  {tally.errors:>6}  {p50:>8.1f}  {p95:>8.1f}  "
            f"{p99:>8.1f}  {throughput:>7.2f}")


def read_questions(path: Path) -> list[str]:
    questions = [json.loads(line)["question"] for line in path.read_text().splitlines()
                 if line.strip()]
    if not questions:
        raise SystemExit(f"no questions in {path}")
    return questions


def client_counts(text: str) -> list[int]:
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from error
    if not counts or any(not 1 <= n <= 100 for n in counts):
        raise argparse.ArgumentTypeError("client counts must be between 1 and 100")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=client_counts, default=[1, 5, 20],
                        help="comma-separated numbers of concurrent clients (default 1,5,20)")
    parser.add_argument("--seconds", type=float, default=20, help="duration of each level")
    parser.add_argument("--max-requests", type=int, default=5000, help="cap per level")
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    if not 0 < args.seconds <= 600 or args.max_requests < 1:
        parser.error("--seconds must be in (0, 600] and --max-requests at least 1")
    questions = read_questions(args.questions)
    with tempfile.TemporaryDirectory(prefix="ftz-load-") as tmp:
        docs = Path(tmp) / "docs"
        shutil.copytree(args.docs, docs)
        started = time.perf_counter()
        with running_app(docs, Path(tmp) / "index", timeout_s=START_TIMEOUT_S,
                         log_path=Path(tmp) / "serve.log", warm=False) as url:
            print(f"server ready in {time.perf_counter() - started:.1f} s at {url}; "
                  f"{len(questions)} questions, {args.seconds:g} s per level, "
                  f"at most {args.max_requests} requests per level", flush=True)
            print(HEADER, flush=True)
            problems: list[tuple[int, list[str]]] = []
            for clients in args.clients:
                tally, elapsed = run_level(url, questions, clients, args.seconds,
                                           args.max_requests)
                print(row(clients, tally, elapsed), flush=True)
                if tally.samples:
                    problems.append((clients, tally.samples))
        for clients, samples in problems:
            print(f"\nerrors with {clients} clients (first {len(samples)}):")
            for sample in samples:
                print(f"  {sample}")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        raise SystemExit("interrupted; the server was stopped") from None
