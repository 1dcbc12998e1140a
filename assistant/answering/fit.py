"""How well a candidate answers: a logistic model over the scoring features, the evidence
that rules a candidate out, and the reason a refusal gives.

The weights are settings (`AnswerSettings.weights`), fitted on the tune question set by
`benchmarks/calibrate.py`; the answer threshold is a setting too, chosen there by a sweep. A
candidate that contradicts the question (`AnswerSettings.contradictions`) cannot answer it,
however similar it is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from assistant.answering.reading import Question
from assistant.answering.scoring import Candidate
from assistant.figures import Period

KIND_WORDS = {"area": "area", "percent": "share or rate", "money": "amount of money",
              "duration": "length of time", "rank": "rank", "date": "date", "year": "year",
              "count": "number", "person": "person"}


def probability(features: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """The logistic model: sigmoid of the bias plus the weighted features."""
    z = weights.get("bias", 0.0) + sum(weights.get(k, 0.0) * v for k, v in features.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def contradicts(candidate: Candidate, contradictions: Sequence[str]) -> bool:
    """Whether a candidate holds evidence against answering with it (another period, another
    place, no figure of the kind asked for ...)."""
    return any(candidate.features.get(name, 0.0) >= 0.5 for name in contradictions)


def refusal_reason(question: Question, nearest: Candidate | None) -> str:
    """One sentence a user can read on why the documents do not answer: what the closest
    passage gives instead, when it contradicts the question."""
    asked = ", ".join(name.text for name in question.names if name.place) or ""
    if nearest is None:
        return "No indexed passage is about this question."
    for conflict in nearest.conflicts:
        kind, _, detail = conflict.partition(":")
        if kind == "period" and question.periods:
            about = f" for {asked}" if asked else ""
            return (f"The documents give this{about} for {detail}, not for "
                    f"{_periods(question.periods)}.")
        if kind == "enclave":
            place, _, enclave = detail.partition("|")
            return f"The documents give this for {place} as a whole, not for its {enclave}."
        if kind == "place" and asked:
            return f"The documents give this for {detail}, not for {asked}."
        if kind == "part":
            return f"The closest passages are about another {detail} than the one asked about."
        if kind == "absent":
            return f"The closest passages come from documents that never mention {detail}."
        if kind == "role":
            return "The closest passages name people in other offices than the one asked about."
        if kind == "kind":
            return (f"The closest passages are about this topic but state no "
                    f"{KIND_WORDS.get(detail, 'figure')} for it.")
    missing = [name.text for name in question.names
               if nearest.features.get("names_missing", 0) and not _mentioned(name, nearest)]
    if missing:
        return f"No indexed document mentions {', '.join(missing[:2])} in this connection."
    return "The closest passages touch on the question but do not state the answer."


def _periods(periods: tuple[Period, ...]) -> str:
    return " or ".join(dict.fromkeys(p.label for p in periods))


def _mentioned(name: object, candidate: Candidate) -> bool:
    keys = candidate.sentence.notes.keys | candidate.chunk.header.keys
    return any(alt in keys for alt in getattr(name, "alternatives", ()))
