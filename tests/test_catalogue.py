"""Measures and figures read from text the extractor has never seen; the policy finder."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant import catalogue as catalogue_module
from assistant.answering.bank import Notes, SentenceBank, assemble, documents_of
from assistant.catalogue import (
    Catalogue,
    extract,
    measure_name,
    sectors_of,
    since_of,
    who_for,
)
from assistant.config import FinderSettings
from assistant.errors import UserError
from assistant.facts import facts_of
from assistant.finder import PolicyFinder, clean_name, display_name
from assistant.ui.finder_tab import measures_html

SHEET = """---
title: Qingdao Area Measures (2024)
zone: Shandong FTZ / Qingdao Area
date: 2024
---
# Qingdao Area Measures (2024)

## Measures
- Grain: the "bonded grain blending" mode lets traders mix imported soybeans under bond.
- Customs: a "smart clearance platform" cuts declaration time by 40% for exporters.
- Ships: a pre-arrival berthing system saves shipping lines about 1,200 hours a year.

## Figures
- The area covers 52.19 square kilometres.
- It registered 1,850 new enterprises in 2023.
- Its trade facilitation index ranks 3rd among 21 areas.

## Positioning
- Huangdao: chiefly shipping logistics, bonded finance and cold chain warehousing.
"""
REVIEW = """---
title: Qingdao Area Review (2024)
zone: Shandong FTZ / Qingdao Area
date: 2024-06
---
# Qingdao Area Review (2024)

## Figures
The Qingdao Area covers 52.19 square kilometres.
The Qingdao Area registered {enterprises} new enterprises in 2023.
A "bonded ship supply" service lets fuel suppliers serve ships at berth.
"""


def test_measure_names_come_from_quotes_cue_phrases_and_area_labels() -> None:
    assert measure_name('Grain: the "bonded grain blending" mode lets traders mix soybeans.') \
        == "bonded grain blending"
    assert measure_name("A pre-arrival berthing system saves lines 1,200 hours.") \
        == "pre-arrival berthing system"
    assert measure_name("Huangdao: chiefly shipping logistics, bonded finance and cold chain "
                        "warehousing.") == "Huangdao"
    assert measure_name("The weather in the area was mild last spring.") is None


def test_sectors_are_matched_on_word_starts() -> None:
    assert "shipping and ports" in sectors_of("ships and ports")
    assert "shipping and ports" not in sectors_of("support for exporters")
    assert "ore and commodities" not in sectors_of("more and more before")


HAINAN = """---
title: Haikou Measures (2025)
zone: Hainan FTP
date: 2025
---
# Haikou Measures (2025)

## Grain
- Haikou: the "soybean blending service" lets traders mix imported soybeans under bond.

## Seafood
- A "cold chain fast lane" lets importers of frozen seafood clear health certificates in 6 hours.

