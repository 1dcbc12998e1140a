"""Chunking: sections travel into metadata, sentences stay whole, chunks fit the budget."""

from __future__ import annotations

from langchain_core.documents import Document

from assistant.ingest.chunking import SentenceChunker, split_sentences
from tests.fakes import count_words

PAGE = """# Ningbo Zone Fact Sheet

## Overview
The zone opened in 2019. It covers 12.5 km² in three areas, e.g. the port area.

## Measures
- Bonded repair: ships are repaired under bond, saving 40 hours per ship.
- Green lane: perishable cargo is cleared in under 1 hour.

| Year | Firms |
|---|---|
| 2020 | 1,200 |
"""


def _doc(text: str = PAGE, **meta) -> Document:
    return Document(page_content=text, metadata={"source": "ningbo.md", "title": "Ningbo",
                                                 "page": None, **meta})


def test_sections_travel_into_chunks_and_sentences_are_whole() -> None:
    chunks = SentenceChunker(count_words, max_tokens=40).split([_doc()], "hash1")
    sections = [c.section for c in chunks]
    assert sections[0] == "Overview"
    assert "Measures" in sections
    every_sentence = [s.text for c in chunks for s in c.sentences]
    assert "The zone opened in 2019." in every_sentence
    assert "It covers 12.5 km² in three areas, e.g. the port area." in every_sentence
    assert "Year | Firms |" in " ".join(every_sentence) or "| Year | Firms |" in every_sentence
    for chunk in chunks:
        for sentence in chunk.sentences:
            assert chunk.text[sentence.start:sentence.end] == sentence.text
        assert PAGE[chunk.start:chunk.end] == chunk.text
        assert chunk.embed_text.startswith("Ningbo — ")


def test_list_markers_are_not_part_of_sentences() -> None:
    chunks = SentenceChunker(count_words, max_tokens=200).split([_doc()], "h")
    measures = next(c for c in chunks if c.section == "Measures")
    assert measures.sentences[0].text.startswith("Bonded repair:")


def test_chunks_respect_the_token_budget() -> None:
    long_text = "## Part\n" + " ".join(f"Sentence number {i} is here." for i in range(200))
    chunks = SentenceChunker(count_words, max_tokens=50).split([_doc(long_text)], "h")
    assert len(chunks) > 5
    assert all(count_words(c.embed_text) <= 50 + 2 for c in chunks)


def test_an_over_long_sentence_is_split_at_spaces_only() -> None:
    words = [f"word{i}" for i in range(400)]
    chunks = SentenceChunker(count_words, max_tokens=60).split([_doc(" ".join(words))], "h")
    pieces = [s.text for c in chunks for s in c.sentences]
    assert len(pieces) > 1
    assert " ".join(pieces).split() == words


def test_ids_are_stable_and_follow_content() -> None:
    chunker = SentenceChunker(count_words, max_tokens=40)
    first = [c.id for c in chunker.split([_doc()], "h")]
    again = [c.id for c in chunker.split([_doc()], "h")]
    changed = [c.id for c in chunker.split([_doc(PAGE.replace("2019", "2018"))], "h2")]
    assert first == again
    assert len(set(first)) == len(first)
    assert set(first).isdisjoint(changed)


def test_pages_keep_their_number() -> None:
    pages = [_doc("First page text.", page=1), _doc("Second page text.", page=2)]
    chunks = SentenceChunker(count_words).split(pages, "h")
    assert [c.page for c in chunks] == [1, 2]


def test_split_sentences_keeps_abbreviations_and_numbers() -> None:
    text = "It saves over 3,000 hours, e.g. in 2020. Dalian ranks 11th of 43."
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "It saves over 3,000 hours, e.g. in 2020.", "Dalian ranks 11th of 43."]


def test_chinese_sentences_split_on_full_stops() -> None:
    text = "辽宁自贸试验区的总面积是119.89平方公里。大连片区59.96平方公里。"
    assert len(split_sentences(text)) == 2


def test_a_chunk_says_whether_it_opens_a_paragraph() -> None:
    text = ("# Kiln Report\n\nThe kiln zone opened in 2019. It has three areas. Each makes "
            "tiles. All of them export.\n\nA second paragraph starts here.")
    chunks = SentenceChunker(count_words, max_tokens=12).split([_doc(text)], "hash2")
    opening = {c.sentences[0].text: c.opens_paragraph for c in chunks}
    assert opening["The kiln zone opened in 2019."] is True
    assert opening["A second paragraph starts here."] is True
    assert False in opening.values()  # a chunk that begins inside the first paragraph
