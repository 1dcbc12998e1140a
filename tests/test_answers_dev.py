"""Answers over the shipped documents and the tune question sets: the contract's invariants,
and scores that must not fall (a guard, not the measurement: see benchmarks/answers.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.answering.compose import LEAD_IN_ZH, REFUSAL, REFUSAL_ZH
from assistant.config import load_settings
from assistant.wiring import Components
from tests import launcher
from tests.conftest import DOCS, EVAL, copy_index

pytestmark = [pytest.mark.integration, pytest.mark.slow]
TUNE = EVAL / "tune.jsonl"
DEV_ZH = EVAL / "dev-zh.jsonl"
SAMPLE = 3  # a third of the 2,082 tune questions: the invariants' guard, in a third of the time
NUMBER = re.compile(r"\d[\d,.]*\d|\d")
MARKER = re.compile(r" \[(\d{1,2})\](?= |$)")  # our citation markers, not "[2019]"


@pytest.fixture(scope="module")
def components(tmp_path_factory, shipped_index: Path) -> Components:
    index = copy_index(shipped_index, tmp_path_factory.mktemp("dev") / "index")
    return Components(load_settings(docs_dir=DOCS, index_dir=index))


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def dev_answers(components: Components) -> list[tuple[dict, dict]]:
    """Every `SAMPLE`th question of the English tune set and every Chinese dev question, with
    its answer JSON (benchmarks/answers.py checks every question of every set)."""
    rows = _rows(TUNE)[::SAMPLE] + _rows(DEV_ZH)
    return [(row, components.engine.answer(row["question"]).to_json()) for row in rows]


def test_every_number_in_an_answer_is_in_its_cited_snippets(dev_answers) -> None:
    for row, answer in dev_answers:
        if not answer["found"]:
            continue
        markers = {int(n) for n in MARKER.findall(answer["answer"])}
        assert markers == {c["n"] for c in answer["citations"]}, row["id"]
        snippets = " ".join(c["snippet"] for c in answer["citations"])
        prose = MARKER.sub("", answer["answer"].removeprefix(LEAD_IN_ZH))
        for number in NUMBER.findall(prose):
            assert number in snippets, (row["id"], number)


def test_answers_are_short_cited_and_refusals_cite_nothing(dev_answers) -> None:
    for _, answer in dev_answers:
        assert len(answer["answer"]) <= 800
        if answer["found"]:
            assert 1 <= len(answer["citations"]) <= 3
            assert len(MARKER.findall(answer["answer"])) <= 3
            for citation in answer["citations"]:
                assert (DOCS / citation["source"]).exists()
                assert citation["snippet"].split(" ")[0] in answer["answer"]
        else:
            assert answer["citations"] == []
            assert answer["answer"] in (REFUSAL, REFUSAL_ZH)


@pytest.mark.parametrize("path", [TUNE, DEV_ZH], ids=["english", "chinese"])
def test_tune_set_scores_do_not_fall(path: Path, dev_answers) -> None:
    from assistant.evaluation import judge, report

    ids = {row["id"] for row in _rows(path)}
    judgements = [judge(row, answer) for row, answer in dev_answers if row["id"] in ids]
    last = report(judgements).splitlines()[-1]
    scores = dict(zip(last.split()[0:6:2], map(float, last.split()[1:6:2]), strict=True))
    assert scores["accuracy"] >= 0.85 and scores["cite"] >= 0.85, last
    if any(not j.answerable for j in judgements):
        assert scores["refusal"] >= 0.8, last


def test_follow_up_carries_the_subject(components: Components) -> None:
    first = "How large is the Xiamen area of the Fujian FTZ?"
    answer = components.engine.answer("And the Pingtan area?", history=[first])
    assert answer.found
    assert "Pingtan" in answer.answer and "km" in answer.answer


def test_ask_batch_prints_one_json_line_per_question_in_order(
    components: Components, tmp_path: Path
) -> None:
    batch = tmp_path / "q.jsonl"
    batch.write_text(
        '{"id": "a", "question": "How big is the planned area of the Dalian Free Trade Area?"}\n'
        '{"id": "b", "question": "What is the corporate tax rate in the Hubei FTZ?"}\n'
    )
    done = launcher.run(["--index-dir", str(components.settings.index_dir), "ask", "--batch",
                         str(batch), "--json"])
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["id"] for a in answers] == ["a", "b"]
    assert answers[0]["found"] and "59.96" in answers[0]["answer"]
    assert answers[0]["citations"][0]["source"] == "dalian-ftz-5th-anniversary-2022.md"
    assert not answers[1]["found"]
    assert set(answers[0]) >= {"id", "question", "answer", "found", "citations", "latency_ms"}
