"""Questions that ask two things at once, cut into parts each readable on its own.

"黑河片区2023年进出口总额是多少？同比增长了多少？" asks for a total and for its growth; one
quoted sentence rarely states both. Each part after the first keeps the first part's topic (the
words before its question word: the place, the period, what is measured), so that
"同比增长了多少" is read as the growth of that total. English questions are cut the same way,
at a second question mark or at ", and what ..." after a first question word.
"""

from __future__ import annotations

import re

from assistant.crosslingual import ASKS as ASKS_ZH
from assistant.crosslingual import is_chinese

CLAUSE_END_ZH = re.compile(r"(?<=[，、,；;？?：:])")
# what is left of a first part's topic once its question word is cut: "总额是" -> "总额"
TOPIC_TAIL_ZH = re.compile(r"(?:是|有|为|了|共|一共|累计|达到|达|第|大约|大概|其中|"
                           r"[，、,；;：:\s])+$")
PART_END_ZH = re.compile(r"[，、,；;：:\s]+$")
ASKS_EN = re.compile(r"\b(?:how|what|which|when|who|whom|whose|where|why)\b", re.I)
# a second question after the first: "…?" then more, or ", and what …" / " and how much …"
SECOND_EN = re.compile(r"[?](?=\s*\S)|,?\s+and\s+(?=(?:how|what|which|when|who|where|why)\b)",
                       re.I)
# an English first part's question word and its verb: "How many", "What was", "How much did"
OPENING_EN = re.compile(r"^\W*(?:(?:how (?:many|much|long|large|big|fast)|what|which|when|who|"
                        r"where|why)\b(?:\s+(?:is|are|was|were|did|do|does|has|have|had))?)\s*",
                        re.I)


def question_parts(question: str) -> list[str]:
    """The question's parts (one part for a question that asks one thing)."""
    if is_chinese(question):
        return _chinese_parts(question)
    return _english_parts(question)


def _chinese_parts(question: str) -> list[str]:
    """Clauses grouped so that each part holds one question word; a clause with none joins
    the part before it (or after it, at the start)."""
    parts: list[str] = []
    pending = ""
    for clause in filter(None, CLAUSE_END_ZH.split(question.strip())):
        if ASKS_ZH.search(clause) and (not parts or ASKS_ZH.search(parts[-1])):
            parts.append(pending + clause)
            pending = ""
        elif parts:
            parts[-1] += clause
        else:
            pending += clause
    if pending:
        parts.append(pending)
    if len(parts) < 2:
        return [question]
    parts = [PART_END_ZH.sub("", part) for part in parts]
    first = parts[0]
    topic = TOPIC_TAIL_ZH.sub("", first[: ASKS_ZH.search(first).start()])
    return [first, *(f"{topic}，{part}" if topic else part for part in parts[1:])]


def _english_parts(question: str) -> list[str]:
    """The first question and each later one after "?" or ", and how/what …", the later
    ones followed by the first's topic (the first part without its question word)."""
    pieces = [p.strip(" ,") for p in SECOND_EN.split(question.strip()) if p.strip(" ,?")]
    if len(pieces) < 2 or not all(ASKS_EN.search(p) for p in pieces):
        return [question]
    first = pieces[0].rstrip("?")
    topic = OPENING_EN.sub("", first)
    return [f"{first}?", *(f"{piece.rstrip('?')} ({topic})?" for piece in pieces[1:])]
