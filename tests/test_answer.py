"""Extractive answers over a tiny invented corpus: real Chroma on tmp_path, bag-of-words fake."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.answering.compose import unit_text
from assistant.answering.engine import AnswerEngine
from assistant.answering.fit import refusal_reason
from assistant.errors import UserError
from assistant.figures import holds_kind
from assistant.ingest.pipeline import Ingestor
from assistant.retrieval import HybridRetriever
from tests.fakes import extractive_engine, index_corpus

NINGBO = """---
title: Ningbo Area Fact Sheet
source: https://example.org/zhejiang/ningbo
publisher: Zhejiang Commerce Office
date: 2023-05-10
zone: Zhejiang FTZ / Ningbo Area
---
# Ningbo Area Fact Sheet

## Size and launch
The Ningbo Area covers 46.02 square kilometres along the Beilun coast.
The Ningbo Area was inaugurated on September 21, 2020.
Foreign-invested firms make up 18% of the enterprises registered in the Ningbo Area.

## Shipping measures
The Ningbo Area offers the following shipping measures:
- bonded repair of foreign vessels at the Zhoushan anchorage;
- a single window for crew changes;
- bunkering of low-sulphur fuel under bond.

Port dues are reviewed every spring by the harbour board.
"""

HARBIN = """---
title: Harbin Area Fact Sheet
source: https://example.org/heilongjiang/harbin
zone: Heilongjiang FTZ / Harbin Area
---
# Harbin Area Fact Sheet

## Land and companies
The Harbin Area spans 79.86 square kilometres north of the Songhua River.
The Harbin Area registered 1,250 new enterprises during its second year.
Harbin Area firms export frozen food and farm machinery to Russian buyers.
Parcels handled by the Harbin Area's bonded warehouses grew from 1.2 million to 4.8 million.

## Standing
The Harbin Area ranked 7th among the inland pilot zones in the innovation index.
"""

XIAMEN = """---
title: Xiamen Area Fact Sheet
source: https://example.org/fujian/xiamen
zone: Fujian FTZ / Xiamen Area
---
# Xiamen Area Fact Sheet

## Clearance
Customs clearance for cross-strait parcels in the Xiamen Area takes 6 hours.
The Xiamen Area charges a registration fee of 300 yuan for new traders.

## Trade facilitation
The Xiamen Area grants traders these facilitation measures:
- Advance rulings on tariff codes.
- Joint inspection by customs and quarantine officers.
- Online payment of harbour charges.

Traders in the Xiamen Area paid 290 million yuan (about 41 million dollars) in harbour charges.
"""

GUIDE = """---
title: Bonded Warehouse Guide
source: https://example.org/guides/bonded
---
# Bonded Warehouse Guide

