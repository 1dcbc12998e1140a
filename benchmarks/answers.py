"""Answer benchmark: every question set in one run, our engine against a naive LangChain
baseline, validate first.

In one process, with the same files, text and embedding model:
1. the engine: docs ingested into a temporary index, then `engine.answer` per question (no
   answer cache: every question is answered afresh);
2. a naive baseline: `load_document` text, `RecursiveCharacterTextSplitter(1000, 200)`,
   `langchain_chroma.Chroma`, `similarity_search(k=4)`; the answer is the top chunk's text,
   always `found`, cited by its source;
3. the bare query embedding (`embed_query`), the floor under any answer's latency, timed right
   after each answer (this machine's speed drifts by half within minutes: only times taken
   side by side compare).
Both systems are scored with the contract's rules (`assistant.evaluation.judge`). The sets:
validate and paraphrase (written blind, only scored), tune (fixed against), and the Chinese
sets. Then the tune - validate gap, numbers of answers missing from their cited snippets, and
the warm answer p50 against the bare embedding p50.

Usage: python benchmarks/answers.py [--questions FILE.jsonl ...] [--docs docs]
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _setup import IGNORED, question_options  # noqa: I001 (import path first)
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
MARKER = re.compile(r" \[(\d{1,2})\](?= |$)")
NUMBER = re.compile(r"\d[\d,.]*\d|\d")


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


def scores(judgements: list[Judgement]) -> dict[str, float | None]:
    """accuracy, cite and refusal of the contract's last line (refusal None for a set
    without unanswerable questions)."""
    words = report(judgements).splitlines()[-1].split()
    found: dict[str, float | None] = {words[i]: float(words[i + 1]) for i in (0, 2, 4)}
    if all(j.answerable for j in judgements):
        found["refusal"] = None
    return found


def unsupported_numbers(answer: dict[str, Any]) -> list[str]:
    """Numbers of an answer that none of its cited snippets holds."""
    if not answer["found"]:
        return []
    snippets = " ".join(c["snippet"] for c in answer["citations"])
    prose = MARKER.sub("", answer["answer"])
    return [n for n in NUMBER.findall(prose) if n not in snippets]


def main() -> None:
    args = question_options(__doc__.splitlines()[0], many=True).parse_args()
    try:
        question_sets = [(name, path, read_questions(path)) for name, path in args.questions]
        files = collect_files([args.docs], IGNORED).files
    except UserError as error:
        sys.exit(f"error: {error}")

    with tempfile.TemporaryDirectory() as tmp:
        components = Components(load_settings(index_dir=Path(tmp) / "index", answer_cache=0))
        components.embeddings.embed_query(WARM_UP)  # model load kept out of the ingest time
        (results, ingest_ms) = timed(lambda: components.ingestor.ingest(files))
        engine = components.engine
        engine.warm_up(wait=True)
        (store, base_chunks), base_ingest_ms = timed(
            lambda: baseline_store(files, components, Path(tmp) / "baseline"))
        engine_chunks = sum(result.chunks for result in results)
        print(f"documents {len(files)}   engine {engine_chunks} chunks in "
              f"{ingest_ms / 1000:.1f} s   baseline {base_chunks} chunks in "
              f"{base_ingest_ms / 1000:.1f} s")
        summary: dict[str, dict[str, float | None]] = {}
        engine_ms: list[float] = []
        embed_ms: list[float] = []
        unsupported = 0
        for name, path, rows in question_sets:
            print()
            measured = compare(name, path, rows, engine, store, components)
            summary[name] = measured["scores"]
            unsupported += measured["unsupported"]
            if not name.startswith("zh"):
                engine_ms += measured["engine_ms"]
                embed_ms += measured["embed_ms"]
        print()
        print_summary(summary, unsupported, engine_ms, embed_ms)


def compare(name: str, path: Path, rows: list[dict[str, Any]], engine: Any, store: Chroma,
            components: Components) -> dict[str, Any]:
    """Both systems and the bare query embedding on one question file, printed."""
    engine.answer(rows[0]["question"])  # warm-up in the set's language
    embeddings = components.embeddings
    engine_json, engine_ms, embed_ms = [], [], []
    for row in rows:  # each answer, then the bare embedding of its question: the same moment
        answer, ms = timed(lambda row=row: engine.answer(row["question"]))
        engine_json.append(answer.to_json())
        engine_ms.append(ms)
        embed_ms.append(timed(lambda row=row: embeddings.embed_query(row["question"]))[1])
    base_json = [baseline_answer(store, row) for row in rows]
    engine_j = [judge(row, answer) for row, answer in zip(rows, engine_json, strict=True)]
    base_j = [judge(row, answer) for row, answer in zip(rows, base_json, strict=True)]
    answerable = [(row, a) for row, a in zip(rows, base_json, strict=True)
                  if row.get("answerable", True)]
    top_holds = sum(contains_all(a["answer"], row.get("answer_contains") or [])
                    for row, a in answerable) / max(len(answerable), 1)
    missing = [(row["id"], n) for row, a in zip(rows, engine_json, strict=True)
               for n in unsupported_numbers(a)]
    print(f"{name}: {path.name} ({len(rows)} questions)")
    print(report(engine_j))
    print(f"{'system':<18}{'p50 ms':>8}{'p95 ms':>8}  contract score")
    print(f"{'engine':<18}{percentile(engine_ms, 50):>8.1f}{percentile(engine_ms, 95):>8.1f}"
          f"  {report(engine_j).splitlines()[-1]}")
    print(f"{'langchain naive':<18}{'':>8}{'':>8}  {report(base_j).splitlines()[-1]}")
    print(f"{'embed_query only':<18}{percentile(embed_ms, 50):>8.1f}"
          f"{percentile(embed_ms, 95):>8.1f}  -")
    print(f"baseline top chunk holds the answer {top_holds:.2f}; numbers missing from their "
          f"cited snippets: {len(missing)}" + (f" {missing[:5]}" if missing else ""))
    return {"scores": scores(engine_j), "engine_ms": engine_ms, "embed_ms": embed_ms,
            "unsupported": len(missing)}


def print_summary(summary: dict[str, dict[str, float | None]], unsupported: int,
                  engine_ms: list[float], embed_ms: list[float]) -> None:
    """The sets side by side, the tune - validate gap and the latency ratio."""
    print(f"{'set':<12}{'accuracy':>10}{'cite':>7}{'refusal':>9}")
    for name, values in summary.items():
        refusal = "-" if values["refusal"] is None else f"{values['refusal']:.2f}"
        print(f"{name:<12}{values['accuracy']:>10.2f}{values['cite']:>7.2f}{refusal:>9}")
    if "tune" in summary and "validate" in summary:
        tune, validate = summary["tune"], summary["validate"]
        gap = {k: (tune[k] or 0.0) - (validate[k] or 0.0) for k in tune}
        print(f"{'tune-valid.':<12}{gap['accuracy']:>+10.2f}{gap['cite']:>+7.2f}"
              f"{gap['refusal']:>+9.2f}")
    print(f"numbers in answers missing from their cited snippets: {unsupported}")
    ratio = percentile(engine_ms, 50) / percentile(embed_ms, 50)
    print(f"warm answer p50 {percentile(engine_ms, 50):.1f} ms / embed_query p50 "
          f"{percentile(embed_ms, 50):.1f} ms = {ratio:.2f}x (English sets)")


if __name__ == "__main__":
    main()
