"""The Chinese answer line states the cited figure with its number as written: only units with
one Chinese rendering are translated; a refusal's reason reads in the question's language.
Every figure here is invented for the test."""

from __future__ import annotations

import pytest

from assistant.answering.chinese import answer_line, in_chinese
from assistant.figures import Figure


@pytest.mark.parametrize(("written", "chinese"), [
    ("48.5 square kilometres", "48.5平方公里"),
    ("12.5%", "12.5%"),
    ("3 per cent", "3%"),
    ("1,205 enterprises", "1,205家企业"),
    ("45 working days", "45个工作日"),
    ("72 hours.", "72小时"),
    ("2017", "2017年"),
])
def test_a_unit_with_one_rendering_is_put_in_chinese(written: str, chinese: str) -> None:
    assert in_chinese(written) == chinese


@pytest.mark.parametrize("written", [
    "1.2 billion yuan",  # (12亿 would be a converted number)
    "US$ 530 million",
    "September 2021",
    "11th",
    "more than 3,000 hours",
    "7.5",
])
def test_any_other_figure_is_given_as_written(written: str) -> None:
    assert in_chinese(written) == written


def test_the_line_states_the_figure_and_is_empty_without_one_in_digits() -> None:
    figure = Figure("48.5 square kilometres", 48.5, "km2", "area", 0, 22)
    assert answer_line([figure]) == "答：48.5平方公里。"
    assert answer_line([]) == ""
    assert answer_line([Figure("three", 3.0, "", "count", 0, 5)]) == ""  # (a figure in words)


def test_the_line_states_the_figures_of_both_parts_of_a_question() -> None:
    total = Figure("7.5 billion yuan", 7.5e9, "yuan", "money", 0, 16)
    growth = Figure("12.5 percent", 12.5, "%", "percent", 0, 12)
    assert answer_line([total, growth]) == "答：7.5 billion yuan；12.5%。"
    assert answer_line([total, total]) == "答：7.5 billion yuan。"  # (one figure stated once)
    # a second figure in words is left to the evidence
    assert answer_line([growth, Figure("half", 0.5, "", "share", 0, 4)]) == "答：12.5%。"


def test_a_refusal_reason_reads_in_the_question_s_language() -> None:
    from types import SimpleNamespace as Fake

    from assistant.answering.fit import refusal_reason

    question = Fake(names=(Fake(text="Wuhu", place=True),), periods=(Fake(label="2019"),))
    nearest = Fake(conflicts=["period:2021"], features={})
    assert refusal_reason(question, nearest) == (
        "The documents give this for Wuhu for 2021, not for 2019.")
    assert refusal_reason(question, nearest, chinese=True) == (
        "文件给出的是2021的数据（Wuhu），不是2019的。")
    elsewhere = Fake(conflicts=["place:Hefei"], features={})
    assert refusal_reason(question, elsewhere, chinese=True) == (
        "文件给出的是Hefei的数据，不是Wuhu的。")
    assert refusal_reason(question, None, chinese=True) == "没有一段已收录的文字与这个问题有关。"
