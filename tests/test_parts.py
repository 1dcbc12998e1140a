"""Questions that ask two things, cut into parts (invented questions, both languages)."""

from __future__ import annotations

import pytest

from assistant.answering.parts import question_parts


@pytest.mark.parametrize(("question", "parts"), [
    # class: a total and its growth, asked one after the other
    ("苏州片区2022年实际使用外资是多少？同比增长了多少？",
     ["苏州片区2022年实际使用外资是多少？", "苏州片区2022年实际使用外资，同比增长了多少？"]),
    # class: two figures of one event in one sentence, parted by 、
    ("南沙片区去年共引进了多少个项目、投资额多少亿元？",
     ["南沙片区去年共引进了多少个项目", "南沙片区去年共引进，投资额多少亿元？"]),
    # class: a yes-or-no question and a follow-up question
    ("前海是不是全国最大的片区？排在哪个片区前面？",
     ["前海是不是全国最大的片区？", "前海，排在哪个片区前面？"]),
    # class: "第几" keeps no stray 第 in the topic
    ("厦门港2021年是全国第几大港？全年吞吐量多少吨？",
     ["厦门港2021年是全国第几大港？", "厦门港2021年是全国，全年吞吐量多少吨？"]),
])
def test_a_chinese_question_asking_two_things_has_two_parts_each_with_the_topic(
    question: str, parts: list[str]
) -> None:
    assert question_parts(question) == parts


@pytest.mark.parametrize("question", [
    "截至2021年底，厦门片区新增了多少家企业？",  # a leading clause with no question word
    "几乎所有企业都享受了这项政策吗？",  # 几乎 "almost" asks nothing
    "海口综合保税区的面积",  # no question word at all
    "南沙片区和前海片区一共有多少家企业？",  # 和 joins two names, not two questions
])
def test_a_chinese_question_asking_one_thing_stays_whole(question: str) -> None:
    assert question_parts(question) == [question]


@pytest.mark.parametrize(("question", "parts"), [
    ("How many firms registered in the Yantai Area in 2020, and what was their capital?",
     ["How many firms registered in the Yantai Area in 2020?",
      "what was their capital (firms registered in the Yantai Area in 2020)?"]),
    ("How large is the Yantai Area? When was it launched?",
     ["How large is the Yantai Area?", "When was it launched (the Yantai Area)?"]),
])
def test_an_english_question_asking_two_things_has_two_parts(
    question: str, parts: list[str]
) -> None:
    assert question_parts(question) == parts


@pytest.mark.parametrize("question", [
    "How do bonded warehouses and cross-border e-commerce work together?",
    "What is the Yantai Area?",
    "Tell me about exports, and what about imports",  # "and what about" has no first question
])
def test_an_english_question_asking_one_thing_stays_whole(question: str) -> None:
    assert question_parts(question) == [question]
