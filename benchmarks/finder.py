"""Policy finder on enterprise profiles: is the expected measure among the first five?

Each profile (`benchmarks/data/finder-*.jsonl`, written blind from the documents alone: an
enterprise describing itself in English or Chinese, with phrases of the sentence that states
the measure fitting it) is given to the finder; a hit is a profile whose phrases all appear in
one of the first five cards (name and quoted sentence; same normalisation as the scoring
rules). Printed per set, the held-back set first, overall and by language; also how many
measures and figures the catalogue holds.

Usage: python benchmarks/finder.py [--sets validate=FILE tune=FILE] [--docs docs]
       [--index DIR (reuse an index built earlier)] [--show tune (print that set's profiles)]
"""

from __future__ import annotations

import collections
import tempfile
from pathlib import Path

from _setup import DATA, components_for, set_options

from assistant.evaluation import contains_all, read_questions

SETS = {"validate": DATA / "finder-validate.jsonl", "tune": DATA / "finder-tune.jsonl"}
TOP = 5


def main() -> None:
    args = set_options(__doc__.splitlines()[0], SETS, "print each profile of this set").parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        components = components_for(args, Path(tmp))
        finder = components.finder
        for named in args.sets:
            name, _, path = named.rpartition("=")
            rows = [r for r in read_questions(Path(path)) if r.get("kind") == "policy"]
            hits: collections.Counter[str] = collections.Counter()
            counts: collections.Counter[str] = collections.Counter()
            for row in rows:
                top = finder.find(str(row["question"]), k=TOP)
                found = any(contains_all(f"{m['measure']} {m['summary']}",
                                         row.get("answer_contains") or []) for m in top)
                language = str(row.get("lang") or "en")
                hits[language] += found
                counts[language] += 1
                if name == args.show:
                    print(f"{row.get('id', '?'):<8} {'yes' if found else 'NO ':<4} "
                          f"{' | '.join(m['measure'][:28] for m in top)}")
            total = sum(counts.values()) or 1
            print(f"{name:<10} expected measure in the top {TOP}: {sum(hits.values())} of "
                  f"{sum(counts.values())} ({sum(hits.values()) / total:.2f}); " + ", ".join(
                      f"{lang} {hits[lang]} of {counts[lang]}" for lang in sorted(counts)))
        catalogue = components.catalogue
        units = collections.Counter(f.kind for f in catalogue.facts)
    print(f"catalogue: {len(catalogue.measures)} measures, {len(catalogue.facts)} figures "
          f"({', '.join(f'{u} {n}' for u, n in units.most_common())})")


if __name__ == "__main__":
    main()
