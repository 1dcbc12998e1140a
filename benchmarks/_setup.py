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

DATA = ROOT / "benchmarks" / "data"  # the question sets (see benchmarks/data/README.md)
# name -> file, in the order they are reported: the blind sets first, then the tune set
QUESTION_SETS = {
    "validate": DATA / "validate.jsonl",  # written blind over the new documents; only scored
    "paraphrase": DATA / "paraphrase.jsonl",  # the dev questions reworded blind; only scored
    "tune": DATA / "tune.jsonl",  # dev questions plus more; read freely, fixed against
    "zh-validate": DATA / "zh-validate.jsonl",  # Chinese, written blind; only scored
    "zh-tune": DATA / "zh-tune.jsonl",  # Chinese, written blind; read freely, fixed against
    "zh-dev": DATA / "dev-zh.jsonl",  # Chinese questions the Chinese reading was built on
    "zh-extra": DATA / "zh-extra.jsonl",  # Chinese, written blind (its words leaked, issue 17)
}


def held_out_block(block_id: str) -> bool:
    """Whether a hard ordinary block ("ob-NNN") is held out of fitting the steering detector:
    the even-numbered ones are only scored (benchmarks/injection.py), the odd ones fitted on
    (benchmarks/fit_steering.py)."""
    return int(block_id.split("-")[1]) % 2 == 0


def question_set(text: str) -> tuple[str, Path]:
    """A `--questions` value: a set's name, NAME=FILE, or a file (named by its stem)."""
    if text in QUESTION_SETS:
        return text, QUESTION_SETS[text]
    name, _, path = text.rpartition("=")
    return (name or Path(path).stem), Path(path)


def question_options(description: str, many: bool = False) -> argparse.ArgumentParser:
    """A parser with `--questions` (default the tune set; with `many`, one or more sets,
    default all of them) and `--docs` (default docs/)."""
    parser = argparse.ArgumentParser(description=description)
    if many:
        parser.add_argument("--questions", type=question_set, nargs="+",
                            default=list(QUESTION_SETS.items()))
    else:
        parser.add_argument("--questions", type=Path, default=QUESTION_SETS["tune"])
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    return parser


def indexed(docs: Path, index_dir: Path) -> Components:
    """Components over a fresh index of `docs` in `index_dir`."""
    components = Components(load_settings(index_dir=index_dir))
    components.ingestor.ingest(collect_files([docs], IGNORED).files)
    return components


def set_options(description: str, sets: dict[str, Path], show: str) -> argparse.ArgumentParser:
    """A parser with `--sets NAME=FILE ...` (default `sets`, the held-back one first),
    `--docs`, `--index` (reuse an index built earlier over --docs) and `--show SET` (`show`
    says what is printed of that set)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sets", nargs="+", default=[f"{k}={v}" for k, v in sets.items()])
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    parser.add_argument("--index", type=Path, help="an index built earlier over --docs")
    parser.add_argument("--show", default="", help=show)
    return parser


def components_for(args: argparse.Namespace, tmp: Path) -> Components:
    """Components over `--index` if given, else over a fresh index of `--docs` in `tmp`."""
    if args.index:
        return Components(load_settings(index_dir=args.index))
    return indexed(args.docs, tmp)