## Storage
Goods may stay in a bonded warehouse for two years before they must be declared.
Warehouse operators file a stock report every month with the local customs office.
"""

CORPUS = {"ningbo-area.md": NINGBO, "harbin-area.md": HARBIN, "xiamen-area.md": XIAMEN,
          "bonded-guide.md": GUIDE}
MARKER = re.compile(r"\[(\d+)\]")
NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def _write(folder: Path, documents: dict[str, str]) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for name, text in documents.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _engine(store, lexical, fake_embeddings) -> AnswerEngine:
    return extractive_engine(store, lexical, fake_embeddings)


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> AnswerEngine:
    """The corpus indexed once for the module: these tests only ask."""
    corpus = index_corpus(tmp_path_factory.mktemp("answer"), CORPUS)
    assert {r.status for r in corpus.results} == {"added"}
    return corpus.engine


@pytest.fixture
def fresh_engine(tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings
                 ) -> AnswerEngine:
    """The corpus in this test's own index, with an empty answer cache (for a test that
    changes the index or counts searches)."""
    results = ingestor.ingest(_write(tmp_path / "corpus", CORPUS))
    assert {r.status for r in results} == {"added"}
    return _engine(store, lexical, fake_embeddings)


def _check_well_formed(data: dict) -> None:
    """Contract shape: short answer, at most 3 passages, markers that point at citations,
    and every number of the answer taken from the cited snippets."""
    answer, citations = data["answer"], data["citations"]
    assert len(answer) <= 800
    assert 1 <= len(citations) <= 3
    assert [c["n"] for c in citations] == list(range(1, len(citations) + 1))
    markers = {int(n) for n in MARKER.findall(answer)}
    assert markers == {c["n"] for c in citations}
    snippets = " ".join(c["snippet"] for c in citations)
    for number in NUMBER.findall(MARKER.sub(" ", answer)):
        assert number in snippets, number


FIGURE_QUESTIONS = [
    ("How large is the Ningbo Area?",
     "The Ningbo Area covers 46.02 square kilometres along the Beilun coast.", "ningbo-area.md"),
    ("When was the Ningbo Area inaugurated?",
     "The Ningbo Area was inaugurated on September 21, 2020.", "ningbo-area.md"),
    ("What share of enterprises in the Ningbo Area are foreign-invested?",
     "Foreign-invested firms make up 18% of the enterprises registered in the Ningbo Area.",
     "ningbo-area.md"),
    ("How many new enterprises did the Harbin Area register?",
     "The Harbin Area registered 1,250 new enterprises during its second year.",
     "harbin-area.md"),
    ("Which rank did the Harbin Area reach in the innovation index?",
     "The Harbin Area ranked 7th among the inland pilot zones in the innovation index.",
     "harbin-area.md"),
    ("How long does customs clearance take in the Xiamen Area?",
     "Customs clearance for cross-strait parcels in the Xiamen Area takes 6 hours.",
     "xiamen-area.md"),
    ("What does registration cost for new traders in the Xiamen Area?",
     "The Xiamen Area charges a registration fee of 300 yuan for new traders.",
     "xiamen-area.md"),
    ("How long may goods stay in a bonded warehouse?",
     "Goods may stay in a bonded warehouse for two years before they must be declared.",
     "bonded-guide.md"),
]


@pytest.mark.parametrize(("question", "sentence", "source"), FIGURE_QUESTIONS)
def test_figure_question_is_answered_from_the_right_sentence(
    engine: AnswerEngine, question: str, sentence: str, source: str
) -> None:
    data = engine.answer(question).to_json()
    assert data["found"] is True
    assert data["question"] == question
    assert data["answer"].startswith(f"{sentence} [1]")
    first = data["citations"][0]
    assert first["source"] == source
    assert sentence in first["snippet"]
    _check_well_formed(data)


@pytest.mark.parametrize(("question", "lead"), [
    ("How large is the Ningbo Area?", "46.02 square kilometres"),
    ("What share of the enterprises in the Ningbo Area are foreign-invested?", "18%"),
    ("Which shipping measures does the Ningbo Area offer?", ""),  # no figure asked
    # class: of two figures that fit as well ("from 1.2 million to 4.8 million"), the
    # headline named the first: neither is a headline
    ("How many parcels did the Harbin Area's bonded warehouses handle?", ""),
    # class: a bracketed conversion ("(about 41 million dollars)") is the figure again, no rival
    ("How much did the Xiamen Area's traders pay in harbour charges?", "290 million yuan"),
])
def test_the_answering_figure_is_given_as_written_as_the_answer_s_lead(
    engine: AnswerEngine, question: str, lead: str
) -> None:
    # class: the figure asked for was not visible at a glance in a quoted fragment
    answer = engine.answer(question)
    assert answer.found and answer.lead == lead
    assert lead in answer.citations[0].snippet


def test_citation_carries_front_matter(engine: AnswerEngine) -> None:
    citation = engine.answer("How large is the Ningbo Area?").to_json()["citations"][0]
    contract = ("n", "source", "title", "section", "page", "snippet", "url")
    assert {key: citation[key] for key in contract} == {
        "n": 1, "source": "ningbo-area.md", "title": "Ningbo Area Fact Sheet",
        "section": "Size and launch", "page": None,
        "snippet": "The Ningbo Area covers 46.02 square kilometres along the Beilun coast.",
        "url": "https://example.org/zhejiang/ningbo",
    }
    assert (citation["zone"], citation["date"]) == ("Zhejiang FTZ / Ningbo Area", "2023-05-10")
    assert citation["snippet"] in citation["passage"]


def test_answer_json_contract(engine: AnswerEngine) -> None:
    data = engine.answer("How large is the Harbin Area?", question_id="t-7").to_json()
    assert data["id"] == "t-7"
    assert {"id", "question", "answer", "found", "citations", "latency_ms"} <= set(data)
    assert isinstance(data["latency_ms"], float) and data["latency_ms"] >= 0
    assert json.loads(json.dumps(data)) == data
    assert "id" not in engine.answer("How large is the Harbin Area?").to_json()


def test_question_whitespace_is_collapsed(engine: AnswerEngine) -> None:
    data = engine.answer("  How   large\n is the  Ningbo Area? ").to_json()
    assert data["question"] == "How large is the Ningbo Area?"
    assert "46.02 square kilometres" in data["answer"]


@pytest.mark.parametrize(
    "question",
    ["How large is the Kashgar Area?", "How many enterprises did the Kashgar Area register?"],
)
def test_a_zone_in_no_document_is_refused(engine: AnswerEngine, question: str) -> None:
    data = engine.answer(question).to_json()
    assert data["found"] is False
    assert data["citations"] == []
    assert "do not answer" in data["answer"]
    assert not MARKER.search(data["answer"])
    assert 1 <= len(data["related"]) <= 3
    assert {c["source"] for c in data["related"]} <= set(CORPUS)


@pytest.mark.parametrize(
    "question",
    [
        "What share of Harbin Area enterprises are foreign-invested?",  # no percent for Harbin
        "When was the Harbin Area inaugurated?",  # no date for Harbin
        "What does registration cost in the Harbin Area?",  # no money for Harbin
    ],
)
def test_a_figure_the_documents_lack_is_refused(engine: AnswerEngine, question: str) -> None:
    data = engine.answer(question).to_json()
    assert data["found"] is False
    assert data["citations"] == []
    assert data["related"]


@pytest.mark.parametrize("question", ["", "   \n\t ", "x" * 3000])
def test_empty_or_overlong_question_is_a_user_error(engine: AnswerEngine, question: str) -> None:
    with pytest.raises(UserError):
        engine.answer(question)


def test_a_question_of_2000_characters_is_accepted(engine: AnswerEngine) -> None:
    base = "How large is the Ningbo Area?"
    question = f"{base} {'y' * (2000 - len(base) - 1)}"
    assert len(question) == 2000
    assert engine.answer(question).question == question


def test_list_lead_in_returns_its_items_in_order(engine: AnswerEngine) -> None:
    data = engine.answer("Which shipping measures does the Ningbo Area offer?").to_json()
    assert data["found"] is True
    answer = data["answer"]
    parts = ["The Ningbo Area offers the following shipping measures:",
             "bonded repair of foreign vessels at the Zhoushan anchorage;",
             "a single window for crew changes;",
             "bunkering of low-sulphur fuel under bond."]
    positions = [answer.find(part) for part in parts]
    assert -1 not in positions and positions == sorted(positions)
    assert data["citations"][0]["source"] == "ningbo-area.md"
    assert data["citations"][0]["section"] == "Shipping measures"
    _check_well_formed(data)


def test_list_answer_stops_at_the_end_of_the_list(engine: AnswerEngine) -> None:
    answer = engine.answer("Which shipping measures does the Ningbo Area offer?").answer
    assert "bunkering of low-sulphur fuel under bond." in answer
    assert "Port dues" not in answer


def test_list_with_capitalised_items_returns_every_item(engine: AnswerEngine) -> None:
    answer = engine.answer("Which facilitation measures does the Xiamen Area grant?").answer
    assert "The Xiamen Area grants traders these facilitation measures:" in answer
    for item in ("Advance rulings on tariff codes.",
                 "Joint inspection by customs and quarantine officers.",
                 "Online payment of harbour charges."):
        assert item in answer


def test_follow_up_uses_the_previous_figure_kind(engine: AnswerEngine) -> None:
    data = engine.answer("And what about the Harbin Area?",
                         history=["How large is the Ningbo Area?"]).to_json()
    assert data["found"] is True
    assert data["answer"].startswith(
        "The Harbin Area spans 79.86 square kilometres north of the Songhua River. [1]")
    assert data["citations"][0]["source"] == "harbin-area.md"
    assert "Ningbo" not in data["answer"]
    _check_well_formed(data)


def test_follow_up_refuses_when_the_other_zone_lacks_that_figure(engine: AnswerEngine) -> None:
    question = "What about the Harbin Area?"
    percent = "What share of enterprises in the Ningbo Area are foreign-invested?"
    assert engine.answer(question).found is True  # alone, any Harbin sentence will do
    assert engine.answer(question, history=[percent]).found is False


def test_follow_up_without_names_keeps_the_previous_names(engine: AnswerEngine) -> None:
    ningbo = engine.answer("And when was it inaugurated?",
                           history=["How large is the Ningbo Area?"])
    assert ningbo.found
    assert ningbo.answer.startswith("The Ningbo Area was inaugurated on September 21, 2020.")
    # Harbin has no date: borrowing "Harbin" must not fall back to Ningbo's date
    harbin = engine.answer("And when was it inaugurated?",
                           history=["How large is the Harbin Area?"])
    assert harbin.found is False


def test_only_the_last_history_question_counts(engine: AnswerEngine) -> None:
    data = engine.answer("And what about the Harbin Area?", history=[
        "What share of enterprises in the Ningbo Area are foreign-invested?",
        "How large is the Ningbo Area?",
    ])
    assert data.found and holds_kind(data.answer, "area")
    assert "79.86" in data.answer


def test_an_empty_index_refuses(store, lexical, fake_embeddings) -> None:
    data = _engine(store, lexical, fake_embeddings).answer("How large is the Ningbo Area?")
    assert data.found is False
    assert data.citations == [] and data.related == []


def test_an_answer_keeps_its_citation_marker_within_800_characters(
    tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings
) -> None:
    """One sentence far longer than 800 characters (split into pieces by the chunker)."""
    wharves = " ".join(f"wharf{i} crane{i} berth{i}" for i in range(90))
    long_sheet = ("---\ntitle: Yingkou Area Fact Sheet\nzone: Liaoning FTZ / Yingkou Area\n---\n"
                  "# Yingkou Area Fact Sheet\n\n## Land\n"
                  f"The Yingkou Area logistics park, which links {wharves} and many more, "
                  "so the Yingkou Area logistics park spans 29.96 square kilometres in total.\n")
    ingestor.ingest(_write(tmp_path / "long", {"yingkou-area.md": long_sheet}))
    data = _engine(store, lexical, fake_embeddings).answer(
        "How large is the Yingkou Area logistics park?").to_json()
    assert data["found"] is True
    _check_well_formed(data)
    assert "29.96 square kilometres" in data["answer"]



def test_a_repeated_question_is_answered_from_the_cache_until_the_index_changes(
    fresh_engine: AnswerEngine, ingestor: Ingestor, tmp_path: Path, monkeypatch
) -> None:
    engine = fresh_engine
    searches = []
    search = HybridRetriever.search
    monkeypatch.setattr(HybridRetriever, "search",
                        lambda *args, **kw: searches.append(args[1]) or search(*args, **kw))
    first = engine.answer("How large is the Ningbo Area?", question_id="a")
    again = engine.answer("How large is the Ningbo Area?", question_id="b")
    assert len(searches) == 1
    assert (again.answer, again.citations, again.id) == (first.answer, first.citations, "b")
    engine.answer("How large is the Ningbo Area?", history=["How large is the Harbin Area?"])
    assert len(searches) == 2  # another conversation is another question
    (tmp_path / "more").mkdir()
    ingestor.ingest(_write(tmp_path / "more", {"ningbo-area.md": NINGBO.replace(
        "46.02", "48.5")}))
    assert "48.5 square kilometres" in engine.answer("How large is the Ningbo Area?").answer
    assert len(searches) == 3


def test_a_cache_of_size_zero_answers_every_time(store, lexical, fake_embeddings, ingestor,
                                                 tmp_path: Path) -> None:
    ingestor.ingest(_write(tmp_path / "corpus", CORPUS))
    engine = extractive_engine(store, lexical, fake_embeddings, cache_size=0)
    first = engine.answer("How large is the Ningbo Area?")
    assert engine.answer("How large is the Ningbo Area?").answer == first.answer
    assert len(engine._cache) == 0


def test_an_enterprise_describing_itself_does_not_dilute_the_question(
        engine: AnswerEngine) -> None:
    asked = "How large is the Ningbo Area?"
    described = ("We are a family business that fires clay, glazes tiles, packs crates and ships "
                 f"pottery to buyers on four continents from our own kilns. {asked}")

    def similarity(question: str) -> float:
        _, found = engine.candidates(question)
        return next(c.features["dense"] for c in found if "46.02" in c.text)

    assert similarity(described) == pytest.approx(similarity(asked))
    assert engine.answer(described).found


PROVINCE = """---
title: Fujian Trade Review
zone: Fujian FTZ
---
# Fujian Trade Review

