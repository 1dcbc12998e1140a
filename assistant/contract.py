"""The answer contract: what engines, the CLI, the app and its API exchange."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from langchain_core.documents import Document

from assistant.errors import UserError

MAX_QUESTION_CHARS = 2000
MAX_ANSWER_CHARS = 800


def is_text(value: object) -> bool:
    """Whether `value` is a string of valid Unicode (no lone surrogates, which undecodable
    bytes and JSON escapes can make)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def checked_text(value: object, what: str, limit: int, empty: str) -> str:
    """`value` as engines take it (whitespace runs made one space), or a UserError for what is
    no usable text: not text, not valid Unicode (undecodable bytes), empty (`empty` says what
    to do), longer than `limit`. `what` names it in the messages ("The question")."""
    if not isinstance(value, str):
        raise UserError(f"{what} must be text, not {type(value).__name__}.")
    if not is_text(value):
        raise UserError(f"{what} is not valid UTF-8 text: type it again.")
    value = " ".join(value.split())
    if not value:
        raise UserError(empty)
    if len(value) > limit:
        raise UserError(f"{what} is too long ({len(value)} characters; at most {limit}).")
    return value


def checked_question(question: object) -> str:
    """The question as engines take it (see `checked_text`)."""
    return checked_text(question, "The question", MAX_QUESTION_CHARS,
                        "The question is empty: type a question about the free trade zones.")


@dataclass
class Citation:
    """Where an answer sentence comes from (the contract's citation object)."""

    n: int
    source: str
    title: str
    section: str
    page: int | None
    snippet: str
    url: str | None
    zone: str = ""
    date: str = ""
    passage: str = ""  # the whole chunk the snippet comes from


@dataclass
class Answer:
    """One answer in the contract's JSON shape (`related` and `reason` are given on
    refusals)."""

    question: str
    answer: str
    found: bool
    citations: list[Citation]
    latency_ms: float = 0.0
    related: list[Citation] = field(default_factory=list)
    score: float | None = None  # how well the best evidence sentence fits (0..1), if any
    id: str | None = None
    engine: str = "extractive"  # "llm" when a chat model wrote the (verified) answer
    drafted: int = 0  # sentences a chat model wrote for this answer
    dropped: int = 0  # of those, the ones verification rejected
    reason: str = ""  # on a refusal: what the documents give that is closest
    # the figure that answers, exactly as the first cited passage writes it ("over 3,000
    # hours"); "" when the question asks for no figure (the app's first line, in bold)
    lead: str = ""
    # a Chinese question's answer line ("答：59.96平方公里。"; "答：X；Y。" for a question that
    # asks two things), which opens `answer`
    line: str = ""
    # a comparison, ranking or listing answer's table: {"columns": [...], "rows": [[{"text":
    # ..., "n": citation number (figure cells)}, ...], ...]}
    table: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for optional in ("id", "table"):
            if data[optional] is None:
                data.pop(optional)
        return data


@dataclass
class Evidence:
    """An extractive answer with what it was chosen from: the retrieved chunks (best first)
    and the kind of figure the question asks for, if any."""

    answer: Answer
    chunks: list[Document]
    figure: str | None


def make_citation(n: int, chunk: Document, snippet: str) -> Citation:
    """A citation of a chunk, with `snippet` as its supporting text."""
    meta = chunk.metadata
    return Citation(
        n=n, source=str(meta.get("source", "")), title=str(meta.get("title", "")),
        section=str(meta.get("section", "")),
        page=int(meta["page"]) or None if meta.get("page") else None, snippet=snippet,
        url=str(meta.get("url") or "") or None, zone=str(meta.get("zone", "")),
        date=str(meta.get("date", "")), passage=chunk.page_content,
    )
