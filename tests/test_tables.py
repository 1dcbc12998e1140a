"""Comparison, ranking and listing questions answered as cited tables from invented records."""

from __future__ import annotations

from assistant.answering.tables import TableAnswers
from assistant.contract import Answer
from assistant.facts import Fact
from assistant.ui.render import answer_markdown


def _fact(value: str, number: float, place: str, level: str = "area", unit: str = "km²",
          quantity: str = "area", period: str = "", source: str = "reed.md",
          sentence: str = "") -> Fact:
    kind = "area" if unit == "km²" else "percent"
    return Fact(value, number, unit, kind, quantity, place, level, period, period, False,
                [{"source": source, "title": "Reed briefing", "section": "", "page": None,
                  "snippet": sentence or f"{place} covers {value}.", "url": None,
                  "date": "2024"}])


FACTS = [
    _fact("43.78", 43.78, "Fujian FTZ / Xiamen Area", sentence="Area: Xiamen Area; Size: 43.78"),
    _fact("31.26 sq km", 31.26, "Fujian FTZ / Fuzhou Area"),
    _fact("43 sq km", 43.0, "Fujian FTZ / Pingtan Area"),
    _fact("118.04 sq km", 118.04, "Fujian FTZ", level="zone"),
    _fact("1.2 sq km", 1.2, "Fujian FTZ / Xiamen Area / Reed Bonded Zone", level="district"),
    _fact("124,000 sq km", 124000.0, "Fujian (province)", level="province"),
    _fact("59.96 sq km", 59.96, "Liaoning FTZ / Dalian Area"),
    _fact("17.8%", 17.8, "China", level="nation", unit="%", quantity="share of foreign trade",
          period="2022"),
    _fact("19.6%", 19.6, "China", level="nation", unit="%",
          quantity="foreign trade share of national total", period="2024"),
]
TABLES = TableAnswers(lambda: FACTS)


def test_which_area_is_largest_ranks_the_zone_s_areas_with_each_size_cited() -> None:
    answer = TABLES.answer("Which area of the Fujian FTZ is the largest?")
    assert answer is not None and answer.found
    assert "the largest is the Xiamen Area: 43.78 km² [1]" in answer.answer
    rows = answer.table["rows"]
    assert [row[0]["text"] for row in rows] == ["Xiamen Area", "Pingtan Area", "Fuzhou Area"]
    assert [row[1]["text"] for row in rows] == ["43.78 km²", "43 sq km", "31.26 sq km"]
    assert all(row[1]["n"] == c.n for row, c in zip(rows, answer.citations, strict=True))
    assert answer.citations[0].snippet == "Area: Xiamen Area; Size: 43.78"


def test_smallest_and_listing_questions() -> None:
    smallest = TABLES.answer("Which sub-zone of the Fujian FTZ is the smallest?")
    assert smallest is not None and "the smallest is the Fuzhou Area" in smallest.answer
    listed = TABLES.answer("List the areas of the Fujian FTZ with their sizes.")
    assert listed is not None and len(listed.table["rows"]) == 3  # not the enclave, not Fujian


def test_a_change_between_two_years_shows_both_figures_as_written() -> None:
    answer = TABLES.answer("How did the FTZs' share of foreign trade change from 2022 to 2024?")
    assert answer is not None
    assert [row[0]["text"] for row in answer.table["rows"]] == ["2022", "2024"]
    assert "17.8% for 2022 [1] and 19.6% for 2024 [2]" in answer.answer


def test_other_questions_and_tables_the_records_cannot_fill_go_to_the_sentences() -> None:
    for question in ("Which area of the Liaoning FTZ is the largest?",  # one size only
                     "Which area of the Fujian FTZ has the largest foreign trade?",
                     "How did the FTZs' share of foreign trade change from 2021 to 2024?",
                     "What is the area of the Xiamen Area?",
                     "Which areas make up the Fujian FTZ?"):
        assert TABLES.answer(question) is None, question


def test_the_table_shows_in_the_chat_escaped_with_its_markers() -> None:
    answer = TABLES.answer("List the areas of the Fujian FTZ with their sizes.")
    hostile = Answer(answer.question, answer.answer, True, answer.citations,
                     table={"columns": ["Area", "Size"],
                            "rows": [[{"text": "<img src=x onerror=alert(1)>"},
                                      {"text": "1 | 2", "n": 1}]]})
    shown = answer_markdown(answer)
    assert "| Area | Size |" in shown and 'href="#ftz-source-1-1"' in shown
    risky = answer_markdown(hostile)
    assert "<img" not in risky and "1 \\| 2" in risky
    assert "table" in answer.to_json() and "table" not in Answer("q", "a", True, []).to_json()