## Trade
Fujian's foreign trade came to 900 billion yuan in 2023.
Port calls by cruise ships doubled over the same year.
"""


RUNNING_TOTAL = """---
title: Lotus Kilns Review
zone: Heilongjiang FTZ / Harbin Area
---
# Lotus Kilns Review

## Kilns
By the end of 2022 the Harbin Area had built 840 kilns in all.
"""

RUNNING_TO_A_MONTH = """---
title: Lotus Kilns Review
zone: Heilongjiang FTZ / Harbin Area
---
# Lotus Kilns Review

## Kilns
From its launch in 2019 to the end of June 2022, the Harbin Area built 840 kilns.
"""

UNNAMED_SUBJECT = """---
title: Lotus Kiln Park Land
---
# Lotus Kiln Park Land

## Size
It covers 79.86 square kilometres in total.
"""

DEPUTY = """---
title: Harbin Kiln Fair
zone: Heilongjiang FTZ / Harbin Area
---
# Harbin Kiln Fair

## Opening
Liu Fang, deputy director of the Harbin Area management committee, opened the kiln fair.
"""

# a table row: its other cells label other figures, so "foreign" there says nothing of 700
TABLE_ROW = """---
title: Harbin Kiln Briefing
zone: Heilongjiang FTZ / Harbin Area
---
# Harbin Kiln Briefing

