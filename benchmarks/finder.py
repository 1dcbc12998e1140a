"""Policy finder and figures on a question file: is the expected measure in the top five?

For every `policy` question (the enterprise describes itself), the finder's first five
measures are searched for the question's `answer_contains` items (same normalisation as the
scoring rules). Also prints how many measures and figures were extracted, by unit.

Usage: python benchmarks/finder.py [--questions benchmarks/data/dev.jsonl] [--docs docs]
"""

from __future__ import annotations

import collections
import tempfile
from pathlib import Path

from _setup import indexed, question_options

from assistant.evaluation import contains_all, read_questions


def main() -> None:
    args = question_options(__doc__.splitlines()[0]).parse_args()
    rows = [r for r in read_questions(args.questions) if r.get("kind") == "policy"]
    with tempfile.TemporaryDirectory() as tmp:
        components = indexed(args.docs, Path(tmp))
        finder = components.finder
        hits = 0
        for row in rows:
            top = finder.find(str(row["question"]), k=5)
            text = " ".join(f"{m['measure']} {m['summary']}" for m in top)
            found = contains_all(text, row.get("answer_contains") or [])
            hits += found
            print(f"{row.get('id', '?'):<10} {'yes' if found else 'NO ':<4} "
                  f"{' | '.join(m['measure'][:30] for m in top)}")
        catalogue = components.catalogue
        units = collections.Counter(f.unit if f.unit in {"km²", "%", "yuan", "hours", "rank",
                                                         "ordinal", "fraction", "count"}
                                    else "counted noun" for f in catalogue.facts)
    print(f"expected measure in the top five: {hits} of {len(rows)}")
    print(f"catalogue: {len(catalogue.measures)} measures, {len(catalogue.facts)} figures "
          f"({', '.join(f'{u} {n}' for u, n in units.most_common())})")


if __name__ == "__main__":
    main()