## Reform
- The areas would carry out differentiated reforms under the new rules.
"""


@pytest.fixture
def finder(tmp_path: Path, ingestor, store, lexical, fake_embeddings, settings) -> PolicyFinder:
    return _finder_of({tmp_path / "qingdao.md": SHEET, tmp_path / "haikou.md": HAINAN},
                      ingestor, store, lexical, fake_embeddings, settings)


def test_the_finder_ranks_the_fitting_measure_first_and_says_why(finder: PolicyFinder) -> None:
    found = finder.find("We import soybeans and want to blend grain under bond")
    assert found[0]["measure"] == "Bonded grain blending"
    assert "grain" in found[0]["why"] or "blend" in found[0]["why"]
    assert found[0]["citations"][0]["source"] == "qingdao.md"
    assert found[0]["zone"] == "Shandong FTZ / Qingdao Area"


def test_the_place_an_enterprise_names_puts_that_zone_s_measure_first(
    finder: PolicyFinder,
) -> None:
    # class: another zone's measure of the same kind ranked above the one of the place named
    assert finder.find("We blend imported soybeans under bond in Qingdao")[0]["zone"] == \
        "Shandong FTZ / Qingdao Area"
    assert finder.find("We blend imported soybeans under bond in Haikou")[0]["zone"] == \
        "Hainan FTP"


def test_a_chinese_profile_finds_the_measure(finder: PolicyFinder) -> None:
    found = finder.find("我们在海南进口冷冻海鲜，需要尽快拿到卫生证书")
    assert found and found[0]["measure"] == "Cold chain fast lane"


def test_cards_carry_names_not_fragments_and_reasons_in_plain_words(
    finder: PolicyFinder,
) -> None:
    found = finder.find("reforms rules areas")  # the only fitting sentence names no measure
    assert found and all(clean_name(card["measure"]) for card in found)
    assert found[0]["summary"].startswith("The areas would carry out")
    assert found[0]["measure"] == "Haikou Measures (2025)"  # its section says only "Reform"
    why = finder.find("We import soybeans and want to blend grain under bond")[0]["why"]
    assert "soybeans" in why and "soybean," not in why  # words as written, not stems
    for fragment in ("areas would carry out differentiated", "'s experimental window", "Area",
                     "had implemented measures", "adding pilot", "listed priorities include",
                     "least 40 reform", "country's most open entry port",
                     "index evaluated 54 pilot"):
        assert not clean_name(fragment), fragment
    for name in ("bonded grain blending", "Cold chain fast lane", "Offshore duty-free shopping"):
        assert clean_name(name), name


def test_the_finder_filters_by_zone_and_sector(finder: PolicyFinder) -> None:
    in_hainan = finder.find("ships berthing hours", zone="Hainan")
    assert all(card["zone"] == "Hainan FTP" for card in in_hainan)
    assert "pre-arrival berthing system" not in [card["measure"] for card in in_hainan]
    shipping = finder.find("ships berthing hours", sector="shipping and ports")
    assert shipping and all("shipping and ports" in m["sectors"] for m in shipping)


def test_nothing_fitting_means_an_empty_list_and_bad_input_a_clear_error(
    finder: PolicyFinder,
) -> None:
    assert finder.find("zzzz qqqq xxxx wwww vvvv uuuu") == []
    with pytest.raises(UserError):
        finder.find("   ")


def test_facts_list_every_figure_with_its_source(finder: PolicyFinder) -> None:
    facts = finder.facts(zone="Qingdao")
    values = {(f["value"], f["unit"], f["place"]) for f in facts}
    area = "Shandong FTZ / Qingdao Area"
    assert {("52.19 square kilometres", "km²", area), ("about 1,200 hours", "hours", area),
            ("3rd", "rank", area), ("1,850", "enterprises", area)} <= values
    assert all(f["citations"][0]["source"] == "qingdao.md" for f in facts)
    # the contract's keys stay (what, zone, date), beside the record's own
    assert all({"value", "unit", "what", "zone", "date", "citations"} <= set(f) for f in facts)
    registered = next(f for f in facts if f["value"] == "1,850")
    assert (registered["zone"], registered["date"]) == ("Shandong FTZ / Qingdao Area", "2023")
    assert {f["place"] for f in finder.facts(zone="Hainan")} == {"Hainan FTP"}


def test_the_records_of_the_facts_follow_the_catalogue(finder: PolicyFinder) -> None:
    # class: records made again for every page load (half a second over docs/'s figures);
    # kept, they must still follow a change of the catalogue
    catalogue = finder._catalogue
    before = finder.facts()
    assert finder.facts() == before and finder.facts()[0] is before[0]
    kept = catalogue.facts
    catalogue.facts = kept[1:]  # (what an update does: a new list)
    assert finder.facts() == before[1:]
    assert [r["place"] for r in finder.facts(zone="Hainan")] == [
        f.place for f in kept[1:] if "hainan" in f.place.lower()] != []


def test_a_damaged_catalogue_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text("{ not json")
    assert Catalogue(path).load() is False


@pytest.mark.parametrize("one_pass_share", [1.0, 0.0], ids=["one-by-one", "in-one-pass"])
def test_a_change_reads_again_only_the_document_versions_it_brought(
    tmp_path: Path, ingestor, store, settings, monkeypatch: pytest.MonkeyPatch,
    one_pass_share: float,
) -> None:
    # class: every change read every document again (at ten thousand documents, minutes per
    # upload); what is kept must still merge with what is read into the same facts, whether
    # the versions to read are read one by one or (many) in one pass over the store
    monkeypatch.setattr(catalogue_module, "ONE_PASS_SHARE", one_pass_share)
    sheet, review = tmp_path / "qingdao.md", tmp_path / "review.md"
    sheet.write_text(SHEET)
    review.write_text(REVIEW.format(enterprises="1,900"))
    ingestor.ingest([sheet, review])
    catalogue = Catalogue(settings.index_dir / "catalogue.json")
    catalogue.update(store)
    read: list[str] = []
    reading = catalogue_module._version_of
    monkeypatch.setattr(catalogue_module, "_version_of", lambda *version: (
        read.append(version[0]), reading(*version))[1])

    review.write_text(REVIEW.format(enterprises="1,950"))  # (a new version of the review)
    ingestor.ingest([sheet, review])
    catalogue.update(store)
    assert read == ["review.md"]

    chunks, _ = assemble(store.iter_chunks(), store.iter_sentences())
    assert catalogue.facts == facts_of(chunks.values(), documents_of(chunks.values()))
    assert catalogue.measures == extract(chunks.values())
    area = next(f for f in catalogue.facts if f.value == "52.19 square kilometres")
    assert {c["source"] for c in area.citations} == {"qingdao.md", "review.md"}
    registered = next(f for f in catalogue.facts if f.value == "1,950")
    assert [said["value"] for said in registered.also_stated] == ["1,850"]
    assert "1,900" not in {f.value for f in catalogue.facts}
    saved = Catalogue(settings.index_dir / "catalogue.json")
    assert saved.load() and (saved.facts, saved.measures) == (catalogue.facts, catalogue.measures)


def test_two_measures_of_one_passage_are_two_cards(finder: PolicyFinder) -> None:
    # class: one card per chunk (or cards deduplicated by a heading that names both) hid the
    # second measure of a list
    found = finder.find("bonded grain blending and a smart clearance platform", k=10)
    names = [card["measure"] for card in found]
    assert {"Bonded grain blending", "Smart clearance platform"} <= set(names)
    assert len(names) == len({card["summary"] for card in found})


def _finder_of(documents: dict[Path, str], ingestor, store, lexical, fake_embeddings,
               settings) -> PolicyFinder:
    """A finder over the documents (path: text), written and indexed."""
    for path, text in documents.items():
        path.write_text(text)
    ingestor.ingest(list(documents))
    catalogue = Catalogue(settings.index_dir / "catalogue.json")
    catalogue.update(store)
    bank = SentenceBank(lambda: (store.iter_chunks(vectors=True),
                                 store.iter_sentences(vectors=True)))
    return PolicyFinder(catalogue, bank, fake_embeddings, lexical,
                        FinderSettings(min_score=0.2, min_dense=0.2))  # (hashed words)


def test_a_card_of_a_document_without_a_zone_names_the_place_it_is_about(
    tmp_path: Path, ingestor, store, lexical, fake_embeddings, settings,
) -> None:
    finder = _finder_of({tmp_path / "news.md": "# Port news\n\nIn the Nansha Area a \"berth "
                         "booking window\" lets shipping lines book quay time online.\n"},
                        ingestor, store, lexical, fake_embeddings, settings)
    card = finder.find("shipping lines that book quay time online")[0]
    assert (card["measure"], card["zone"]) == ("Berth booking window",
                                               "Guangdong FTZ / Nansha Area")


def test_a_card_quotes_the_sentence_its_measure_refers_back_to(
    tmp_path: Path, ingestor, store, lexical, fake_embeddings, settings,
) -> None:
    # class: a card quoting "It runs under ..." alone, or missing the half of a measure told
    # in two sentences
    finder = _finder_of(
        {tmp_path / "border.md": "# Border news\n\nLotus Island sits across the river from "
         "Pearl Town in the Dehong Area. It runs under a special bonded supervision model that "
         "lets jade traders deal duty-free. Rainfall there is high in summer.\n"},
        ingestor, store, lexical, fake_embeddings, settings)
    card = finder.find("jade traders who deal duty-free under bonded supervision")[0]
    assert card["summary"].startswith("Lotus Island sits across the river")
    assert "It runs under a special bonded supervision model" in card["summary"]
    assert "Rainfall" not in card["summary"]
    assert card["citations"][0]["snippet"] == card["summary"]


@pytest.mark.parametrize(("sentence", "name"), [
    # a cue word used as an adjective names nothing
    ("Since its launch the Lotus Pilot Free Trade Zone has set up 30 reforms.", None),
    ("The zone is the only pilot zone for river trade and will expand it.", None),
    # a quoted saying is no name; a phrase the text calls a name is
    ('Officials call the reform "a golden key" and will extend it.', None),
    ('What the area calls its "green pass" lets traders clear goods in an hour.', "green pass"),
    # a name's tail stops where a phrase may stop, not in the middle of one
    ("A notification commitment system for port-entry approval of ships was introduced.",
     "notification commitment system for port-entry approval of ships"),
    ("A regulatory model for equipment spare parts in comprehensive bonded zones was launched.",
     "regulatory model for equipment spare parts"),
    ("It launched a major measure for deepening reform and for advancing trade.",
     "major measure for deepening reform"),
    ("A guarantee mechanism for foreign investors so that they feel safe was set up.",
     "guarantee mechanism"),
    ("The zone will pursue in-depth reform of customs.", None),  # not "depth reform"
])
def test_a_measure_name_is_a_whole_name(sentence: str, name: str | None) -> None:
    assert measure_name(sentence) == name


def test_card_names_read_as_names() -> None:
    for fragment in ("push reform", "Yan said measures", "speed up reform"):
        assert not clean_name(fragment), fragment
    assert display_name("FIVE YEARS OF THE ZHENGZHOU AREA") == "Five years of the Zhengzhou area"
    assert display_name("positive list") == "Positive list"
    assert display_name("overall planning and step-by-step implementation,") == \
        "Overall planning and step-by-step implementation"


@pytest.mark.parametrize(("text", "whom"), [
    ('A "cold chain fast lane" lets importers of frozen seafood clear health certificates.',
     "importers of frozen seafood"),
    ("The reform allows foreign-invested banks to open branches in the zone.",
     "foreign-invested banks"),
    ("It lets traders dealing in jade pay no duty.", "traders dealing in jade"),
    ("Zero-tariff list: applies to production equipment that enterprises import for their own "
     "use.", "production equipment that enterprises import for their own use"),
    ("The weather in the area was mild.", ""),
])
def test_whom_a_measure_serves_is_read_from_its_text(text: str, whom: str) -> None:
    assert who_for(text) == whom


def test_since_when_is_the_date_next_to_a_verb_that_says_it_began() -> None:
    def sentence(text: str) -> SimpleNamespace:
        return SimpleNamespace(text=text, notes=Notes(text))
    assert since_of([sentence("The green lane took effect on March 3, 2024 for all "
                              "traders.")]) == "March 2024"
    assert since_of([sentence("Exports rose 5 percent in 2023.")]) == ""  # no beginning
    assert since_of([sentence("The rule, launched in 2019, covers 12 ports.")]) == "2019"


def test_a_card_says_whom_the_measure_serves_and_keeps_document_text_as_text(
    finder: PolicyFinder,
) -> None:
    card = finder.find("We import frozen seafood and need health certificates quickly")[0]
    assert card["for"] == "importers of frozen seafood"
    assert "it serves importers of frozen seafood" in card["why"]
    shown = measures_html([{**card, "for": "<img src=x onerror=alert(1)>"}])
    assert "For:</span>" in shown and "&lt;img src=x" in shown and "<img" not in shown


def test_a_chinese_profile_is_embedded_as_its_first_senses(finder: PolicyFinder,
                                                           monkeypatch) -> None:
    # class: a Chinese profile embedded with every alternative of every glossary term
    # ("Ministry of Commerce MOFCOM"), which reads like no sentence
    embedded: list[str] = []
    embed = finder._embeddings.embed_query
    monkeypatch.setattr(finder._embeddings, "embed_query",
                        lambda text: embedded.append(text) or embed(text))
    profile = "大连一家进口商，想了解商务部的措施"
    finder.find(profile)
    reading = finder._glossary.read(profile)
    assert embedded == [reading.plain] and reading.plain != reading.text
