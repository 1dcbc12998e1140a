"""The answer text and its citations, from the chosen candidates; the related passages of a
refusal.

An answer quotes up to three passages (the best candidate, then close runners-up that add
something the question asks about). A passage is a sentence with what it needs to be read on
its own: a list item or table row with its lead-in, a sentence that refers back with the one
before, a lead-in with its items. Line breaks inside a sentence are joined.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from langchain_core.documents import Document

from assistant.answering.bank import ChunkRecord, leads_in
from assistant.answering.chinese import answer_line
from assistant.answering.scoring import Candidate
from assistant.contract import MAX_ANSWER_CHARS, Answer, Citation, make_citation

REFUSAL = ("The indexed documents do not answer this question. The closest passages are "
           "listed as related reading, not as an answer.")
REFUSAL_ZH = "已收录的文件没有回答这个问题。下面列出最接近的段落，仅供参考，不是答案。"
LEAD_IN_ZH = "根据英文原文："  # the answer that follows is quoted from the English documents
SUBJECT_START = re.compile(r"^(?:these|this|it|its|they|their|such|he|his|she|her)\b", re.I)
# a sentence that says how what the one before names works: "Under it, goods are ..."
EXPLAINS = re.compile(r"^(?:under|with|through|by means of) (?:it|this|that|them|the "
                      r"(?:new |same )?(?:system|model|scheme|mechanism|arrangement|policy|"
                      r"measure|reform|rules?|programme|program|pilot))\b", re.I)
SHORT_INTRODUCTION = 160  # a sentence this short, that the next explains, is quoted with it
# a short title-case line that names what the next sentence describes ("Convenience in
# Administrative Licensing.")
TITLE_LINE = re.compile(r"^(?:[A-Z][\w'’&-]*|of|in|for|and|on|the|to|a|an|with)"
                        r"(?:\s+(?:[A-Z][\w'’&()-]*|of|in|for|and|on|the|to|a|an|with)){0,7}[.:]?$")
UNIT_CHARS = 500  # a lead-in's items are quoted up to this length
SHORTEST_EXTRA = 80  # a runner-up is quoted only if at least this many characters are left


def as_document(chunk: ChunkRecord) -> Document:
    """A chunk as a LangChain document (what citations and the generative engine take)."""
    return Document(page_content=chunk.text, id=chunk.id,
                    metadata={**chunk.metadata, "chunk_id": chunk.id})


def plain(text: str) -> str:
    """A quoted sentence with its line breaks (from PDF pages) joined."""
    text = re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", text)  # "trans-\nshipment"
    return " ".join(text.split())


def compose(question: str, best: Candidate, others: Sequence[Candidate], margin: float,
            chinese: bool = False, parts: Sequence[Candidate] = ()) -> Answer:
    """Up to three passages: the best, then the best answers to the question's other `parts`
    (when it asks two things), then close runners-up (within `margin` of the best's
    probability) that cover question terms the answer lacks so far; a passage next to a
    chosen passage of the same chunk joins that passage. For a `chinese` question they follow
    the Chinese answer line (the figures the passages state) and `LEAD_IN_ZH`."""
    # the figures the line states: each part's, in the question's order (else the best's)
    stated = [c.figure for c in (parts or [best]) if c.figure is not None]
    line = answer_line(stated) if chinese else ""
    lead_in = line + LEAD_IN_ZH if chinese else ""  # (its length counts against the budget)
    units: list[tuple[Candidate, set[int]]] = [(best, set(_positions(best)))]
    for part in parts:
        if part is not best:
            _join(units, part)
    covered = set().union(*(unit.sentence.notes.terms for unit, _ in units))
    for candidate in sorted(others, key=lambda c: c.probability, reverse=True):
        if len(units) >= 3 or candidate.probability < best.probability - margin:
            break
        fresh = candidate.sentence.notes.terms - covered
        if candidate is best or not fresh:
            continue
        covered |= fresh
        _join(units, candidate)
    citations: list[Citation] = []
    numbers: dict[str, int] = {}
    parts: list[str] = []
    for candidate, taken in units:
        chunk_id = candidate.chunk.id
        marker = f" [{numbers.get(chunk_id, len(citations) + 1)}]"
        used = len(lead_in) + len(" ".join(parts)) + (1 if parts else 0)
        budget = MAX_ANSWER_CHARS - used - len(marker)
        if parts and budget < SHORTEST_EXTRA:
            break
        text, kept = _fit(candidate, sorted(taken), budget)
        whole = " ".join(candidate.chunk.texts[p] for p in kept)  # the snippet: what is quoted
        if chunk_id in numbers:
            cited = citations[numbers[chunk_id] - 1]
            cited.snippet = f"{cited.snippet} {whole}"
        else:
            numbers[chunk_id] = len(citations) + 1
            citations.append(make_citation(numbers[chunk_id], as_document(candidate.chunk),
                                           whole))
        parts.append(text + marker)
    figure = best.figure.text if best.figure else ""
    lead = figure if figure and figure in citations[0].snippet else ""
    quoted = " ".join(cited.snippet for cited in citations)
    # (a figure cut from the quote is stated by no line)
    line = answer_line([f for f in stated if f.text in quoted]) if chinese else ""
    opening = line + LEAD_IN_ZH if chinese else ""
    return Answer(question, opening + " ".join(parts), True, citations, lead=lead, line=line)


def _join(units: list[tuple[Candidate, set[int]]], candidate: Candidate) -> None:
    """Add a candidate's passage to the quoted units: into a unit of the same chunk it
    touches or overlaps, else as a unit of its own."""
    positions = set(_positions(candidate))
    for unit, taken in units:
        if unit.chunk.id == candidate.chunk.id and any(
                abs(p - q) <= 1 for p in positions for q in taken):
            taken |= positions
            return
    units.append((candidate, positions))


def related(candidates: Sequence[Candidate], limit: int = 3) -> list[Citation]:
    """The best sentence of up to `limit` chunks, offered as related reading on a refusal."""
    found: list[Citation] = []
    seen: set[str] = set()
    for candidate in sorted(candidates, key=lambda c: c.probability, reverse=True):
        if candidate.chunk.id not in seen and len(found) < limit:
            seen.add(candidate.chunk.id)
            found.append(make_citation(len(found) + 1, as_document(candidate.chunk),
                                       candidate.text))
    return found


def _positions(candidate: Candidate) -> tuple[int, ...]:
    """The sentences an answer quotes for a candidate, in order: a list item (or table row)
    with its lead-in; a sentence that refers back with the one before; a lead-in with its
    items; and a following sentence that continues the subject ("He also called for:", with
    its items; after a short sentence that introduces something, "Under it, ...")."""
    sentences, here = candidate.chunk.texts, candidate.position
    items = candidate.chunk.items
    chosen = [here]
    lead = candidate.chunk.lead_in(here)
    if SUBJECT_START.match(candidate.text) and here - 1 in sentences:
        chosen = [here - 1, here]
    elif lead is not None:
        chosen = [lead, here]
    after = chosen[-1] + 1
    if not leads_in(sentences[chosen[-1]]) and after in sentences and (
            SUBJECT_START.match(sentences[after]) and leads_in(sentences[after])
            or EXPLAINS.match(sentences[after])
            and len(sentences[chosen[-1]]) < SHORT_INTRODUCTION):
        chosen.append(after)  # "... its "1210" model." with "Under it, goods are ..."
    if chosen == [here] and _titles(candidate.text) and here + 1 in sentences:
        chosen.append(here + 1)  # a title line alone says nothing: quote what it heads
    title = chosen[0] - 1
    if title in sentences and _titles(sentences[title]):
        chosen.insert(0, title)
    length = sum(len(sentences[p]) for p in chosen)
    if leads_in(sentences[chosen[-1]]):
        following = chosen[-1] + 1
        while following in items and length + len(sentences[following]) < UNIT_CHARS:
            chosen.append(following)
            length += len(sentences[following])
            following += 1
    return tuple(chosen)


def _titles(sentence: str) -> bool:
    """Whether a sentence is a title line: a few capitalised words, no figure."""
    return bool(TITLE_LINE.match(sentence)) and not re.search(r"\d", sentence)


def _fit(candidate: Candidate, positions: list[int], budget: int) -> tuple[str, list[int]]:
    """The unit's text within `budget` characters, and the positions it quotes: the
    sentences furthest from the candidate dropped first, then an over-long sentence cut at a
    space (the snippet keeps it whole)."""
    sentences, kept = candidate.chunk.texts, list(positions)

    def text() -> str:
        return " ".join(plain(sentences[p]) for p in kept)

    while len(kept) > 1 and len(text()) > budget:
        kept.remove(max(kept, key=lambda p: abs(p - candidate.position)))
    joined = text()
    if len(joined) > budget:
        joined = joined[: joined.rfind(" ", 0, budget - 1)] + " …"
    return joined, kept


def unit_text(candidate: Candidate) -> str:
    """All the sentences quoted for a candidate, joined (what its answer would say)."""
    return " ".join(candidate.chunk.texts[p] for p in _positions(candidate))
