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

# what a figure of each kind is called, English then Chinese (a figure of any other kind)
KIND_WORDS = {"area": ("area", "面积"), "percent": ("share or rate", "比例或比率"),
              "money": ("amount of money", "金额"), "duration": ("length of time", "时长"),
              "rank": ("rank", "排名"), "date": ("date", "日期"), "year": ("year", "年份"),
              "count": ("number", "数量"), "person": ("person", "人")}
A_FIGURE = ("figure", "数字")


def probability(features: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """The logistic model: sigmoid of the bias plus the weighted features."""
    z = weights.get("bias", 0.0) + sum(weights.get(k, 0.0) * v for k, v in features.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def contradicts(candidate: Candidate, contradictions: Sequence[str]) -> bool:
    """Whether a candidate holds evidence against answering with it (another period, another
    place, no figure of the kind asked for ...)."""
    return any(candidate.features.get(name, 0.0) >= 0.5 for name in contradictions)


# one sentence per reason, English then Chinese; names and periods as the documents write them
REASONS = {
    "nothing": ("No indexed passage is about this question.",
                "没有一段已收录的文字与这个问题有关。"),
    "period": ("The documents give this{about} for {detail}, not for {periods}.",
               "文件给出的是{detail}的数据{about}，不是{periods}的。"),
    "enclave": ("The documents give this for {place} as a whole, not for its {enclave}.",
                "文件给出的是{place}整体的数据，不是其中{enclave}的。"),
    "place": ("The documents give this for {detail}, not for {asked}.",
              "文件给出的是{detail}的数据，不是{asked}的。"),
    "part": ("The closest passages are about another {detail} than the one asked about.",
             "最接近的段落说的是另一个{detail}，不是所问的那个。"),
    "absent": ("The closest passages come from documents that never mention {detail}.",
               "最接近的段落所在的文件从未提到{detail}。"),
    "role": ("The closest passages name people in other offices than the one asked about.",
             "最接近的段落提到的是其他职位的人，不是所问的职位。"),
    "kind": ("The closest passages are about this topic but state no {detail} for it.",
             "最接近的段落谈到这个话题，但没有给出相应的{detail}。"),
    "missing": ("No indexed document mentions {detail} in this connection.",
                "没有已收录的文件在这方面提到{detail}。"),
    "touch": ("The closest passages touch on the question but do not state the answer.",
              "最接近的段落涉及这个问题，但没有给出答案。"),
}


def refusal_reason(question: Question, nearest: Candidate | None, chinese: bool = False) -> str:
    """One sentence a user can read on why the documents do not answer: what the closest
    passage gives instead, when it contradicts the question (in Chinese for a `chinese`
    question; names and periods as the documents write them)."""
    def said(reason: str, **details: str) -> str:
        return REASONS[reason][chinese].format(**details)

    asked = ", ".join(name.text for name in question.names if name.place) or ""
    if nearest is None:
        return said("nothing")
    for conflict in nearest.conflicts:
        kind, _, detail = conflict.partition(":")
        if kind == "period" and question.periods:
            about = (f"（{asked}）" if chinese else f" for {asked}") if asked else ""
            return said("period", about=about, detail=detail, periods=_periods(question.periods))
        if kind == "enclave":
            place, _, enclave = detail.partition("|")
            return said("enclave", place=place, enclave=enclave)
        if kind == "place" and asked:
            return said("place", detail=detail, asked=asked)
        if kind in ("part", "absent"):
            return said(kind, detail=detail)
        if kind == "role":
            return said("role")
        if kind == "kind":
            return said("kind", detail=KIND_WORDS.get(detail, A_FIGURE)[chinese])
    missing = [name.text for name in question.names
               if nearest.features.get("names_missing", 0) and not _mentioned(name, nearest)]
    if missing:
        return said("missing", detail=("、" if chinese else ", ").join(missing[:2]))
    return said("touch")


def _periods(periods: tuple[Period, ...]) -> str:
    return " or ".join(dict.fromkeys(p.label for p in periods))


def _mentioned(name: object, candidate: Candidate) -> bool:
    keys = candidate.sentence.notes.keys | candidate.chunk.header.keys
    return any(alt in keys for alt in getattr(name, "alternatives", ()))
