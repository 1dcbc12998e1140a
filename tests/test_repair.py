"""Tests for assistant.ingest.repair: glued words are split, everything else is left alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from wordfreq import zipf_frequency

from assistant.ingest.repair import repair_text

# the page text the project started from, glued words and all (kept here so that no test
# depends on a folder outside the repository)
SEED = Path(__file__).parent / "data" / "dalian-ftz-institutional-innovation-seed.txt"


@pytest.mark.parametrize(
    ("glued", "fixed"),
    [
        (
            "Sincethe launch, Ningbo Free Trade Zoneis expanding",
            "Since the launch, Ningbo Free Trade Zone is expanding",
        ),
        (
            "Thezone hasintroduced 15 measures in2019.",
            "The zone has introduced 15 measures in 2019.",
        ),
        ("Ithas opened a newterminal", "It has opened a new terminal"),
        ("Newport is a known word", "Newport is a known word"),
        ("XiamenFree Trade Zone", "Xiamen Free Trade Zone"),
        ("approved bythe State Council", "approved by the State Council"),
        ("first inChina to do so", "first in China to do so"),
        ("the ShanghaiPilot Free Trade Zone", "the Shanghai Pilot Free Trade Zone"),
        ("Qianhaihas attracted firms", "Qianhai has attracted firms"),
        ("Hainanand Guangdong", "Hainan and Guangdong"),
        ("Since2018, the port", "Since 2018, the port"),
        ("ranks 3rdamong pilot zones", "ranks 3rd among pilot zones"),
        ("it ranked 2ndin the list", "it ranked 2nd in the list"),
        ("over300 firms", "over 300 firms"),
        ("cross-border RMBpayments", "cross-border RMB payments"),
        ("filed withMOFCOM", "filed with MOFCOM"),
        ("the bondedlogistics park", "the bonded logistics park"),
        ("customsclearance andinspection", "customs clearance and inspection"),
        ("new tradefacilitationmeasures", "new trade facilitation measures"),
        ("to establisha special team", "to establish a special team"),
        ("Interms of finance", "In terms of finance"),
        ("Accordingto the plan", "According to the plan"),
        ("quotas,licences and permits", "quotas, licences and permits"),
        ("in the province.Since then", "in the province. Since then"),
        ("in the zone;however", "in the zone; however"),
        ('the "single window"platform', 'the "single window" platform'),
        ('known as"green lane" service', 'known as "green lane" service'),
        ("the \u201cgreen lane\u201dservice", "the \u201cgreen lane\u201d service"),
        ("modelof\u201cone window\u201d", "model of \u201cone window\u201d"),
        ("ofthe zone andthe port", "of the zone and the port"),
        ("revitalisingthe old industrial bases", "revitalising the old industrial bases"),
        ("an internationaltransshipment hub", "an international transshipment hub"),
        ("two plants, inTianjin and Dalian", "two plants, in Tianjin and Dalian"),
        ("Zhuhaiwill open a Tianjinport office", "Zhuhai will open a Tianjin port office"),
        ("Yingkouhasbeen chosen", "Yingkou has been chosen"),
        ("approved on March31, 2017", "approved on March 31, 2017"),
        ("the Plan (Trial)and its annex", "the Plan (Trial) and its annex"),
        ("handled 2 million TEUsin 2020", "handled 2 million TEUs in 2020"),
        ("Atpresent, the areaofChina", "At present, the area of China"),
        ("Inthe first half", "In the first half"),
        ("Source:Xinhua", "Source: Xinhua"),
    ],
)
def test_glued_words_are_split(glued: str, fixed: str) -> None:
    assert repair_text(glued) == fixed


UNCHANGED = [
    # Ordinary English, including words made of smaller words.
    "The Free Trade Zone is going to expand its bonded area into the hinterland.",
    "Notwithstanding the foregoing, the parties hereby agree thereto and therein.",
    "Nevertheless, the warehouse offshore upstream also handles inbound transshipment.",
    "Whereas the organisation, the centre and the programme were modernised,",
    "a stakeholder-oriented, one-stop, cross-border e-commerce pilot; nonetheless",
    "It is important to understand the outlook for the shipbuilding industry.",
    "The seaport and airport handle petrochemical and biopharmaceutical goods.",
    # Chinese place and person names.
    "Liaoning, Yingkou, Qianhai, Hengqin, Nansha, Shenyang, Xiamen, Hainan, Lingang",
    "Zhu Zhisong and Liao Xiaodong visited Yangpu, Zhoushan, Pudong and Dalianwan.",
    "Zhuhai, Tianjin, Chongqing, Heilongjiang, Manzhouli, Suifenhe and Qinzhou",
    # Acronyms, codes, numbers.
    "MOFCOM, NDRC, CEPA, TEU, SMEs, FTZs, RMB and the G20 back 5G and H1N1 work.",
    "It ranks 11th of 43; the 3rd, 4th and 21st items; 3,000 hours; 119.89 km\u00b2.",
    "Guo Fa (2017) No. 15, ISO9001, COVID-19, COVID19, A4, Q3, km2, B2B, 2020-2025",
    "In 1990s and 2020s, 10km, 5kg, 100Mbps, 24h, 4K, 3D, 1/5 of staff, 26.5%",
    # URLs, e-mails, paths and file names.
    "See https://english.dlftz.gov.cn/article/show/369.aspx for details.",
    "Write to investinliaoning@example.com or visit www.investdalian.example.cn today.",
    "Open docs/dalianftzinstitutionalinnovation.md and freetradezone.pdf now.",
    # Brands in camel case.
    "WeChat, iPhone, fDi Intelligence, PetroChina, JavaScript, YouTube, eBay, LinkedIn",
    "McDonald, PowerPoint, PayPal, MasterCard, BlackRock, FedEx, PhD, iOS, McKinsey",
    "SymPy, NumPy, OpenAI, getLogger, iOS, mRNA, pH and kWh keep their shapes.",
    # Code: backticks, identifiers, calls, keyword arguments, f-strings.
    "Call `BaseRetriever.invoke()` or `repair_text`; x = client.Client(url); size=4",
    'print(f"Hello {name}") and b"bytes"',
    # Markdown.
    "## Figures\n- **22** staff\n| a | b |\n|---|---|\n> quote\n1. item\n",
    "**Ore:** the *bonded* area, `code_name`, [link](https://example.com/a_b)",
    # Chinese and mixed text.
    "\u8fbd\u5b81\u81ea\u8d38\u8bd5\u9a8c\u533a",
    "\u5927\u8fde\u7247\u533a (Dalian Area) \u6210\u7acb\u4e8e2017\u5e74\u3002",
    # Abbreviations and punctuation that must keep their shape.
    "e.g. this, i.e. that, U.S. firms, a.m., etc., Mr. Li, No.15, 3.5%, 1,000, 12:30",
    "xsl:variable, std::vector, (s)he, a,b, x;y, 10:30am",
    'He said "yes" and "no".  Two  spaces\tand a tab.\r\nWindows line end.',
    'A 5" screen and a "quoted" word',
]


@pytest.mark.parametrize("text", UNCHANGED)
def test_text_without_glued_words_is_unchanged(text: str) -> None:
    assert repair_text(text) == text


def test_only_spaces_are_inserted() -> None:
    text = 'Ithas "quoted"words,and DalianFree\n\n  In2020 \u5927\u8fde\tthesoul.Since 11thamong'
    repaired = repair_text(text)
    assert repaired.replace(" ", "") == text.replace(" ", "")
    assert repaired == (
        'It has "quoted" words, and Dalian Free\n\n  In 2020 \u5927\u8fde\t'
        "the soul. Since 11th among"
    )


def test_empty_and_whitespace() -> None:
    assert repair_text("") == ""
    assert repair_text(" \n\t ") == " \n\t "


@pytest.mark.parametrize("text", [*UNCHANGED, "Ithas issued rules in2019,and DalianFree trade"])
def test_idempotent(text: str) -> None:
    once = repair_text(text)
    assert repair_text(once) == once


def _seed() -> str:
    return SEED.read_text(encoding="utf-8")


def test_seed_only_spaces_are_inserted() -> None:
    text = _seed()
    repaired = repair_text(text)
    assert repaired.replace(" ", "") == text.replace(" ", "")
    assert repaired.count("\n") == text.count("\n")
    assert repair_text(repaired) == repaired


@pytest.mark.parametrize(
    "phrase",
    [
        "Since its establishment",
        "Dalian Free Trade Area is going",
        "is the soul",
        "It has issued",
        "In 2020, Dalian",
        "has implemented seven reforms",
        "introduced first in China",
        "transport freedom measures, and",
        'export cargoes" has been pioneered',
        "platform for inspection",
        "ranks 11th among 43 free trade areas",
        "RMB settlement",
        "Institutional Innovation and Enterprise Service",
        "whole province. Since last year",
    ],
)
def test_seed_known_glued_words_fixed(phrase: str) -> None:
    assert phrase in repair_text(_seed())


def test_seed_has_no_long_unknown_words_left() -> None:
    words = re.findall(r"\b[a-z]{12,}\b", repair_text(_seed()))
    unknown = sorted({w for w in words if zipf_frequency(w, "en") == 0.0})
    assert unknown == []


def test_large_single_line_is_handled() -> None:
    unit = "Ithas issued 15 measures in2019,and DalianFree Trade Areais growing. WeChat G20 "
    text = unit * (2_000_000 // len(unit))
    repaired = repair_text(text)
    assert len(repaired) >= len(text)
    assert repaired.startswith("It has issued 15 measures in 2019, and Dalian Free Trade Area is")
    assert repaired.replace(" ", "") == text.replace(" ", "")


def test_long_letter_run_is_left_alone() -> None:
    run = "thequickbrownfox" * 100
    assert repair_text(run) == run
