"""Parsing untrusted files in a worker process with a memory and a wall-time limit.

A hostile file (a YAML alias bomb, a zip bomb diluted to pass a ratio check, a PDF that makes a
parser loop) must cost one rejected file, not the server. `Sandbox` is a loader like
`load_document`, but each file is parsed by one worker process: a fresh interpreter (started
with exec, never a fork of the server, which holds torch and threads) that imports only the
loaders, caps its own address space (RLIMIT_AS) and parses files one at a time, reused until the
sandbox is closed (the ingestor closes it after each batch). A file that needs more memory fails
inside the worker; a worker that runs over its time is killed, and the next file gets a new one.
A worker that came near its limit (memory a parser leaves behind stays mapped) ends after its
answer, so the next file starts from a fresh one.

The worker answers in JSON, never in pickles: a parser bug exploited in the worker cannot run
code in the server through what it sends back. Its log records are re-emitted in the server.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import selectors
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from langchain_core.documents import Document

from assistant.errors import UnreadableDocument

log = logging.getLogger(__name__)

_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding this `assistant` package
_WORKER = (f"import sys; sys.path.insert(0, {_ROOT!r}); "
           "from assistant.ingest.sandbox import serve; "
           "serve(int(sys.argv[1]), float(sys.argv[2]))")
_READY = b"ready\n"
_START_SECONDS = 60.0  # the worker's own start (imports) may take this long on a busy machine


class Sandbox:
    """`load_document` in a worker process limited to `memory_mb` and `seconds` per file."""

    def __init__(self, memory_mb: int, seconds: float) -> None:
        self.memory_mb = memory_mb
        self.seconds = seconds
        self._worker: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def __call__(self, path: Path) -> list[Document]:
        path = Path(path)
        with self._lock:
            answer = self._ask(path)
            if answer.get("last"):
                self._stop()
        for level, name, message in answer.get("logs", []):
            logging.getLogger(name).log(level, "%s", message)
        if "error" in answer:
            raise UnreadableDocument(path.name, answer["error"])
        return [Document(page_content=text, metadata=meta) for text, meta in answer["documents"]]

    def close(self) -> None:
        """End the worker (a new one starts with the next file)."""
        with self._lock:
            self._stop()

    def _ask(self, path: Path) -> dict[str, Any]:
        try:
            worker = self._started()
        except (TimeoutError, EOFError, OSError):
            self._stop()
            return {"error": "the parsing worker could not be started"}
        request = json.dumps({"path": str(path.absolute())}).encode() + b"\n"
        try:
            worker.stdin.write(request)  # type: ignore[union-attr]
            worker.stdin.flush()  # type: ignore[union-attr]
            return json.loads(_read_line(worker, self.seconds))
        except TimeoutError:
            self._stop()
            return {"error": f"parsing took longer than {self.seconds:g} s"}
        except (OSError, EOFError, ValueError):  # the worker died (or spoke nonsense)
            code = self._stop()
            log.info("%s: the parsing worker ended (exit code %s)", path.name, code)
            return {"error": f"the parser stopped unexpectedly (limit {self.memory_mb} MB)"}

    def _started(self) -> subprocess.Popen[bytes]:
        if self._worker is None or self._worker.poll() is not None:
            self._stop()
            self._worker = subprocess.Popen(
                [sys.executable, "-I", "-c", _WORKER, str(self.memory_mb), str(self.seconds)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            if _read_line(self._worker, _START_SECONDS) != _READY:
                raise EOFError
        return self._worker

    def _stop(self) -> int | None:
        worker, self._worker = self._worker, None
        if worker is None:
            return None
        if worker.poll() is None:
            worker.kill()
        for stream in (worker.stdin, worker.stdout):
            if stream:
                stream.close()
        return worker.wait()


def _read_line(worker: subprocess.Popen[bytes], seconds: float) -> bytes:
    """One line from the worker within `seconds` (TimeoutError), EOFError if it ended."""
    fd = worker.stdout.fileno()  # type: ignore[union-attr]
    deadline = time.monotonic() + seconds
    parts: list[bytes] = []
    # (a selector, not select.select: a long-running server's descriptors pass 1024)
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                raise TimeoutError
            part = os.read(fd, 1 << 20)
            if not part:
                raise EOFError
            parts.append(part)
            if part.endswith(b"\n"):
                return b"".join(parts)


# ---------------------------------------------------------------- the worker's side


class _Collect(logging.Handler):
    """Keeps the worker's log records, to be sent with its answer."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[int, str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.name, record.getMessage()))


def _peak_rss_bytes() -> int:
    """This worker's peak resident memory since it started. Not `ru_maxrss`: that survives
    exec, so a worker started by a large server would report the server's peak and end after
    every file; the kernel's high-water mark of the worker's own memory map (VmHWM) does not."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def serve(memory_mb: int, seconds: float) -> None:
    """The worker: cap the address space, then answer one JSON line per requested path."""
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # what a library prints goes where stderr goes, not into the answers
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    _, cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)
    from assistant.ingest.loaders import load_document

    collect = _Collect()
    logging.basicConfig(level=logging.INFO, handlers=[collect])
    answers.write(_READY)
    answers.flush()
    for line in sys.stdin.buffer:
        path = Path(json.loads(line)["path"])
        collect.records.clear()
        # a backstop should the server die mid-file (it kills a worker that runs over): the
        # worker ends itself when this file took twice its time in CPU seconds
        used = resource.getrusage(resource.RUSAGE_SELF)
        soft = int(used.ru_utime + used.ru_stime + 2 * seconds) + 1
        if cpu_hard != resource.RLIM_INFINITY:
            soft = min(soft, cpu_hard)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, cpu_hard))
        try:
            docs = load_document(path)
            answer: dict[str, Any] = {
                "documents": [(doc.page_content, doc.metadata) for doc in docs]}
        except UnreadableDocument as error:
            answer = {"error": error.reason}
        except MemoryError:
            answer = {"error": f"parsing needed more than {memory_mb} MB"}
        except Exception as error:  # (load_document wraps what it knows; this is a backstop)
            answer = {"error": f"could not read file: {type(error).__name__}"}
        answer["logs"] = collect.records
        answer["last"] = _peak_rss_bytes() > limit / 2
        answers.write(json.dumps(answer).encode() + b"\n")
        answers.flush()
        if answer["last"]:
            return
