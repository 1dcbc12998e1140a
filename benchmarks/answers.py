"""Answer benchmark: our engine against a naive LangChain baseline, per question file.

In one process, with the same files, text and embedding model:
1. the engine: docs ingested into a temporary index, then `engine.answer` per question;
2. a naive baseline: `load_document` text, `RecursiveCharacterTextSplitter(1000, 200)`,
   `langchain_chroma.Chroma`, `similarity_search(k=4)`; the answer is the top chunk's text,
   always `found`, cited by its source;
3. the bare query embedding (`embed_query`), the floor under any answer's latency.
Both systems are scored with the contract's rules (`assistant.evaluation.judge`); latencies are
wall-clock per question after a warm-up call.

Usage: python benchmarks/answers.py [--questions FILE.jsonl ...] [--docs docs]
(default: both shared dev sets, English and Chinese)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _setup import IGNORED, question_options  # noqa: I001 (sets up the import path first)
from langchain_chroma import Chroma  # noqa: E402
from langchain_core.documents import Document  # noqa: E402
from langchain_text_splitters import RecursiveCharacterTextSplitter  # noqa: E402

from assistant.config import load_settings  # noqa: E402
from assistant.errors import UserError  # noqa: E402
from assistant.evaluation import Judgement, contains_all, judge, read_questions, report  # noqa: E402
from assistant.ingest.loaders import load_document  # noqa: E402
from assistant.ingest.pipeline import collect_files  # noqa: E402
from assistant.wiring import Components  # noqa: E402

WARM_UP = "What is a pilot free trade zone?"


def percentile(values: list[float], share: float) -> float:
    """Linear-interpolated percentile (share an integer 1..99) of a non-empty list."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(share) - 1]


def timed(call: Callable[[], Any]) -> tuple[Any, float]:
    """The call's result and its wall-clock time in milliseconds."""
    started = time.perf_counter()
    result = call()
    return result, (time.perf_counter() - started) * 1000


def baseline_store(files: list[Path], components: Components, where: Path) -> tuple[Chroma, int]:
    """The naive LangChain index: our loaders' text, recursive 1000/200 chunks, plain Chroma."""
    documents: list[Document] = []
    for path in files:
        documents.extend(load_document(path))
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    chunks = splitter.split_documents(documents)
    for chunk in chunks:  # Chroma metadata takes no None values
        chunk.metadata = {k: v for k, v in chunk.metadata.items() if v is not None}
    store = Chroma(collection_name="baseline", embedding_function=components.embeddings,
                   persist_directory=str(where))
    store.add_documents(chunks)
    return store, len(chunks)


def baseline_answer(store: Chroma, row: dict[str, Any]) -> dict[str, Any]:
    """The top chunk as the answer, in the contract's answer JSON shape; never refuses."""
    hits = store.similarity_search(row["question"], k=4)
    top = hits[0] if hits else Document(page_content="", metadata={"source": ""})
    meta = top.metadata
    citation = {"n": 1, "source": meta.get("source", ""), "title": meta.get("title", ""),
                "section": "", "page": meta.get("page"), "snippet": top.page_content[:300],
                "url": meta.get("url") or None}
    return {"id": row.get("id"), "question": row["question"], "answer": top.page_content,
            "found": True, "citations": [citation] if hits else []}


def last_line(judgements: list[Judgement]) -> str:
    return report(judgements).splitlines()[-1]


def main() -> None:
    args = question_options(__doc__.splitlines()[0], many=True).parse_args()
    try:
        question_sets = [(path, read_questions(path)) for path in args.questions]
        files = collect_files([args.docs], IGNORED)
    except UserError as error:
        sys.exit(f"error: {error}")

    with tempfile.TemporaryDirectory() as tmp:
        # every question answered afresh (no answer cache), as a first asking costs
        components = Components(load_settings(index_dir=Path(tmp) / "index", answer_cache=0))
        components.embeddings.embed_query(WARM_UP)  # model load kept out of the ingest time
        (results, ingest_ms) = timed(lambda: components.ingestor.ingest(files))
        engine = components.engine
        (store, base_chunks), base_ingest_ms = timed(
            lambda: baseline_store(files, components, Path(tmp) / "baseline"))
        engine_chunks = sum(result.chunks for result in results)
        print(f"documents {len(files)}   engine {engine_chunks} chunks in "
              f"{ingest_ms / 1000:.1f} s   baseline {base_chunks} chunks in "
              f"{base_ingest_ms / 1000:.1f} s")
        for path, rows in question_sets:
            print()
            compare(path, rows, engine, store, components)


def compare(path: Path, rows: list[dict[str, Any]], engine: Any, store: Chroma,
            components: Components) -> None:
    """Both systems and the bare query embedding on one question file, printed."""
    engine.answer(rows[0]["question"])  # warm-up in the set's language
    engine_json, engine_ms = [], []
    for row in rows:
        answer, ms = timed(lambda row=row: engine.answer(row["question"]))
        engine_json.append(answer.to_json())
        engine_ms.append(ms)
    store.similarity_search(WARM_UP, k=4)
    base_json, base_ms = [], []
    for row in rows:
        answer, ms = timed(lambda row=row: baseline_answer(store, row))
        base_json.append(answer)
        base_ms.append(ms)
    embeddings = components.embeddings
    embeddings.embed_query(WARM_UP)
    embed_ms = [timed(lambda row=row: embeddings.embed_query(row["question"]))[1]
                for row in rows]

    engine_j = [judge(row, answer) for row, answer in zip(rows, engine_json, strict=True)]
    base_j = [judge(row, answer) for row, answer in zip(rows, base_json, strict=True)]
    answerable = [(row, a) for row, a in zip(rows, base_json, strict=True)
                  if row.get("answerable", True)]
    top_holds = sum(contains_all(a["answer"], row.get("answer_contains") or [])
                    for row, a in answerable) / max(len(answerable), 1)

    print(f"questions {path}  ({len(rows)})")
    print()
    print("engine by kind")
    print(report(engine_j))
    print()
    print(f"{'system':<18}{'p50 ms':>8}{'p95 ms':>8}  contract score")
    for name, times, scores in (("engine", engine_ms, last_line(engine_j)),
                                ("langchain naive", base_ms, last_line(base_j)),
                                ("embed_query only", embed_ms, "-")):
        print(f"{name:<18}{percentile(times, 50):>8.1f}{percentile(times, 95):>8.1f}  {scores}")
    print()
    ratio = percentile(engine_ms, 50) / percentile(embed_ms, 50)
    print(f"engine p50 / embed_query p50         {ratio:.1f}x")
    print(f"baseline top chunk holds the answer  {top_holds:.2f}"
          "  (answerable questions, 800-char cap ignored)")


if __name__ == "__main__":
    main()
