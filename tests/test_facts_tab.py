"""The Statistics tab's data functions: place filter with its areas, like-with-like chart,
downloads that keep values as written and never run as spreadsheet formulas."""

from __future__ import annotations

import csv
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import gradio as gr

from assistant.errors import UserError
from assistant.ui.facts_tab import (
    COLUMNS,
    _row,
    area_series,
    build_facts_tab,
    context_html,
    fact_cards_html,
    filtered,
    place_choices,
    quantity_choices,
    scaled,
    time_series,
    write_csv,
    write_json,
    year_choices,
)


def _fact(value: str, number: float | None, place: str, level: str, unit: str = "km²",
          quantity: str = "area", sentence: str = "") -> dict:
    return {"value": value, "number": number, "unit": unit, "kind": "area", "quantity": quantity,
            "place": place, "level": level, "period": "", "period_key": "", "change": False,
            "citations": [{"source": "reed.md", "title": "Reed briefing", "snippet": sentence,
                           "url": None, "section": "", "page": None, "date": "2024"}]}


FACTS = [
    _fact("120 sq km", 120.0, "Fujian FTZ", "zone"),
    _fact("43.78 sq km", 43.78, "Fujian FTZ / Xiamen Area", "area"),
    _fact("31.26 sq km", 31.26, "Fujian FTZ / Fuzhou Area", "area"),
    _fact("124,000 sq km", 124000.0, "Fujian (province)", "province"),
    _fact("33,900 sq km", 33900.0, "Hainan FTP", "zone"),
    _fact("119.89 sq km", 119.89, "Liaoning FTZ", "zone"),
    _fact("28.5 sq km", 28.5, "Liaoning FTZ", "zone"),  # a part said of the zone
    _fact("=HYPERLINK(\"x\")", None, "Liaoning FTZ / Dalian Area", "area", unit="count",
          quantity="-2+3 injected", sentence="@SUM(A1)"),
]


def test_a_zone_filter_takes_in_its_areas_but_not_a_province_of_the_same_name() -> None:
    places = {f["place"] for f in filtered(FACTS, "Fujian FTZ", None, None)}
    assert places == {"Fujian FTZ", "Fujian FTZ / Xiamen Area", "Fujian FTZ / Fuzhou Area"}
    assert [f["place"] for f in filtered(FACTS, "Fujian FTZ / Xiamen Area", None, None)] == [
        "Fujian FTZ / Xiamen Area"]
    choices = place_choices(FACTS)
    assert choices.index(("Fujian FTZ", "Fujian FTZ")) < choices.index(
        ("    Xiamen Area", "Fujian FTZ / Xiamen Area"))


def test_the_chart_compares_zones_or_the_chosen_zone_s_areas_never_a_mix() -> None:
    zones = area_series(FACTS)
    assert set(zones["Zone"]) == {"Fujian FTZ", "Liaoning FTZ"}  # not Hainan's whole island
    assert sorted(zones["km²"]) == [119.89, 120.0]  # a zone's largest size, not its part
    areas = area_series(FACTS, "Fujian FTZ")
    assert sorted(areas["km²"]) == [31.26, 43.78]
    assert all(label.startswith(("Xiamen Area", "Fuzhou Area")) for label in areas["Area"])


def test_downloads_keep_values_as_written_and_defuse_formulas() -> None:
    with open(write_csv(FACTS), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][:2] == ["120 sq km", "km²"]
    injected = rows[-1]
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in injected)
    assert injected[0] == "'=HYPERLINK(\"x\")"
    with open(write_json(FACTS), encoding="utf-8") as handle:
        assert json.load(handle) == FACTS


def _trade(value: str, number: float, place: str, key: str, date: str = "2024",
           also: list | None = None, sentence: str = "") -> dict:
    fact = _fact(value, number, place, "zone", unit="yuan", quantity="foreign trade",
                 sentence=sentence or f"Foreign trade reached {value} in {key}.")
    fact.update(period=key, period_key=key, kind="money", also_stated=also or [])
    fact["citations"][0].update(date=date, chunk="reed.md#0")
    return fact