## First half of 2022
Period: H1 2022; Foreign investment: US$5 mn; New kiln firms: 700; Projects: 20; 9 bn yuan signed.
"""

# a numbered part of a series answers for itself only
BATCHES = """---
title: Kiln Case Batches
zone: Heilongjiang FTZ / Harbin Area
---
# Kiln Case Batches

## Cases
The fifth batch of kiln cases released by the Harbin Area held 24 cases.
"""

# "copied throughout Heilongjiang" says how far the reforms spread, not whose they are
SPREAD = """---
title: Harbin Kiln Reforms
zone: Heilongjiang FTZ / Harbin Area
---
# Harbin Kiln Reforms

## Results
Indicator: Kiln reforms copied throughout Heilongjiang province; Result: 12.
Indicator: Kiln reforms adopted by the State Council; Result: 3.
"""

@pytest.mark.parametrize(
    ("document", "answered", "refused"),
    [(PROVINCE,  # a province's figure does not answer for its pilot zone
      "What was Fujian's foreign trade in 2023?",
      "What was the Fujian pilot FTZ's foreign trade in 2023?"),
     (RUNNING_TOTAL,  # a running total does not answer for the year as a stretch of time
      "How many kilns had the Harbin Area built by 2022?",
      "How many kilns did the Harbin Area build in 2022 alone?"),
     (RUNNING_TO_A_MONTH,  # nor does one that runs to a month of that year
      "How many kilns had the Harbin Area built by the end of June 2022?",
      "How many kilns did the Harbin Area build for the whole of 2022?"),
     (BATCHES,
      "How many cases were in the fifth batch of Harbin kiln cases?",
      "How many cases were in the sixth batch of Harbin kiln cases?"),
     (DEPUTY,  # a deputy does not answer for the head of an office
      "Who is the deputy director of the Harbin Area management committee?",
      "Who is the director of the Harbin Area management committee?")],
    ids=["province", "running-total", "running-to-a-month", "numbered-part", "office"],
)
def test_a_near_miss_is_refused_beside_the_question_it_answers(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings,
        document: str, answered: str, refused: str) -> None:
    ingestor.ingest(_write(tmp_path / "corpus", {"document.md": document}))
    engine = _engine(store, lexical, fake_embeddings)
    assert engine.answer(answered).found
    assert not engine.answer(refused).found


def test_a_place_a_figure_spread_to_is_not_the_place_it_belongs_to(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    ingestor.ingest(_write(tmp_path / "corpus", {"document.md": SPREAD}))
    engine = _engine(store, lexical, fake_embeddings)
    answer = engine.answer("How many of the Harbin Area's kiln reforms were copied across "
                           "Heilongjiang?")
    assert answer.found and "12" in answer.answer


def test_a_table_rows_other_cells_do_not_say_what_its_figure_counts(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    ingestor.ingest(_write(tmp_path / "corpus", {"document.md": TABLE_ROW}))
    engine = _engine(store, lexical, fake_embeddings)

    def missing(question: str) -> float:
        _, candidates = engine.candidates(question)
        row = next(c for c in candidates if c.text.startswith("Period: H1 2022"))
        return row.features.get("quantity_missing", 0.0)

    assert missing("How many new kiln firms did the Harbin Area gain in H1 2022?") == 0.0
    # "Foreign investment" labels the US$5 mn beside it, not the 700 kiln firms
    assert missing("How many foreign-invested kiln firms did the Harbin Area gain in H1 "
                   "2022?") >= 0.5


DOCUMENT_DATE = """---
title: Harbin Kiln Notice
zone: Heilongjiang FTZ / Harbin Area
---
# Harbin Kiln Notice

