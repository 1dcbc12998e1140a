"""Figures as data against hand-labelled records: value, unit, place, quantity and period.

Each labelled record (`benchmarks/data/figures-*.jsonl`: the sentence, the value as written,
its number, unit, quantity, place and period, labelled by hand from the documents alone) is
looked up among the extracted facts of its source document by number and sentence. Printed per
set, the held-back set first: how many records are right on value; on value, unit and place
together; on quantity; on period.

Usage: python benchmarks/figures.py [--sets validate=FILE tune=FILE] [--docs docs]
       [--index DIR (reuse an index built earlier)] [--show tune (print that set's misses)]
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from _setup import DATA, components_for, set_options

from assistant.lexical import analyze

SETS = {"validate": DATA / "figures-validate.jsonl", "tune": DATA / "figures-tune.jsonl"}
GENERIC_PLACE = {"ftz", "ftp", "area", "zone", "pilot", "free", "trade", "port", "the", "of",
                 "china", "city", "province", "new", "special"}
LEVELS = {"ftz": "zone", "zone": "zone", "nation": "nation", "area": "area", "city": "city",
          "province": "province", "district": "area"}
QUANTITY_AGREEMENT = 0.5  # Dice overlap of the quantities' terms that counts as the same


def main() -> None:
    args = set_options(__doc__.splitlines()[0], SETS, "print the misses of this set").parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        components = components_for(args, Path(tmp))
        facts = components.finder.facts()
        for named in args.sets:
            name, _, path = named.rpartition("=")
            records = [json.loads(line) for line in Path(path).read_text().splitlines()
                       if line.strip()]
            _report(name, records, facts, show=name == args.show)


def _report(name: str, records: list[dict[str, Any]], facts: list[dict[str, Any]],
            show: bool) -> None:
    totals = dict.fromkeys(("value", "value+unit+place", "unit", "place", "quantity",
                            "period"), 0)
    for record in records:
        fact = _match(record, facts)
        verdict = _judge(record, fact)
        for key in totals:
            totals[key] += verdict[key]
        if show and not all(verdict.values()):
            wrong = [k for k, v in verdict.items() if not v and "+" not in k]
            print(f"{record['id']:<9} {','.join(wrong):<22} {record['value']!r}\n"
                  f"   want: {record['unit']} | {record['quantity']} | {record['place']} | "
                  f"{record['period']}\n"
                  f"   got:  " + (f"{fact['unit']} | {fact['quantity']} | {fact['place']} | "
                                 f"{fact['period_key']}" if fact else "-"))
    count = len(records) or 1
    print(f"{name:<10} {len(records)} records: " + ", ".join(
        f"{key} {totals[key] / count:.2f}" for key in totals))


def _match(record: dict[str, Any], facts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The extracted fact of the record's source with its number, from its sentence."""
    wanted = set(analyze(record["sentence"]))
    best, best_overlap = None, 0.0
    for fact in facts:
        if fact["number"] is None or not _same_number(fact["number"], record["number"]):
            continue
        for cited in fact["citations"]:
            if cited["source"] != record["source"]:
                continue
            words = set(analyze(cited["snippet"]))
            overlap = len(words & wanted) / (len(wanted) or 1)
            if overlap > best_overlap and overlap >= 0.5:
                best, best_overlap = fact, overlap
    return best


def _judge(record: dict[str, Any], fact: dict[str, Any] | None) -> dict[str, bool]:
    if fact is None:
        return {"value": False, "value+unit+place": False, "unit": False, "place": False,
                "quantity": False, "period": False}
    unit = _same_unit(record["unit"], fact["unit"])
    place = _same_place(record["place"], record.get("place_level", ""), fact["place"],
                        fact["level"])
    return {"value": True, "value+unit+place": unit and place, "unit": unit, "place": place,
            "quantity": _dice(record["quantity"], fact["quantity"]) >= QUANTITY_AGREEMENT,
            "period": _period(record["period"]) == _period(fact["period_key"])}


def _same_number(a: float, b: float) -> bool:
    return abs(a - b) <= max(abs(b) * 1e-6, 1e-9)


def _same_unit(wanted: str, got: str) -> bool:
    def norm(unit: str) -> str:
        unit = unit.lower().replace("percent", "%").replace("rmb", "yuan")
        last = unit.split()[-1] if unit.split() else ""
        return re.sub(r"(?:es|s)$", "", last) if last not in ("%", "km²") else last
    return norm(wanted) == norm(got)


def _same_place(wanted: str, wanted_level: str, got: str, got_level: str) -> bool:
    def words(place: str) -> set[str]:
        last = place.split("/")[-1].lower()
        return {w for w in re.findall(r"[a-z]+", last.replace("-", "")) if w not in GENERIC_PLACE}
    if LEVELS.get(wanted_level.lower(), "other") != LEVELS.get(got_level, "other"):
        return False
    return words(wanted) == words(got)


def _dice(a: str, b: str) -> float:
    x, y = set(analyze(a)), set(analyze(b))
    return 2 * len(x & y) / (len(x) + len(y)) if x or y else 1.0


def _period(key: str) -> str:
    key = key.strip()
    return re.sub(r"^as of (\d{4})$", r"as of \1-12", key)


if __name__ == "__main__":
    main()