TRADE = [_trade("50 billion yuan", 5e10, "Reed FTZ", "2021"),
         _trade("61 billion yuan", 6.1e10, "Reed FTZ", "2022"),
         _trade("70 billion yuan", 7e10, "Reed FTZ", "2023"),
         _trade("12 billion yuan", 1.2e10, "Reed FTZ", "2023-H1"),
         _trade("9 billion yuan", 9e9, "Reed FTZ / Lotus Area", "2022"),
         _trade("80 billion yuan", 8e10, "Reed FTZ", "since 2015-04")]


def test_figures_filter_by_quantity_and_by_the_year_their_period_lies_in() -> None:
    assert [f["value"] for f in filtered(TRADE, "Reed FTZ", None, None, "Foreign trade",
                                         "2023")] == ["70 billion yuan", "12 billion yuan"]
    assert [c for c, _ in year_choices(TRADE)] == ["All periods", "2023", "2022", "2021"]
    assert ("foreign trade", "foreign trade") in quantity_choices(TRADE + FACTS)
    assert ("-2+3 injected", "-2+3 injected") not in quantity_choices(FACTS)  # said once


def test_one_quantity_of_one_place_over_the_years_is_charted_by_whole_years() -> None:
    series = time_series(TRADE, "Reed FTZ", "foreign trade")
    assert list(series["Year"]) == ["2021", "2022", "2023"]  # not the half-year, area or total
    assert list(series["Value"]) == [5e10, 6.1e10, 7e10]
    assert set(series["Unit"]) == {"yuan"}  # the chart's unit comes with its points
    assert time_series(TRADE, None, "foreign trade").empty


def test_another_figure_for_the_same_is_shown_beside_with_where_and_when() -> None:
    fact = _trade("70 billion yuan", 7e10, "Reed FTZ", "2023", also=[
        {"value": "69.5 billion yuan", "number": 6.95e10, "date": "2024-02-01",
         "title": "Reed yearbook", "source": "book.md"}])
    row = dict(zip(COLUMNS, _row(fact), strict=True))
    assert row["Also stated"] == "69.5 billion yuan (Reed yearbook · 2024-02-01)"


def test_a_chosen_row_shows_its_sentence_marked_in_its_passage_as_text() -> None:
    fact = _trade("70 billion yuan", 7e10, "Reed FTZ", "2023",
                  sentence="Foreign trade reached 70 billion yuan <img src=x onerror=alert(1)>.")
    passage = {"text": "Reed grew fast. " + fact["citations"][0]["snippet"] + " More later."}
    shown = context_html(fact, passage)
    assert "<mark>Foreign trade reached 70 billion yuan &lt;img" in shown
    assert "<img" not in shown and "Reed grew fast." in shown
    assert "Choose a row" in context_html(None, None)


def test_a_series_is_charted_in_a_scale_read_at_a_glance() -> None:
    series, word = scaled(time_series(TRADE, "Reed FTZ", "foreign trade"))
    assert word == "billion" and list(series["Value"]) == [50.0, 61.0, 70.0]
    assert list(series["Figure"]) == ["50 billion yuan", "61 billion yuan", "70 billion yuan"]


def test_on_a_phone_each_figure_is_a_card_with_its_value_first_and_its_text_escaped() -> None:
    # class: a six-column table on a 390 px screen shows two and a half columns
    hostile = _fact("<b>9</b> sq km", 9.0, "Fujian FTZ / <i>Pingtan</i> Area", "area",
                    sentence="It covers <script>x</script> 9 sq km.")
    shown = fact_cards_html([hostile, *FACTS])
    assert shown.count('<article class="ftz-fact-card">') == len(FACTS) + 1
    assert "<strong>&lt;b&gt;9&lt;/b&gt; sq km</strong> km²" in shown
    assert "Place</span>" in shown
    assert "<dd>Fujian FTZ / &lt;i&gt;Pingtan&lt;/i&gt; Area</dd>" in shown
    assert "&lt;script&gt;" in shown and "<script>" not in shown
    many = fact_cards_html([FACTS[0]] * 250)
    assert many.count("<article") == 30 and "The first 30 of 250" in many
    assert "No figure matches" in fact_cards_html([])


