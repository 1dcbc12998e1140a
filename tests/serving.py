"""A real `python -m assistant serve` on a free loopback port (forked by `tests.launcher`): the
one launcher of the tests and the benchmarks that need a running app; and an app built from
fakes in the test's own process, for a browser test that must control its timing."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests import launcher


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


ROOT = Path(__file__).resolve().parents[1]
POLL_S = 0.1  # how often the page is asked for while the app starts


@contextmanager
def running_app(docs: Path, index: Path, password: str | None = None,
                timeout_s: float = 240, env: dict[str, str] | None = None,
                log_path: Path | None = None, warm: bool = True) -> Iterator[str]:
    """Serve `docs` with the index in `index` on a free port (with more environment `env`);
    yields the URL once the page answers 200, and stops the app on the way out whatever
    happened. Without a password the staff functions are off (any FTZ_ADMIN_PASSWORD of the
    caller is dropped). The server's output goes to `log_path` (by default `serve-PORT.log`
    beside the index). `warm=False` starts a fresh interpreter instead of a fork of the warm
    one (a benchmark of start-up, or of a server's memory, needs that)."""
    extra = env or {}
    env = {key: value for key, value in os.environ.items()
           if key not in ("FTZ_ADMIN_PASSWORD", "FTZ_CHROMA_URL")}
    env.update(FTZ_DOCS_DIR=str(docs), FTZ_INDEX_DIR=str(index), HF_HUB_OFFLINE="1",
               GRADIO_ANALYTICS_ENABLED="False", **extra)
    if password is not None:
        env["FTZ_ADMIN_PASSWORD"] = password
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    index.mkdir(parents=True, exist_ok=True)
    log_path = log_path or index.parent / f"serve-{port}.log"
    command = ["serve", "--host", "127.0.0.1", "--port", str(port)]
    process = launcher.start(command, output=log_path, env=env) if warm else \
        launcher.cold_start(command, output=log_path, env=env)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"serve exited: {log_path.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"serve did not start in time: {log_path.read_text()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(POLL_S)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def serving_blocks(app: Any) -> Iterator[str]:
    """An app built in this process (from fakes) served on a free loopback port, queued as
    `serve` queues it; yields its URL and closes it on the way out."""
    app.queue(default_concurrency_limit=8).launch(
        server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True,
        quiet=True)
    try:
        yield app.local_url
    finally:
        app.close()
