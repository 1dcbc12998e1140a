"""Editions of one report: a question that names no period gets the newest edition's figure,
one that names a period gets that period's, and what only an older edition says still answers.
Invented yearbooks of one area, real Chroma, the bag-of-words fake."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.answering.bank import DocumentContext, Notes, older_editions, series_of
from tests.fakes import index_corpus

LATEST = 2024
CONTAINERS = {2019: "3.11", 2020: "3.87", 2021: "4.20", 2022: "5.63", 2023: "6.15", 2024: "7.02"}
REVISED = "6.20"  # the newest edition's figure for the year before, where that year's said 6.15
FIRMS = {2019: "1,150", 2020: "1,420", 2021: "1,980", 2022: "2,310", 2023: "2,870", 2024: "3,410"}


def yearbook(year: int) -> str:
    """One edition: the same words each year, that year's figures; the oldest edition alone
    tells of the cold-chain hub."""
    hub = ("\n## Cold chain\nThe cold-chain hub of the Qinzhou Port Area opened with 12 berths "
           "for reefer ships.\n") if year == min(CONTAINERS) else ""
    revised = (f"\n## Revised\nIn {year - 1}, the Qinzhou Port Area handled {REVISED} million "
               "TEUs of containers.\n") if year == LATEST else ""
    return f"""---
title: Qinzhou Port Area Yearbook {year}
zone: Guangxi FTZ / Qinzhou Port Area
---
# Qinzhou Port Area Yearbook {year}

## Port
In {year}, the Qinzhou Port Area handled {CONTAINERS[year]} million TEUs of containers.
New enterprises registered in the Qinzhou Port Area numbered {FIRMS[year]} in {year}.
{hub}{revised}"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> SimpleNamespace:
    # (the newest edition is written last: the store's order does not decide)
    documents = {f"yearbook-{year}.md": yearbook(year) for year in sorted(CONTAINERS)}
    return index_corpus(tmp_path_factory.mktemp("editions"), documents)


def test_a_question_without_a_period_gets_the_newest_edition_s_figure(corpus):
    answer = corpus.engine.answer("How many TEUs did the Qinzhou Port Area handle?")
    assert answer.found and "7.02 million" in answer.answer, answer.answer
    assert all(CONTAINERS[year] not in answer.answer for year in CONTAINERS if year != LATEST)
    assert answer.citations[0].source.endswith(f"yearbook-{LATEST}.md")


def test_a_question_that_names_a_period_gets_that_period_s_figure(corpus):
    answer = corpus.engine.answer("How many TEUs did the Qinzhou Port Area handle in 2021?")
    assert answer.found and "4.20 million" in answer.answer, answer.answer
    assert answer.citations[0].source.endswith("yearbook-2021.md")


def test_for_a_period_both_editions_state_the_newer_edition_s_figure_stands(corpus):
    answer = corpus.engine.answer("How many TEUs did the Qinzhou Port Area handle in 2023?")
    assert answer.found and f"{REVISED} million" in answer.answer, answer.answer
    assert CONTAINERS[2023] not in answer.answer


def test_what_only_an_older_edition_says_still_answers(corpus):
    answer = corpus.engine.answer("How many berths does the cold-chain hub of the Qinzhou "
                                  "Port Area have?")
    assert answer.found and "12 berths" in answer.answer, answer.answer


def _document(source: str, title: str, year: int | None) -> DocumentContext:
    return DocumentContext(source, title, "", "", "", Notes(title), [], series_of(title), year)


def test_editions_are_titles_alike_but_for_their_numbers_and_the_latest_year_stands():
    assert series_of("Harbour Yearbook (2022)") == series_of("Harbour Yearbook 2019") \
        == "harbour yearbook"
    assert series_of("Harbour Yearbook 2022") != series_of("Harbour Review 2022")
    documents = [_document("a", "Harbour Yearbook 2019", 2019),
                 _document("b", "Harbour Yearbook 2022", 2022),
                 _document("c", "Harbour Review 2018", 2018),  # another series: stands
                 _document("d", "Harbour Yearbook", None),  # no year: cannot be ordered
                 _document("e", "", 2010)]  # no title: no series
    assert older_editions(documents) == {"a"}
