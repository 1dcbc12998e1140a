"""App start-up time: `ftz-assistant serve` from process start until the page answers HTTP 200.

Runs twice against one index folder: first with an empty index (the docs are ingested on the
way), then with the index already built, which is the everyday case.

Usage: python benchmarks/startup.py [--docs docs]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _setup import ROOT  # noqa: I001 (sets up the import path first)

from tests.serving import running_app  # noqa: E402


def time_to_page(docs: Path, index: Path, limit_s: float = 300) -> float:
    """Seconds from starting the app until its page answers 200 (the launcher asks every
    0.1 s)."""
    started = time.perf_counter()
    with running_app(docs, index, timeout_s=limit_s, warm=False):
        return time.perf_counter() - started


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
