"""Ingest benchmark for a documents folder (default docs/), printed as a small table.

1. Whole processes (`python -m assistant ingest`, model load included): a cold ingest into an
   empty index, then a re-ingest of the unchanged files.
2. In one process with the model already loaded: a cold ingest (load, repair, chunk, embed,
   store, BM25) against raw `model.encode` of the same chunk texts, best of `--rounds`.

Usage: python benchmarks/ingest.py [--docs docs] [--copies 1] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import load_settings  # noqa: E402
from assistant.ingest.pipeline import collect_files  # noqa: E402
from assistant.wiring import Components  # noqa: E402


def corpus(source: Path, copies: int, target: Path) -> Path:
    """The documents, optionally copied N times under distinct names (more work to time)."""
    target.mkdir(parents=True)
    for n in range(copies):
        for path in collect_files([source], ("README.md", "SOURCES.md")).files:
            shutil.copy(path, target / (path.name if n == 0 else f"copy{n}-{path.name}"))
    return target


def timed_process(docs: Path, index: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "assistant", "--index-dir", str(index), "ingest", str(docs)],
        check=True, capture_output=True,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        docs = corpus(args.docs, args.copies, Path(tmp) / "docs")
        files = collect_files([docs]).files
        cold = timed_process(docs, Path(tmp) / "proc-index")
        warm = timed_process(docs, Path(tmp) / "proc-index")

        components = Components(load_settings(index_dir=Path(tmp) / "warmup"))
        components.ingestor.ingest(files[:1])  # loads the model and Chroma once
        model = components.embeddings.model
        ingest_runs, encode_runs, chunk_texts = [], [], []
        for round_ in range(args.rounds):
            fresh = Components(load_settings(index_dir=Path(tmp) / f"round{round_}"))
            fresh.embeddings = components.embeddings  # same warm model
            started = time.perf_counter()
            fresh.ingestor.ingest(files)
            ingest_runs.append(time.perf_counter() - started)
            chunk_texts = [f"{hit.metadata['header']}\n{hit.text}"
                           for hit in fresh.store.iter_chunks()]
            started = time.perf_counter()
            model.encode(chunk_texts, batch_size=components.settings.embed_batch_size,
                         normalize_embeddings=True)
            encode_runs.append(time.perf_counter() - started)

    chunks = len(chunk_texts)
    ingest_s, encode_s = min(ingest_runs), min(encode_runs)
    print(f"documents                  {len(files)}")
    print(f"chunks                     {chunks}")
    print(f"cold ingest (process)      {cold:7.2f} s  {chunks / cold:8.1f} chunks/s")
    print(f"re-ingest   (process)      {warm:7.2f} s  {chunks / warm:8.1f} chunks/s"
          f"  ratio re/cold {warm / cold:.2f}")
    print(f"cold ingest (warm model)   {ingest_s:7.2f} s  {chunks / ingest_s:8.1f} chunks/s")
    print(f"raw model.encode           {encode_s:7.2f} s  {chunks / encode_s:8.1f} chunks/s")
    print(f"ingest / raw throughput    {encode_s / ingest_s:.2f}")


if __name__ == "__main__":
    main()
