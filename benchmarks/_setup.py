"""Shared set-up of the benchmark scripts: offline, a local temporary index, the repo on the
import path, and the usual `--questions` / `--docs` options."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.pop("FTZ_CHROMA_URL", None)  # always a local, temporary index
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
IGNORED = ("README.md", "SOURCES.md")

from assistant.config import load_settings  # noqa: E402
from assistant.ingest.pipeline import collect_files  # noqa: E402
from assistant.wiring import Components  # noqa: E402

DATA = ROOT / "benchmarks" / "data"  # the dev sets (copies of ../shared/eval) and ours
DEV_SETS = [DATA / "dev.jsonl", DATA / "dev-zh.jsonl"]


def question_options(description: str, many: bool = False) -> argparse.ArgumentParser:
    """A parser with `--questions` (default the shared English dev set; with `many`, one or
    more files, default both dev sets) and `--docs` (default docs/)."""
    parser = argparse.ArgumentParser(description=description)
    if many:
        parser.add_argument("--questions", type=Path, nargs="+", default=DEV_SETS)
    else:
        parser.add_argument("--questions", type=Path, default=DEV_SETS[0])
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    return parser


def indexed(docs: Path, index_dir: Path) -> Components:
    """Components over a fresh index of `docs` in `index_dir`."""
    components = Components(load_settings(index_dir=index_dir))
    components.ingestor.ingest(collect_files([docs], IGNORED))
    return components
