"""The verifier against labelled sentences: does it keep the faithful ones and catch each kind
of unfaithful edit?

Each case (`benchmarks/data/verify-*.jsonl`, written blind from the documents alone) is one
sentence as a chat model would write it, with [n] markers, the numbered passages it may cite
(verbatim document text, with its document's title, zone, date and section) and a label: a
faithful kind (paraphrase, summary, a name taken from the document's context) or one unfaithful
edit (negation, a figure moved to another entity, a changed unit, period or rate basis,
comparison or rank, entity, an invented figure). The passages reach `check` as the generative
engine gives them: the text, and the context that says what it is about.

Printed per set, the held-back set first: faithful sentences kept, unfaithful ones caught (the
recall of rejection), the precision of rejection (of the sentences dropped, the share that
were unfaithful), and per kind how many the verifier got right (kept if faithful, else
caught).
Usage: python benchmarks/verify.py [--sets validate=FILE tune=FILE] [--show tune]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from _setup import DATA

from assistant.verify import Context, check

SETS = {"validate": DATA / "verify-validate.jsonl", "tune": DATA / "verify-tune.jsonl"}


def verdict(case: dict[str, Any]) -> tuple[bool, str]:
    """Whether the verifier keeps the case's sentence, and its reason if not."""
    passages = {p["n"]: p["text"] for p in case["passages"]}
    context = {p["n"]: Context(p.get("title", ""), p.get("zone", ""), p.get("date", ""),
                               p.get("section", "")) for p in case["passages"]}
    found = check(case["sentence"], passages, context)
    return found.holds, found.problem or ""


def score(name: str, cases: list[dict[str, Any]], show: bool) -> dict[str, Any]:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for case in cases:
        kept, problem = verdict(case)
        ok = kept == case["faithful"]
        total[case["kind"]] += 1
        right[case["kind"]] += ok
        if show and not ok:
            said = "KEPT" if kept else f"DROPPED ({problem})"
            print(f"  {said} {case['id']} [{case['kind']}]: {case['sentence']}")
    faithful = [k for k in total if k.startswith("faithful")]
    edits = [k for k in total if not k.startswith("faithful")]

    def share(kinds: list[str]) -> float:
        n = sum(total[k] for k in kinds)
        return round(sum(right[k] for k in kinds) / n, 3) if n else 0.0

    caught = sum(right[k] for k in edits)
    wrongly = sum(total[k] - right[k] for k in faithful)  # faithful sentences dropped
    return {"set": name, "cases": len(cases), "faithful kept": share(faithful),
            "unfaithful caught": share(edits),
            "rejections: precision": round(caught / (caught + wrongly), 3) if caught else 0.0,
            "per kind (right/all)": {k: f"{right[k]}/{total[k]}" for k in sorted(total)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=[f"{k}={v}" for k, v in SETS.items()])
    parser.add_argument("--show", default="", help="print the misses of this set (tune only)")
    args = parser.parse_args()
    for named in args.sets:
        name, _, path = named.rpartition("=")
        cases = [json.loads(line) for line in Path(path).read_text().splitlines() if line]
        print(json.dumps(score(name, cases, name == args.show), ensure_ascii=False))


if __name__ == "__main__":
    main()