The kiln notice is dated May 3, 2021.
The Harbin kiln park opened on June 9, 2021.
"""


def test_a_documents_own_date_answers_only_for_the_document(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    ingestor.ingest(_write(tmp_path / "corpus", {"document.md": DOCUMENT_DATE}))
    engine = _engine(store, lexical, fake_embeddings)

    def dated(question: str) -> dict[str, float]:
        _, candidates = engine.candidates(question)
        return next(c for c in candidates if "is dated" in c.text).features

    assert dated("When did the Harbin kiln park open?").get("kind_missing")
    assert not dated("When was the Harbin kiln notice issued?").get("kind_missing")


EXPLAINED = """---
title: Lotus Kiln Logistics
zone: Heilongjiang FTZ / Harbin Area
---
# Lotus Kiln Logistics

## Clearance
Kiln parts now clear in a day at the Harbin Area.
The speed comes from the Lotus group's "kiln pass" model.
Under it, each kiln is inspected once at the factory and then shipped without queueing.
"""


def test_a_short_sentence_that_names_something_is_quoted_with_the_one_that_explains_it(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    ingestor.ingest(_write(tmp_path / "corpus", {"document.md": EXPLAINED}))
    engine = _engine(store, lexical, fake_embeddings)
    _, candidates = engine.candidates('What is the Lotus group\'s "kiln pass" model?')
    naming = next(c for c in candidates if c.text.startswith("The speed comes"))
    assert "inspected once" in unit_text(naming)  # (what the answer quotes for it)
    opening = next(c for c in candidates if c.text.startswith("Kiln parts"))
    assert "speed" not in unit_text(opening)  # the next sentence does not refer back


def test_a_long_question_carries_its_length_as_evidence(engine: AnswerEngine) -> None:
    _, short = engine.candidates("How large is the Ningbo Area?")
    _, long = engine.candidates(
        "We are a mid-sized Norwegian shipping and ship-repair company with a fleet of "
        "bulk carriers calling at Chinese ports every month, and we are weighing a base "
        "on the coast: how large is the Ningbo Area that offers bonded repair of vessels?")
    assert short[0].features["long_question"] == 0.0
    assert 0.5 < long[0].features["long_question"] <= 1.0


def test_a_document_that_never_names_the_zone_asked_about_does_not_answer_for_it(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    nanjing = ("---\ntitle: Nanjing Kiln News\nzone: Jiangsu FTZ / Nanjing Area\n---\n"
               "# Nanjing Kiln News\n\nThe Nanjing Area of the Jiangsu FTZ opened a kiln "
               "museum.\n")
    ingestor.ingest(_write(tmp_path / "corpus", {"lotus.md": UNNAMED_SUBJECT,
                                                 "nanjing.md": nanjing}))
    engine = _engine(store, lexical, fake_embeddings)
    assert "79.86" in engine.answer("How large is the Lotus Kiln Park in total?").answer
    refused = engine.answer("How many square kilometres does the Nanjing Area cover in total?")
    assert not refused.found



def _engine_over(tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings,
                 document: str) -> AnswerEngine:
    """An engine over one invented document."""
    ingestor.ingest(_write(tmp_path / "corpus", {"document.md": document}))
    return _engine(store, lexical, fake_embeddings)


def _candidate(engine: AnswerEngine, question: str, containing: str):
    """The candidate sentence for a question that contains the given text."""
    _, candidates = engine.candidates(question)
    return next(c for c in candidates if containing in c.text)


def _features_of(engine: AnswerEngine, containing: str) -> Callable[[str], dict[str, float]]:
    """Per question, the features of the candidate sentence that contains the given text."""
    return lambda question: _candidate(engine, question, containing).features


PARTITIVE_ECHO = """---
title: Harbin Kiln Registrations
zone: Heilongjiang FTZ / Harbin Area
---
# Harbin Kiln Registrations

The Harbin Area registered 4,310 kiln firms in its first year.
"""


def test_a_figure_the_question_states_is_not_its_answer(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    engine = _engine_over(tmp_path, ingestor, store, lexical, fake_embeddings, PARTITIVE_ECHO)
    features = _features_of(engine, "4,310")

    # the 4,310 is where the question starts from: the sentence gives no count of the part
    assert features("Of the 4,310 kiln firms the Harbin Area registered in its first year, "
                    "how many were foreign-owned?").get("kind_missing")
    # asked to confirm, the figure answers
    assert not features("Did the Harbin Area register 4,310 kiln firms in its first year?"
                        ).get("kind_missing")
    assert not features("How many kiln firms did the Harbin Area register in its first year?"
                        ).get("kind_missing")


ZONE_MEASURE = """---
title: Hainan Kiln Tariff Rules
zone: Hainan FTP
---
# Hainan Kiln Tariff Rules

Kilns that Hainan firms import for their own production are free of import duty.
"""


def test_a_zone_measure_is_not_absent_for_an_area_of_the_zone(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    engine = _engine_over(tmp_path, ingestor, store, lexical, fake_embeddings, ZONE_MEASURE)
    features = _features_of(engine, "free of import duty")

    # the document never names Haikou, but its measure holds across Hainan
    assert not features("We make tiles in Haikou. Which Hainan rules cover kilns we import "
                        "for our own production?").get("place_absent")
    # a figure of the zone is no figure of the area: the area stays absent
    assert features("How many kilns did Haikou firms import for their own production "
                    "in Hainan?").get("place_absent")


FUTURES_LISTING = """---
title: Reed Exchange Listings
zone: Henan FTZ
---
# Reed Exchange Listings

