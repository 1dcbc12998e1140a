"""App start-up time: `ftz-assistant serve` from process start until the page answers HTTP 200.

Runs twice against one index folder: first with an empty index (the docs are ingested on the
way), then with the index already built, which is the everyday case.

Usage: python benchmarks/startup.py [--docs docs]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def time_to_page(docs: Path, index: Path, limit_s: float = 300) -> float:
    port = free_port()
    env = {**os.environ, "FTZ_DOCS_DIR": str(docs), "FTZ_INDEX_DIR": str(index),
           "HF_HUB_OFFLINE": "1"}
    env.pop("FTZ_CHROMA_URL", None)
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(port)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - started < limit_s:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}", timeout=1) as reply:
                    if reply.status == 200:
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.1)
        raise SystemExit("the app did not start in time")
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index"
        cold = time_to_page(args.docs, index)
        warm = [time_to_page(args.docs, index) for _ in range(3)]
    print(f"start-up with an empty index (ingest included)  {cold:6.1f} s")
    print(f"start-up with the index built (best of 3)       {min(warm):6.1f} s"
          f"   (all: {', '.join(f'{w:.1f}' for w in warm)})")


if __name__ == "__main__":
    main()
