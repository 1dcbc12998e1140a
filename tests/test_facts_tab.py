"""The Statistics tab's data functions: place filter with its areas, like-with-like chart,
downloads that keep values as written and never run as spreadsheet formulas."""

from __future__ import annotations

import csv
import json

from assistant.ui.facts_tab import area_series, filtered, place_choices, write_csv, write_json


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