The Reed Exchange listed its tile futures for trading in March 2019.
"""


def test_a_date_of_another_event_leaves_the_event_unsaid(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    engine = _engine_over(tmp_path, ingestor, store, lexical, fake_embeddings, FUTURES_LISTING)

    def unsaid(question: str) -> float:
        return _candidate(engine, question, "March 2019").features.get("event_missing", 0.0)

    # the date is the tile futures' listing, not the kiln glaze futures'
    assert unsaid("When did the Reed Exchange list its kiln glaze futures?") > \
        unsaid("When did the Reed Exchange list its tile futures?")
    assert unsaid("When did the Reed Exchange list its tile futures?") < 0.5


SLOGAN = """---
title: Reed Port Rules
zone: Hainan FTP
---
# Reed Port Rules

The Reed Bonded Port will be first to run the "open gate, tight fence" kiln import rules.
"""


def test_a_quoted_formula_said_another_way_is_no_missing_name(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    engine = _engine_over(tmp_path, ingestor, store, lexical, fake_embeddings, SLOGAN)
    features = _features_of(engine, "tight fence")

    for question, missing in [
        # a formula is reworded freely: its words are weighed, not required as a name
        ("Where will the 'loose entry, firm exit' kiln import rules be run first?", False),
        # a proper name of several words the document never names still counts against
        ("Where will the Marigold Tile Exchange rules be run first?", True),
    ]:
        assert bool(features(question).get("entity_missing")) is missing


SIBLING_AREAS = """---
title: Lotus Zone Kiln Imports
zone: Lotus FTZ
---
# Lotus Zone Kiln Imports

The plan lets the Qingdao Area add pilot firms for the parallel import of kilns.
"""


def test_another_area_of_the_zone_asked_about_is_another_place(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    engine = _engine_over(tmp_path, ingestor, store, lexical, fake_embeddings, SIBLING_AREAS)

    def conflicts(question: str) -> list[str]:
        return _candidate(engine, question, "parallel import").conflicts

    # Qingdao and Yantai are both areas of the Shandong FTZ: naming the zone too does not
    # make the one area's rule the other's
    assert "place:Qingdao" in conflicts("Can the Yantai Area of the Shandong FTZ add pilot "
                                        "firms for parallel kiln imports?")
    assert not [c for c in conflicts("Can the Qingdao Area of the Shandong FTZ add pilot "
                                     "firms for parallel kiln imports?") if c.startswith("place")]


HEADED = """---
title: Lotus Kiln Measures
zone: Heilongjiang FTZ / Harbin Area
---
# Lotus Kiln Measures

## Measures
Easier Kiln Permits.
A window at the Harbin Area accepts kiln permit applications at weekends.
"""


def test_a_title_line_is_quoted_with_what_it_heads(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    engine = _engine_over(tmp_path, ingestor, store, lexical, fake_embeddings, HEADED)
    _, candidates = engine.candidates("What changes for kiln permits in the Harbin Area?")
    title = next(c for c in candidates if c.text.startswith("Easier Kiln Permits"))
    assert "at weekends" in unit_text(title)


LISTED_YEAR = """---
title: Harbin Kiln Results
date: 2023-02-01
zone: Heilongjiang FTZ / Harbin Area
---
# Harbin Kiln Results

The Harbin Area reported strong kiln results in 2022.

Other 2020 figures for the Harbin Area:

- Kiln parts exported: 5,200 tons
- Kiln firms served: 1,480 firms
"""


def test_a_list_items_period_is_the_one_its_lead_in_gives(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    engine = _engine_over(tmp_path, ingestor, store, lexical, fake_embeddings, LISTED_YEAR)

    def item(question: str) -> dict[str, float]:
        return _candidate(engine, question, "1,480").features

    assert item("How many kiln firms did the Harbin Area serve in 2020?").get("period_match")
    # the document's 2023 date and the 2022 of the text above do not make it 2022's
    assert item("How many kiln firms did the Harbin Area serve in 2022?").get("period_conflict")


EXPO = """---
title: Harbin Kiln Fair
zone: Heilongjiang FTZ / Harbin Area
---
# Harbin Kiln Fair

The Harbin Area hosts the Northern Kiln Trade Expo and had held four editions by 2024.
The Harbin Area's kiln trade reached 4.2 billion yuan in 2024.
"""


def test_a_word_inside_an_institutions_name_does_not_say_what_a_figure_measures(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    engine = _engine_over(tmp_path, ingestor, store, lexical, fake_embeddings, EXPO)
    _, candidates = engine.candidates("What was the Harbin Area's kiln trade in 2024?")
    features = {c.text[:20]: c.features for c in candidates}
    assert features["The Harbin Area host"].get("quantity_missing", 0.0) >= 0.5
    assert not features["The Harbin Area's ki"].get("quantity_missing")


BROKEN_OFF_ITEMS = """---
title: Reed Kiln Areas
zone: Fujian FTZ
---
# Reed Kiln Areas

The plan gives each area a role:

