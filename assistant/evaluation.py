"""Question files (JSONL) and their scoring, exactly as the contract defines it."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.contract import MAX_ANSWER_CHARS
from assistant.errors import UserError


def normalise(text: str) -> str:
    """NFKC, lower case, commas inside numbers removed, then letters and digits only."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"(?<=\d),(?=\d)", "", text)
    return "".join(ch for ch in text if ch.isalnum())


def contains_all(answer: str, expected: Iterable[str]) -> bool:
    """Every expected item (alternatives split by `|`) appears in the normalised answer."""
    haystack = normalise(answer)
    return all(
        any(normalise(option) in haystack for option in item.split("|") if normalise(option))
        for item in expected
    )


def read_questions(path: Path) -> list[dict[str, Any]]:
    """One JSON object a line; blank lines skipped; a bad line is a user error naming it."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as error:
        raise UserError(f"cannot read {path}: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise UserError(f"{path} is not UTF-8 text") from error
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise UserError(f"{path}:{number}: not valid JSON ({error.msg})") from error
        question = row.get("question") if isinstance(row, dict) else None
        if not isinstance(question, str) or not question.strip():
            raise UserError(f"{path}:{number}: needs a non-empty \"question\"")
        rows.append(row)
    if not rows:
        raise UserError(f"{path}: no questions")
    return rows


@dataclass
class Judgement:
    """How one answer scored."""

    kind: str
    answerable: bool
    accurate: bool
    cited: bool
    refused: bool


def judge(row: dict[str, Any], answer: dict[str, Any]) -> Judgement:
    answerable = bool(row.get("answerable", True))
    accurate = (
        answerable and answer["found"] and len(answer["answer"]) <= MAX_ANSWER_CHARS
        and contains_all(answer["answer"], row.get("answer_contains") or [])
    )
    sources = {citation["source"] for citation in answer["citations"]}
    cited = accurate and (row.get("source") is None or row["source"] in sources)
    return Judgement(str(row.get("kind", "other")), answerable, accurate, cited,
                     not answerable and not answer["found"])


def report(judgements: list[Judgement]) -> str:
    """A table by kind, then the contract's last line."""
    groups: dict[str, list[Judgement]] = defaultdict(list)
    for item in judgements:
        groups[item.kind].append(item)
    lines = [f"{'kind':<14}{'n':>4}{'accuracy':>10}{'cite':>7}{'refusal':>9}"]
    for kind in sorted(groups):
        lines.append(_row(kind, groups[kind]))
    lines.append(_row("all", judgements))
    answerable = [j for j in judgements if j.answerable]
    unanswerable = [j for j in judgements if not j.answerable]
    lines.append(
        f"accuracy {_share(answerable, 'accurate'):.2f} cite {_share(answerable, 'cited'):.2f} "
        f"refusal {_share(unanswerable, 'refused'):.2f} n {len(answerable)}+{len(unanswerable)}"
    )
    return "\n".join(lines)


def _share(items: list[Judgement], attribute: str) -> float:
    return sum(getattr(i, attribute) for i in items) / len(items) if items else 0.0


def _row(label: str, items: list[Judgement]) -> str:
    answerable = [j for j in items if j.answerable]
    unanswerable = [j for j in items if not j.answerable]
    cells = [
        f"{_share(answerable, 'accurate'):.2f}" if answerable else "-",
        f"{_share(answerable, 'cited'):.2f}" if answerable else "-",
        f"{_share(unanswerable, 'refused'):.2f}" if unanswerable else "-",
    ]
    return f"{label:<14}{len(items):>4}{cells[0]:>10}{cells[1]:>7}{cells[2]:>9}"