def test_downloads_written_at_once_by_many_refreshes_all_arrive() -> None:
    facts = [{**FACTS[0], "value": f"{len(FACTS)}-{time.time_ns()}"}]  # a file not yet written
    start = threading.Barrier(12)

    def write() -> str:
        start.wait()
        return write_csv(facts)

    with ThreadPoolExecutor(12) as pool:
        paths = set(pool.map(lambda _: write(), range(12)))
    [path] = paths
    assert Path(path).read_text(encoding="utf-8-sig").count("\n") == 2


def test_a_chinese_filter_text_matches_the_english_of_each_of_its_terms() -> None:
    from assistant.crosslingual import Glossary

    glossary = Glossary({"厦门": "Xiamen", "面积": "area|sq km", "哈尔滨": "Harbin"}, senses={})
    xiamen = filtered(FACTS, None, None, "厦门 面积", terms=glossary.terms)
    assert [f["place"] for f in xiamen] == ["Fujian FTZ / Xiamen Area"]
    assert filtered(FACTS, None, None, "哈尔滨", terms=glossary.terms) == []  # (no such fact)
    assert filtered(FACTS, None, None, "什么", terms=glossary.terms) == []  # no term: nothing
    assert len(filtered(FACTS, None, None, "Xiamen", terms=glossary.terms)) == 1  # English


def test_after_a_library_change_the_tab_keeps_each_filter_that_still_has_a_choice() -> None:
    """The tab is brought up to date after every library change: a filter the visitor set
    meanwhile (a zone, a text typed while the change was indexed) must survive it."""
    finder = SimpleNamespace(facts=lambda zone=None: FACTS,
                             glossary=SimpleNamespace(terms=lambda text: []))
    with gr.Blocks():
        show, inputs, outputs = build_facts_tab(finder)
    assert len(inputs) == len(outputs) == 5
    place, quantity, year, unit, updates = show("Fujian FTZ", "", "", "no such unit", 3)
    assert "value" not in place and "Fujian FTZ" in [value for _, value in place["choices"]]
    assert "value" not in quantity and unit["value"] == "" and updates == 4
    place, *_, updates = show("Atlantis FTZ", "", "", "", 4)
    assert place["value"] == "" and updates == 5
    # a damaged index: no menu changes, but the update still has the table drawn (to say why)
    broken = SimpleNamespace(facts=lambda zone=None: (_ for _ in ()).throw(UserError("broken")),
                             glossary=finder.glossary)
    with gr.Blocks():
        show, _, _ = build_facts_tab(broken)
    assert show("", "", "", "", 0) == (*(gr.update(),) * 4, 1)


def test_one_event_draws_the_table_the_last_filters_win() -> None:
    """Two events drawing the table (a filter typed while a library change was being shown)
    could finish out of order and leave the older filters' table; one event, run one at a time
    per page and again with the filters as they are then, cannot."""
    finder = SimpleNamespace(facts=lambda zone=None: FACTS,
                             glossary=SimpleNamespace(terms=lambda text: []))
    with gr.Blocks() as app:
        show, inputs, outputs = build_facts_tab(finder)
    table = next(block for block in app.blocks.values()
                 if getattr(block, "elem_id", None) == "ftz-facts")
    [drawing] = [fn for fn in app.fns.values() if table in fn.outputs]
    assert drawing.trigger_mode == "always_last"
    *filters, updates = inputs
    assert {(block._id, "change") for block in [*filters, updates]} <= set(drawing.targets)
    assert [block._id for block in drawing.inputs[:4]] == [block._id for block in filters]
    assert updates in outputs and table not in outputs
    drawn = drawing.fn("Fujian FTZ", "", "", "", "43.78")
    assert list(drawn[0]["Value"]) == ["43.78 sq km"]
