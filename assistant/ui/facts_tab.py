"""The Statistics tab: every figure of the documents as a record (value, unit, quantity, place,
period, sources) in a filterable table, CSV and JSON downloads and a like-with-like chart.

Values stay text exactly as written in the documents; the chart uses the records' numbers.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

COLUMNS = ["Value", "Unit", "Quantity", "Place", "Period", "Source"]
WIDTHS = ["120px", "120px", "240px", "230px", "140px", "300px"]  # fits a laptop; scrolls on a phone
# the download keeps what the table shows and what it leaves out: the number, the link, the
# sentence the figure is stated in
CSV_COLUMNS = ["Value", "Unit", "Quantity", "Place", "Period", "Source", "Number", "Level",
               "Period key", "Change", "Source file", "Link", "Sentence"]
AREA_UNIT = "km²"
CHART_MAX_KM2 = 1000.0  # a zone larger than this (Hainan's whole island) would flatten the bars
PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?")  # a number cell is no formula
LABEL_CHARS = 28
DOWNLOAD_DIR = Path(tempfile.gettempdir()) / "ftz-statistics"


def _source(fact: dict[str, Any]) -> dict[str, Any]:
    return next(iter(fact.get("citations") or []), {})


def _sources(fact: dict[str, Any]) -> str:
    """Each document that states the figure: its title (section or page) and date."""
    said = []
    for cited in fact.get("citations") or []:
        where = cited.get("section") or (f"page {cited['page']}" if cited.get("page") else "")
        said.append(" · ".join(str(p) for p in (cited.get("title") or cited.get("source"),
                                                   where, cited.get("date")) if p))
    return " | ".join(dict.fromkeys(said))


def _row(fact: dict[str, Any]) -> list[str]:
    return [str(fact.get(key) or "") for key in ("value", "unit", "quantity", "place",
                                                 "period")] + [_sources(fact)]


def _csv_row(fact: dict[str, Any]) -> list[str]:
    cited = _source(fact)
    number = fact.get("number")
    return _row(fact) + [
        "" if number is None else f"{number:g}", fact.get("level") or "",
        fact.get("period_key") or "", "yes" if fact.get("change") else "",
        str(cited.get("source") or ""), str(cited.get("url") or ""),
        str(cited.get("snippet") or "")]


def filtered(facts: list[dict[str, Any]], place: str | None, unit: str | None,
             text: str | None) -> list[dict[str, Any]]:
    """The facts of one place and the places within it ("Liaoning FTZ" takes in "Liaoning FTZ
    / Dalian Area"), of one unit, and containing a text."""
    needle = " ".join((text or "").split()).lower()
    return [f for f in facts
            if (not place or (f.get("place") or "") == place
                or (f.get("place") or "").startswith(place + " / "))
            and (not unit or f.get("unit") == unit)
            and (not needle or needle in " ".join(_row(f)).lower())]


def _written(name: str, suffix: str, data: bytes) -> str:
    """The bytes as a download file named by their content (the same rows reuse one file)."""
    DOWNLOAD_DIR.mkdir(parents=True, exist_ok=True)
    path = DOWNLOAD_DIR / f"{name}-{hashlib.sha256(data).hexdigest()[:12]}{suffix}"
    if not path.exists():
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(data)
        os.replace(partial, path)
    return str(path)


def write_csv(facts: list[dict[str, Any]]) -> str:
    """The facts as a CSV file (values exactly as written); returns its path. A cell that a
    spreadsheet would run as a formula is quoted with a leading apostrophe."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerows([[_inert(cell) for cell in _csv_row(f)] for f in facts])
    return _written("ftz-statistics", ".csv", buffer.getvalue().encode("utf-8-sig"))


def write_json(facts: list[dict[str, Any]]) -> str:
    """The facts as a JSON file (every field of every record); returns its path."""
    data = json.dumps(facts, ensure_ascii=False, indent=1).encode("utf-8")
    return _written("ftz-statistics", ".json", data)


def _inert(cell: str) -> str:
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not \
        PLAIN_NUMBER.fullmatch(cell) else cell


def area_series(facts: list[dict[str, Any]], place: str | None = None) -> pd.DataFrame:
    """Like with like, one bar per place (km²): the areas of the chosen zone, or without one
    the zones themselves (a zone larger than CHART_MAX_KM2, the whole island of Hainan,
    stays in the table); labelled by place name."""
    points, seen = [], set()
    for fact in facts:
        where = fact.get("place") or ""
        if place:
            fits = where.startswith(place + " / ") and fact.get("level") == "area"
        else:
            fits = fact.get("level") == "zone" and (fact.get("number") or 0) <= CHART_MAX_KM2
        if (not fits or fact.get("unit") != AREA_UNIT or fact.get("number") is None
                or fact.get("change") or "area" not in (fact.get("quantity") or "area")
                or where in seen):
            continue
        seen.add(where)
        name = where.split(" / ")[-1]
        name = name if len(name) <= LABEL_CHARS else name[:LABEL_CHARS - 1] + "…"
        points.append({"Area": f"{name} ({fact['value']})", "km²": fact["number"],
                       "Zone": where.split(" / ")[0]})
    return pd.DataFrame(points, columns=["Area", "km²", "Zone"])


def place_choices(facts: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Every place of the facts, each zone followed by its areas (indented)."""
    places = sorted({f.get("place") or "" for f in facts} - {""})
    zones = sorted({p.split(" / ")[0] for p in places})
    choices = [("All places", "")]
    for zone in zones:
        choices.append((zone, zone))
        choices += [("    " + p.split(" / ", 1)[1], p) for p in places
                    if p.startswith(zone + " / ")]
    return choices


def build_facts_tab(finder: Any) -> tuple[Any, list[Any]]:
    """Add the Statistics tab; returns a refresh function and its outputs, for page load."""
    with gr.Tab("Statistics", id="statistics"):
        gr.Markdown("Every figure found in the indexed documents, exactly as written: what it "
                    "measures, the place and the period it is about, and the documents that "
                    "state it. Filter by place (a zone takes in its areas), unit or any text.")
        with gr.Row(elem_classes="ftz-facts-filters"):
            place = gr.Dropdown([("All places", "")], value="", label="Place",
                                elem_id="ftz-facts-zone", min_width=150)
            unit = gr.Dropdown([("All units", "")], value="", label="Unit",
                               elem_id="ftz-facts-unit", min_width=150)
            text = gr.Textbox(label="Contains", placeholder="e.g. foreign trade, hours, 2024",
                              elem_id="ftz-facts-filter", max_length=200, min_width=150)
        with gr.Row(equal_height=True, elem_classes="ftz-facts-bar"):
            count = gr.Markdown(elem_id="ftz-facts-count")
            download = gr.DownloadButton("Download CSV", elem_id="ftz-facts-csv", size="sm",
                                         variant="secondary", scale=0, min_width=150)
            download_json = gr.DownloadButton("Download JSON", elem_id="ftz-facts-json",
                                              size="sm", variant="secondary", scale=0,
                                              min_width=150)
        table = gr.Dataframe(headers=COLUMNS, datatype="str", interactive=False, wrap=True,
                             max_height=560, elem_id="ftz-facts", column_widths=WIDTHS)
        chart = gr.BarPlot(x="Area", y="km²", sort="-y", x_label_angle=-60,
                           title="Areas (km²): the zones, or the chosen zone's areas", x_title="",
                           y_title="km²", tooltip="all", height=440, elem_id="ftz-facts-chart",
                           label="Areas (km²)")
        chart_note = gr.Markdown(
            "The chart compares like with like, one bar per place: the zones' areas (km²), or "
            "choose a zone above to compare its areas. Zones larger than "
            f"{CHART_MAX_KM2:,.0f} km² (Hainan's whole island) and the land of provinces and "
            "cities stay in the table.", elem_classes="ftz-chart-note")

    def refresh(place_name: str | None, unit_name: str | None, needle: str | None) -> tuple:
        facts = finder.facts()
        shown = filtered(facts, place_name, unit_name, needle)
        series = area_series(shown, place_name)
        has_series = len(series) >= 2
        total = f"**{len(shown)}** of {len(facts)} figures"
        return (pd.DataFrame([_row(f) for f in shown], columns=COLUMNS), total,
                write_csv(shown), write_json(shown),
                gr.update(value=series, visible=has_series), gr.update(visible=has_series))

    outputs = [table, count, download, download_json, chart, chart_note]
    inputs = [place, unit, text]
    for trigger in (place.change, unit.change, text.change):
        trigger(refresh, inputs, outputs, api_visibility="private", show_progress_on=table)

    def show() -> tuple:
        facts = finder.facts()
        units = sorted({f.get("unit") or "" for f in facts} - {""})
        return (gr.update(choices=place_choices(facts), value=""),
                gr.update(choices=[("All units", "")] + [(u, u) for u in units], value=""),
                *refresh(None, None, None))

    return show, [place, unit, *outputs]
