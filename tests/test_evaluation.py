"""Question files and scoring, checked against the contract's rules in DESIGN.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assistant.errors import UserError
from assistant.evaluation import (
    Judgement,
    contains_all,
    judge,
    normalise,
    read_questions,
    report,
)


def _answer(text: str, found: bool = True, sources: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "question": "q", "answer": text, "found": found, "latency_ms": 1.0,
        "citations": [{"n": n, "source": s, "title": "", "section": "", "page": None,
                       "snippet": "", "url": None} for n, s in enumerate(sources, start=1)],
    }


def _row(contains: list[str], source: str | None = "ningbo.md", kind: str = "statistic",
         answerable: bool = True) -> dict[str, Any]:
    return {"id": "t", "question": "q", "answer_contains": contains, "source": source,
            "kind": kind, "answerable": answerable}


# ---------------------------------------------------------------- normalise / contains_all


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ningbo AREA", "ningboarea"),
        ("1,250 firms", "1250firms"),
        ("12,345,678", "12345678"),
        ("Dalian, Yingkou and Shenyang", "dalianyingkouandshenyang"),
        ("46.02 km²", "4602km2"),  # NFKC turns the superscript into a plain 2
        ("１２ ｋｍ", "12km"),  # full-width letters and digits
        ("“Lin-gang” (Shanghai)!", "lingangshanghai"),
        ("ﬁrst", "first"),  # the ligature is unfolded
        ("--- ...", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_normalise_removes_only_commas_inside_numbers() -> None:
    # only commas *inside* numbers go; "2021, 3" is two numbers
    assert normalise("in 2021, 3 zones") == "in20213zones"
    assert normalise("1,2") == "12"


def test_contains_all_every_item() -> None:
    answer = "The Ningbo Area covers 46.02 square kilometres and holds 1,250 firms. [1]"
    assert contains_all(answer, ["46.02", "1250", "Ningbo area"])
    assert contains_all(answer, [])
    assert not contains_all(answer, ["46.02", "Harbin"])


def test_contains_all_accepts_any_alternative_of_an_item() -> None:
    answer = "It covers 46.02 sq km. [1]"
    assert contains_all(answer, ["square kilometres|sq km|km²", "46.02"])
    assert not contains_all(answer, ["square kilometres|hectares"])
    assert contains_all("It covers 46 km².", ["km2"])


def test_contains_all_ignores_empty_alternatives_but_not_whole_items() -> None:
    assert contains_all("twelve firms", ["twelve|"])
    assert not contains_all("twelve firms", ["|"])


# ---------------------------------------------------------------- judge


def test_judge_accurate_and_cited() -> None:
    j = judge(_row(["46.02", "km²|square kilometres"]),
              _answer("It covers 46.02 square kilometres. [1]", sources=("ningbo.md",)))
    assert (j.kind, j.answerable, j.accurate, j.cited, j.refused) == (
        "statistic", True, True, True, False)


def test_judge_accurate_but_the_expected_source_is_not_cited() -> None:
    j = judge(_row(["46.02"]), _answer("46.02 km² [1]", sources=("harbin.md",)))
    assert j.accurate and not j.cited


def test_judge_without_an_expected_source_cites_whenever_accurate() -> None:
    assert judge(_row(["46.02"], source=None), _answer("46.02 km²")).cited


def test_judge_missing_item_is_not_accurate_nor_cited() -> None:
    j = judge(_row(["46.02", "Beilun"]), _answer("46.02 km² [1]", sources=("ningbo.md",)))
    assert not j.accurate and not j.cited


def test_judge_found_false_is_not_accurate_even_with_the_words() -> None:
    j = judge(_row(["46.02"]), _answer("46.02", found=False, sources=("ningbo.md",)))
    assert not j.accurate and not j.cited and not j.refused


def test_judge_800_character_limit() -> None:
    row = _row(["46.02"])
    at_limit = "46.02 km². " + "x" * (800 - len("46.02 km². "))
    assert len(at_limit) == 800
    assert judge(row, _answer(at_limit, sources=("ningbo.md",))).accurate
    assert not judge(row, _answer(at_limit + "y", sources=("ningbo.md",))).accurate


def test_judge_refusal_of_an_unanswerable_question() -> None:
    row = _row([], source=None, kind="unanswerable", answerable=False)
    refused = judge(row, _answer("The documents do not answer this.", found=False))
    assert (refused.answerable, refused.refused, refused.accurate, refused.cited) == (
        False, True, False, False)
    assert not judge(row, _answer("Something made up. [1]", sources=("a.md",))).refused


def test_judge_treats_a_row_without_answerable_as_answerable() -> None:
    row = {"question": "q", "answer_contains": ["7th"]}
    j = judge(row, _answer("It ranked 7th. [1]", sources=("x.md",)))
    assert j.answerable and j.accurate and j.cited and j.kind == "other"


# ---------------------------------------------------------------- report


def _judgements() -> list[Judgement]:
    return [
        Judgement("statistic", True, True, True, False),
        Judgement("statistic", True, True, False, False),
        Judgement("measure", True, False, False, False),
        Judgement("fact", True, True, True, False),
        Judgement("unanswerable", False, False, False, True),
        Judgement("unanswerable", False, False, False, False),
        Judgement("unanswerable", False, False, False, True),
    ]


def test_report_last_line_has_exact_shares() -> None:
    lines = report(_judgements()).splitlines()
    assert lines[-1] == "accuracy 0.75 cite 0.50 refusal 0.67 n 4+3"


def test_report_table_rows_by_kind() -> None:
    rows = {line.split()[0]: line.split()[1:] for line in report(_judgements()).splitlines()[1:-1]}
    assert rows["statistic"] == ["2", "1.00", "0.50", "-"]
    assert rows["measure"] == ["1", "0.00", "0.00", "-"]
    assert rows["unanswerable"] == ["3", "-", "-", "0.67"]
    assert rows["all"] == ["7", "0.75", "0.50", "0.67"]


def test_report_with_no_unanswerable_questions() -> None:
    last = report([Judgement("fact", True, True, False, False),
                   Judgement("fact", True, False, False, False),
                   Judgement("fact", True, False, False, False)]).splitlines()[-1]
    assert last == "accuracy 0.33 cite 0.00 refusal 0.00 n 3+0"


def test_judge_and_report_together() -> None:
    rows_answers = [
        (_row(["46.02"]), _answer("46.02 km² [1]", sources=("ningbo.md",))),
        (_row(["7th"], source="harbin.md"), _answer("7th [1]", sources=("ningbo.md",))),
        (_row([], None, "unanswerable", False), _answer("no", found=False)),
    ]
    last = report([judge(r, a) for r, a in rows_answers]).splitlines()[-1]
    assert last == "accuracy 1.00 cite 0.50 refusal 1.00 n 2+1"


# ---------------------------------------------------------------- read_questions


def _write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_read_questions_skips_blank_lines(tmp_path: Path) -> None:
    path = _write(tmp_path, json.dumps({"id": "a", "question": "How large is Ningbo?"}), "",
                  "   ", json.dumps({"id": "b", "question": "When?", "answerable": False}))
    rows = read_questions(path)
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[1]["answerable"] is False


def test_read_questions_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="cannot read"):
        read_questions(tmp_path / "nope.jsonl")


def test_read_questions_bad_json_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, json.dumps({"question": "ok"}), "", '{"question": "broken"')
    with pytest.raises(UserError, match=r"questions\.jsonl:3: not valid JSON"):
        read_questions(path)


@pytest.mark.parametrize(
    "line", ['{"question": ""}', '{"question": "   "}', '{"id": "x"}', '["question"]'])
def test_read_questions_needs_a_question(tmp_path: Path, line: str) -> None:
    path = _write(tmp_path, json.dumps({"question": "ok"}), line)
    with pytest.raises(UserError, match=r":2: needs a non-empty \"question\""):
        read_questions(path)


def test_read_questions_empty_file(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no questions"):
        read_questions(_write(tmp_path, "", ""))


def test_read_questions_rejects_a_null_question(tmp_path: Path) -> None:
    with pytest.raises(UserError):
        read_questions(_write(tmp_path, '{"id": "x", "question": null}'))


def test_read_questions_undecodable_file_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"question": "Où est Xiamen?"}\n'.encode("latin-1"))
    with pytest.raises(UserError):
        read_questions(path)