- Lotus: to develop into
- a hub for kiln shipping;
"""


def test_a_list_item_that_breaks_off_introduces_the_items_after_it(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    engine = _engine_over(tmp_path, ingestor, store, lexical, fake_embeddings, BROKEN_OFF_ITEMS)
    _, candidates = engine.candidates("Which area is to become a hub for kiln shipping?")
    by_text = {c.text: c for c in candidates}
    assert "Lotus: to develop into" in unit_text(by_text["a hub for kiln shipping;"])


def test_a_name_of_several_words_its_document_never_names_is_evidence_against(
        engine: AnswerEngine) -> None:
    features = _features_of(engine, "46.02")

    # "Meishan Kiln Bonded Zone" is named nowhere in the Ningbo document
    assert features("How large is the Meishan Kiln Bonded Zone of the Ningbo Area?"
                    ).get("entity_missing") == 1.0
    assert not features("How large is the Ningbo Area?").get("entity_missing")


BRIEFING = """---
title: Harbin Kiln Briefing
zone: Heilongjiang FTZ / Harbin Area
---
# Harbin Kiln Briefing

At the kiln briefing, Li Mingzhe, deputy director of the Harbin Kiln Commission, spoke first.
"""


def test_a_person_of_another_office_is_evidence_against(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    engine = _engine_over(tmp_path, ingestor, store, lexical, fake_embeddings, BRIEFING)
    asked = {office: _candidate(engine, f"Who spoke for the Harbin {office} at the kiln "
                                        "briefing?", "Li Mingzhe").features
             for office in ("Kiln Commission", "Customs Bureau")}
    assert asked["Kiln Commission"].get("entity_missing", 0.0) == 0.0
    assert asked["Customs Bureau"].get("entity_missing") == 1.0


AREA_NEWS = """---
title: Kiln News
zone: Jiangsu FTZ / Suzhou Area
---
# Kiln News

## Results

Kiln exports reached 5.3 billion yuan in 2023.
"""


def test_a_documents_figure_is_the_narrowest_place_its_heading_names(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    engine = _engine_over(tmp_path, ingestor, store, lexical, fake_embeddings, AREA_NEWS)

    def conflicts(question: str) -> list[str]:
        return _candidate(engine, question, "5.3").conflicts

    # the document names the zone and its area: the figure is the area's, not the zone's
    assert not conflicts("What were the Suzhou Area's kiln exports in 2023?")
    assert any(c.startswith("place") for c in conflicts(
        "What were the Jiangsu FTZ's kiln exports in 2023?"))


PARAGRAPH_CONTEXT = """---
title: Reed Kiln Port Report, 2019-2025
zone: Guangxi FTZ
---
# Reed Kiln Port Report, 2019-2025

By its fourth anniversary on August 31, 2023, the Nanning Area reported 700 kiln reforms. \
Of these, 19 were recognised by ministries. More than 58,000 kiln firms had registered.

The Qinzhou kiln port handled 2.9 million TEUs from January to July 2022. For the same period \
of 2023, it handled about 3.3 million TEUs.

The Chongzuo Area cut kiln truck clearance to about 10 minutes.
"""


def test_a_paragraph_opener_gives_the_period_and_place_later_sentences_leave_unsaid(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    engine = _engine_over(tmp_path, ingestor, store, lexical, fake_embeddings, PARAGRAPH_CONTEXT)
    firms = _features_of(engine, "58,000")("How many kiln firms had registered in the Nanning "
                                           "Area by August 2023?")
    assert firms.get("period_match") and not firms.get("period_conflict")
    # "the same period of 2023" is part of 2023, not the whole year: no match, no conflict
    teus = _features_of(engine, "3.3 million")("How many TEUs did the Qinzhou kiln port "
                                               "handle in 2023?")
    assert teus.get("period_absent") and not teus.get("period_match")
    assert not teus.get("period_conflict")


def test_asked_which_area_of_a_zone_one_area_is_the_answer(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    engine = _engine_over(tmp_path, ingestor, store, lexical, fake_embeddings, PARAGRAPH_CONTEXT)
    features = _features_of(engine, "10 minutes")
    assert not features("Which area of the Guangxi FTZ serves kiln trucks, and how fast is "
                        "clearance there?").get("place_narrower")
    assert features("How fast is kiln truck clearance in the Guangxi FTZ?").get("place_narrower")


MEASURE_ACRONYM = """---
title: Reed Kiln Output
zone: Anhui FTZ
---
# Reed Kiln Output

Hefei plans more electric kiln vehicles (EKVs) each year. Output path: 2022 - 255,000 EKVs.
"""


def test_a_measure_written_as_the_acronym_the_documents_define_is_that_measure(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    engine = _engine_over(tmp_path, ingestor, store, lexical, fake_embeddings, MEASURE_ACRONYM)
    features = _features_of(engine, "255,000")
    assert not features("How many electric kiln vehicles did Hefei make in 2022?"
                        ).get("quantity_missing")
    assert features("How many kiln robots did Hefei make in 2022?").get("quantity_missing")


STANDS_OUT = """---
title: Tianmu Kiln Park
zone: Zhejiang FTZ / Ningbo Area
---
# Tianmu Kiln Park

The Tianmu Kiln Park shipped 3,200 glazed kiln tiles abroad in 2024.

The park also runs a visitor centre beside its museum of glazes.
"""


def test_a_sentence_is_weighed_by_how_far_it_falls_below_the_best_candidate(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    engine = _engine_over(tmp_path, ingestor, store, lexical, fake_embeddings, STANDS_OUT)
    _, found = engine.candidates("How many glazed tiles did the Tianmu park ship abroad in 2024?")
    tiles = next(c for c in found if "3,200" in c.text)
    centre = next(c for c in found if "visitor centre" in c.text)
    for name in ("dense", "coverage", "focus"):
        best = max(c.features[name] for c in found)
        assert tiles.features[f"{name}_gap"] == pytest.approx(best - tiles.features[name])
        assert centre.features[f"{name}_gap"] == pytest.approx(best - centre.features[name])
    assert tiles.features["focus_gap"] == 0.0
    assert centre.features["focus_gap"] > 0.0


SAME_PERIOD_ONLY = """---
title: Tianmu Port Throughput
zone: Zhejiang FTZ / Ningbo Area
---
# Tianmu Port Throughput

