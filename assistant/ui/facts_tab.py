"""The Statistics tab: every figure in the documents as a filterable table, a CSV and a chart.

Values stay text exactly as written in the documents; they become numbers only for the chart.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

COLUMNS = ["Value", "Unit", "What", "Zone", "Date", "Source file"]
WIDTHS = ["110px", "130px", "400px", "190px", "90px", "280px"]  # fits a laptop; scrolls on a phone
AREA_UNIT = "km²"
CHART_MAX_KM2 = 1000.0  # province-sized areas would flatten the zone areas' bars
PLAIN_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
QUALIFIERS = re.compile(r"^(?:more than|over|nearly|almost|about|around|up to|at least|"
                        r"less than|some)\s+", re.I)
LABEL_CHARS = 28
CSV_DIR = Path(tempfile.gettempdir()) / "ftz-statistics"


def as_number(value: str) -> float | None:
    """A figure's value as a float for charting ("more than 1,200" -> 1200.0), else None."""
    bare = QUALIFIERS.sub("", value.strip())
    if not PLAIN_NUMBER.fullmatch(bare):
        return None
    return float(bare.replace(",", ""))


def _zone(fact: dict[str, Any]) -> str:
    return re.sub(r"\s*\(.*?\)", "", fact.get("zone") or "").strip()


def _source(fact: dict[str, Any]) -> str:
    return next((str(c.get("source") or "") for c in fact.get("citations") or []), "")


def _row(fact: dict[str, Any]) -> list[str]:
    return [str(fact.get(key) or "") for key in ("value", "unit", "what", "zone", "date")] + [
        _source(fact)]


def filtered(facts: list[dict[str, Any]], zone: str | None, unit: str | None,
             text: str | None) -> list[dict[str, Any]]:
    """The facts of one zone (and its areas: "Liaoning FTZ" takes in "Liaoning FTZ / Dalian
    Area"; notes in brackets are ignored), of one unit, and containing a text."""
    needle = " ".join((text or "").split()).lower()
    return [f for f in facts
            if (not zone or zone.lower() in _zone(f).lower())
            and (not unit or f.get("unit") == unit)
            and (not needle or needle in " ".join(_row(f)).lower())]


def write_csv(rows: list[list[str]]) -> str:
    """The rows as a CSV file (values exactly as in the table); returns its path. Named by
    content, so the same rows reuse one file."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8-sig")
    CSV_DIR.mkdir(parents=True, exist_ok=True)
    path = CSV_DIR / f"ftz-statistics-{hashlib.sha256(data).hexdigest()[:12]}.csv"
    if not path.exists():
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(data)
        os.replace(partial, path)
    return str(path)


def area_series(facts: list[dict[str, Any]]) -> pd.DataFrame:
    """Area figures (km², zone-sized) as a frame for the bar chart; labels are unique."""
    points, seen = [], set()
    for fact in facts:
        number = as_number(fact.get("value") or "")
        if fact.get("unit") != AREA_UNIT or number is None or number > CHART_MAX_KM2:
            continue
        what = fact.get("what") or ""
        if fact["value"] in what:  # a whole sentence: name the bar by its zone instead
            what = _zone(fact) or what
        name = what if len(what) <= LABEL_CHARS else what[:LABEL_CHARS - 1] + "…"
        label = f"{name} ({fact['value']})"
        if label in seen:
            continue
        seen.add(label)
        points.append({"Area": label, "km²": number, "Zone": _zone(fact)})
    return pd.DataFrame(points, columns=["Area", "km²", "Zone"])


def build_facts_tab(finder: Any) -> tuple[Any, list[Any]]:
    """Add the Statistics tab; returns a refresh function and its outputs, for page load."""
    with gr.Tab("Statistics", id="statistics"):
        gr.Markdown("Every figure found in the indexed documents, exactly as written. Click a "
                    "column header to sort; filter by zone, unit or any text.")
        with gr.Row(elem_classes="ftz-facts-filters"):
            zone = gr.Dropdown([("All zones", "")], value="", label="Zone",
                               elem_id="ftz-facts-zone", min_width=150)
            unit = gr.Dropdown([("All units", "")], value="", label="Unit",
                               elem_id="ftz-facts-unit", min_width=150)
            text = gr.Textbox(label="Contains", placeholder="e.g. Dalian, hours, Xiamen",
                              elem_id="ftz-facts-filter", max_length=200, min_width=150)
        with gr.Row(equal_height=True, elem_classes="ftz-facts-bar"):
            count = gr.Markdown(elem_id="ftz-facts-count")
            download = gr.DownloadButton("Download CSV", elem_id="ftz-facts-csv", size="sm",
                                         variant="secondary", scale=0, min_width=150)
        table = gr.Dataframe(headers=COLUMNS, datatype="str", interactive=False, wrap=True,
                             max_height=560, elem_id="ftz-facts", column_widths=WIDTHS)
        chart = gr.BarPlot(x="Area", y="km²", sort="-y", x_label_angle=-60,
                           title="Areas in the documents (km²)", x_title="", y_title="km²",
                           tooltip="all", height=440, elem_id="ftz-facts-chart",
                           label="Areas (km²)")
        chart_note = gr.Markdown(
            f"The chart shows the area figures of the rows above up to {CHART_MAX_KM2:,.0f} "
            "km² (larger, province-sized figures stay in the table).",
            elem_classes="ftz-chart-note")

    def refresh(zone_name: str | None, unit_name: str | None, needle: str | None) -> tuple:
        facts = finder.facts()
        shown = filtered(facts, zone_name, unit_name, needle)
        rows = [_row(f) for f in shown]
        series = area_series(shown)
        has_series = len(series) >= 2
        total = f"**{len(rows)}** of {len(facts)} figures"
        return (pd.DataFrame(rows, columns=COLUMNS), total, write_csv(rows),
                gr.update(value=series, visible=has_series), gr.update(visible=has_series))

    outputs = [table, count, download, chart, chart_note]
    inputs = [zone, unit, text]
    for trigger in (zone.change, unit.change, text.change):
        trigger(refresh, inputs, outputs, api_visibility="private", show_progress_on=table)

    def show() -> tuple:
        facts = finder.facts()
        zones = sorted({_zone(f) for f in facts if _zone(f)})
        units = sorted({f.get("unit") or "" for f in facts} - {""})
        return (gr.update(choices=[("All zones", "")] + [(z, z) for z in zones], value=""),
                gr.update(choices=[("All units", "")] + [(u, u) for u in units], value=""),
                *refresh(None, None, None))

    return show, [zone, unit, *outputs]
