"""Refusal threshold calibration: precision and recall of refusing, per `min_score`.

The engine refuses when no sentence passes the hard checks (names, figure kind) or when the
best one scores below `min_score`. This prints, for a range of thresholds, how the refusals
split between unanswerable questions (right) and answerable ones (wrong), on a question file.

Usage: python benchmarks/refusal.py [--questions benchmarks/data/dev.jsonl]
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _setup import indexed, question_options

from assistant.evaluation import read_questions


def main() -> None:
    args = question_options(__doc__.splitlines()[0]).parse_args()
    rows = read_questions(args.questions)
    with tempfile.TemporaryDirectory() as tmp:
        components = indexed(args.docs, Path(tmp))
        engine = components.engine
        engine_scores = []
        for row in rows:  # `score` is None when no sentence passes the hard checks
            answer = engine.answer(str(row["question"]))
            engine_scores.append((bool(row.get("answerable", True)), answer.score))
    print(f"{'min_score':>9} {'refused':>8} {'precision':>10} {'recall':>7}")
    for threshold in [x / 20 for x in range(6, 17)]:
        refused = [(answerable, best) for answerable, best in engine_scores
                   if best is None or best < threshold]
        right = sum(1 for answerable, _ in refused if not answerable)
        unanswerable = sum(1 for answerable, _ in engine_scores if not answerable)
        precision = right / len(refused) if refused else 1.0
        recall = right / unanswerable if unanswerable else 1.0
        print(f"{threshold:9.2f} {len(refused):8d} {precision:10.2f} {recall:7.2f}")
    answerable_scores = sorted(b for a, b in engine_scores if a and b is not None)
    other = sorted(b for a, b in engine_scores if not a and b is not None)
    print(f"lowest best score of an answerable question: {answerable_scores[0]:.3f}")
    print(f"best scores of unanswerable questions passing the checks: "
          f"{', '.join(f'{b:.3f}' for b in other) or 'none'}")


if __name__ == "__main__":
    main()