In the first ten months of 2024, Tianmu Port handled 2.1 million kiln containers.

For the same period of 2023, Tianmu Port handled 1.8 million kiln containers.
"""


DATED_EARLY = """---
title: Tianmu Kiln Park First-Year Results 2018
zone: Zhejiang FTZ / Ningbo Area
---
# Tianmu Kiln Park First-Year Results 2018

The Tianmu Kiln Park has registered 6,100 kiln firms.
"""


@pytest.mark.parametrize(
    ("document", "containing", "conflicting", "fitting"),
    [  # a part of a year the text before names is not the year asked as a whole
        (SAME_PERIOD_ONLY, "1.8 million",
         "How many kiln containers did Tianmu Port handle over the full year 2023?",
         ["How many kiln containers did Tianmu Port handle in 2023?"]),
        # a document dated before the year asked cannot report it, only foresee it
        (DATED_EARLY, "6,100",
         "How many kiln firms had the Tianmu Kiln Park registered by its fourth anniversary "
         "in 2021?",
         ["How many kiln firms had the Tianmu Kiln Park registered in 2018?",
          "How many kiln firms does the Tianmu Kiln Park aim to register by 2021?"]),
    ],
)
def test_a_period_the_evidence_cannot_cover_is_a_conflict(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings, document: str,
        containing: str, conflicting: str, fitting: list[str]) -> None:
    engine = _engine_over(tmp_path, ingestor, store, lexical, fake_embeddings, document)
    features = _features_of(engine, containing)
    assert features(conflicting)["period_conflict"] == 1.0
    for question in fitting:
        assert not features(question)["period_conflict"]


ZONE_OFFICIAL = """---
title: Reed Kiln Zone Briefing
zone: Anhui FTZ
---
# Reed Kiln Zone Briefing

Zhang Jian, director of the Anhui FTZ administration office, opened the kiln fair in Hefei.

Li Wei, director of the Bengbu Area management committee, spoke on kiln permits.
"""


def test_an_official_of_the_zone_is_not_the_official_of_an_area_asked_about(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    engine = _engine_over(tmp_path, ingestor, store, lexical, fake_embeddings, ZONE_OFFICIAL)
    zone = _features_of(engine, "Zhang Jian")
    area = _features_of(engine, "Li Wei")
    question = "Who is the director of the Bengbu Area management committee in the Anhui FTZ?"
    assert zone(question)["place_broader"] == 1.0
    assert not area(question)["place_broader"]
    assert not zone("Who directs the Anhui FTZ administration office?")["place_broader"]


ENCLAVED = """---
title: Yichang Kiln Area Profile
zone: Hubei FTZ / Yichang Area
---
# Yichang Kiln Area Profile

The Yichang area has 27.97 square kilometers.

Its kiln bonded logistics park opened in 2020.
"""


def test_an_areas_figure_is_not_that_of_a_bonded_zone_inside_it(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    engine = _engine_over(tmp_path, ingestor, store, lexical, fake_embeddings, ENCLAVED)
    features = _features_of(engine, "27.97")
    assert features("How many square kilometres does the Yichang comprehensive bonded zone "
                    "cover?")["place_broader"] == 1.0
    assert not features("How many square kilometres does the Yichang area cover?"
                        )["place_broader"]
    question = "How large is the Yichang comprehensive bonded zone?"
    assert not engine.answer(question).found
    wanted, _ = engine.candidates(question)
    assert refusal_reason(wanted, _candidate(engine, question, "27.97")) == (
        "The documents give this for Yichang as a whole, not for its comprehensive bonded "
        "zone.")


PART_OF_WHOLE = """---
title: Gulf Kiln Port Results
zone: Guangxi FTZ / Qinzhou Area
---
# Gulf Kiln Port Results

The Tianmu Gulf Port as a whole, of which Qinzhou is a part, handled 7.02 million kiln TEUs in 2022.

Qinzhou handled 5.4 million kiln TEUs in 2022.
"""


def test_a_figure_of_a_whole_the_place_asked_is_only_part_of_is_not_its_own(
        tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> None:
    engine = _engine_over(tmp_path, ingestor, store, lexical, fake_embeddings, PART_OF_WHOLE)
    question = "How many kiln TEUs did Qinzhou handle in the whole of 2022?"
    assert _features_of(engine, "7.02")(question)["place_broader"] == 1.0
    assert not _features_of(engine, "5.4 million")(question)["place_broader"]
    assert "5.4 million" in engine.answer(question).answer


@pytest.mark.parametrize(("question", "figures"), [
    # class: a question that asks two things is answered for each ("… , and when …")
    ("How large is the Ningbo Area, and when was it inaugurated?",
     ["46.02 square kilometres", "September 21, 2020"]),
    ("How many new enterprises did the Harbin Area register? Which rank did it reach in the "
     "innovation index?", ["1,250 new enterprises", "7th"]),
])
def test_each_part_of_a_two_part_question_is_answered(
    engine: AnswerEngine, question: str, figures: list[str]
) -> None:
    data = engine.answer(question).to_json()
    assert data["found"] is True
    for figure in figures:
        assert figure in data["answer"]
    _check_well_formed(data)
