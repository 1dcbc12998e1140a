"""The Statistics tab: every figure of the documents as a record (value, unit, quantity, place,
period, other figures stated for the same, sources) in a table filtered by place, quantity,
period, unit and text; CSV and JSON downloads; like-with-like charts (areas of one zone's
areas; one quantity of one place over the years); a chosen row's sentence in its passage.

Values stay text exactly as written in the documents; the charts use the records' numbers.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr
import pandas as pd

from assistant.answering.names import squash
from assistant.contract import Citation
from assistant.crosslingual import is_chinese
from assistant.errors import UserError
from assistant.files import write_atomically
from assistant.ui.failures import said
from assistant.ui.i18n import both, t
from assistant.ui.render import source_card

if TYPE_CHECKING:
    from assistant.finder import PolicyFinder

COLUMNS = ["Value", "Unit", "Quantity", "Place", "Period", "Also stated", "Source"]
# (fits a laptop; scrolls on a phone)
WIDTHS = ["120px", "110px", "220px", "220px", "130px", "200px", "280px"]
# the download keeps what the table shows and what it leaves out: the number, the link, the
# sentence the figure is stated in
CSV_COLUMNS = COLUMNS + ["Number", "Level", "Period key", "Change", "Source file", "Link",
                         "Sentence"]
YEAR_KEY = re.compile(r"(?:19|20)\d\d")  # a period key of one whole year ("2024")
MIN_QUANTITY_RECORDS = 2  # a quantity offered as a filter is stated at least this often
AREA_UNIT = "km²"
CHART_MAX_KM2 = 1000.0  # a zone larger than this (Hainan's whole island) would flatten the bars
PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?")  # a number cell is no formula
LABEL_CHARS = 28
PHONE_CARDS = 30  # on a phone the table is shown as this many cards (the filters narrow it)
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


def _also_stated(fact: dict[str, Any]) -> str:
    """The other figures stated for the same quantity, place and period, each with where and
    when ("60.4 billion yuan (Guangdong FTZ at ten, 2025-04-21)")."""
    stated = []
    for other in fact.get("also_stated") or []:
        where = " · ".join(str(p) for p in (other.get("title"), other.get("date")) if p)
        stated.append(f"{other.get('value')} ({where})" if where else str(other.get("value")))
    return " | ".join(stated)


def _row(fact: dict[str, Any]) -> list[str]:
    return [str(fact.get(key) or "") for key in ("value", "unit", "quantity", "place",
                                                 "period")] + [_also_stated(fact),
                                                               _sources(fact)]


def _csv_row(fact: dict[str, Any]) -> list[str]:
    cited = _source(fact)
    number = fact.get("number")
    return _row(fact) + [
        "" if number is None else f"{number:g}", fact.get("level") or "",
        fact.get("period_key") or "", "yes" if fact.get("change") else "",
        str(cited.get("source") or ""), str(cited.get("url") or ""),
        str(cited.get("snippet") or "")]


def filtered(facts: list[dict[str, Any]], place: str | None, unit: str | None,
             text: str | None, quantity: str | None = None, year: str | None = None,
             terms: Callable[[str], list[tuple[str, ...]]] | None = None
             ) -> list[dict[str, Any]]:
    """The facts of one place and the places within it ("Liaoning FTZ" takes in "Liaoning FTZ
    / Dalian Area"), of one unit, of one quantity, of a period within one year, and
    containing a text; Chinese text (with `terms`, its glossary terms in English) matches a
    fact that holds one English form of each of its terms."""
    needle = " ".join((text or "").split()).lower()
    wanted = [[form.lower() for form in forms] for forms in terms(needle)] \
        if needle and terms and is_chinese(needle) else None

    def holds(fact: dict[str, Any]) -> bool:
        row = " ".join(_row(fact)).lower()
        if wanted is not None:
            return bool(wanted) and all(any(form in row for form in forms) for forms in wanted)
        return needle in row

    return [f for f in facts
            if (not place or (f.get("place") or "") == place
                or (f.get("place") or "").startswith(place + " / "))
            and (not unit or f.get("unit") == unit)
            and (not quantity or squash(f.get("quantity") or "") == squash(quantity))
            and (not year or period_year(f) == year)
            and (not needle or holds(f))]


def period_year(fact: dict[str, Any]) -> str:
    """The year a figure's period lies in ("2024-H1" and "as of 2024-12" in 2024; a running
    total "since 2015-04" in none)."""
    key = str(fact.get("period_key") or "")
    found = YEAR_KEY.search(key)
    return found.group(0) if found and not key.startswith("since") and ".." not in key[:7] \
        else ""


def quantity_choices(facts: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The quantities stated at least MIN_QUANTITY_RECORDS times, alphabetically."""
    counts: dict[str, int] = {}
    spelled: dict[str, str] = {}
    for fact in facts:
        quantity = str(fact.get("quantity") or "")
        if quantity:
            key = squash(quantity)
            counts[key] = counts.get(key, 0) + 1
            spelled.setdefault(key, quantity)
    return [("All quantities", "")] + sorted(
        ((spelled[k], spelled[k]) for k, n in counts.items() if n >= MIN_QUANTITY_RECORDS),
        key=lambda choice: choice[0])


def year_choices(facts: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Every year a figure's period lies in, latest first."""
    years = sorted({period_year(f) for f in facts} - {""}, reverse=True)
    return [("All periods", "")] + [(y, y) for y in years]


def time_series(facts: list[dict[str, Any]], place: str | None,
                quantity: str | None) -> pd.DataFrame:
    """One quantity of one place over the years: a point per whole year (the first record
    of each), in the unit most of them use (its "Unit" column); empty unless a place and a
    quantity are chosen."""
    columns = ["Year", "Value", "Figure", "Unit"]
    if not place or not quantity:
        return pd.DataFrame([], columns=columns)
    same = [f for f in facts if f.get("place") == place and not f.get("change")
            and squash(f.get("quantity") or "") == squash(quantity)
            and f.get("number") is not None and YEAR_KEY.fullmatch(str(f.get("period_key")))]
    units = [f.get("unit") for f in same]
    unit = max(set(units), key=units.count) if units else None
    points: dict[str, dict[str, Any]] = {}
    for fact in same:
        if fact.get("unit") == unit:
            points.setdefault(str(fact["period_key"]), {
                "Year": str(fact["period_key"]), "Value": fact["number"],
                "Figure": str(fact.get("value")), "Unit": unit})
    return pd.DataFrame(sorted(points.values(), key=lambda p: p["Year"]), columns=columns)


def scaled(series: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """A series in a scale a reader takes in at a glance ("billion"), and that word."""
    top = float(series["Value"].abs().max()) if len(series) else 0.0
    for divisor, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if top >= divisor:
            return series.assign(Value=series["Value"] / divisor), word
    return series, ""


def context_html(fact: dict[str, Any] | None, passage: dict[str, Any] | None) -> str:
    """A chosen figure's sentence, marked in its passage, with where it comes from and the
    other documents that state it; every piece of document text escaped."""
    if fact is None:
        return ('<div class="ftz-sources-empty">' + both(
            "Choose a row to read its sentence in its passage.",
            "选中一行，即可在原文段落中查看该句。") + "</div>")
    cited = _source(fact)
    citation = Citation(1, str(cited.get("source") or ""), str(cited.get("title") or ""),
                        str(cited.get("section") or ""), cited.get("page"),
                        str(cited.get("snippet") or ""), cited.get("url"),
                        date=str(cited.get("date") or ""),
                        passage=str((passage or {}).get("text") or ""))
    others = [c for c in fact.get("citations") or []][1:]
    more = "".join(f"<li>{html.escape(str(c.get('title') or c.get('source')))} · "
                   f"{html.escape(str(c.get('date') or ''))}: {html.escape(str(c.get('snippet')))}"
                   "</li>" for c in others)
    return (f'<div class="ftz-sources"><h3>{html.escape(str(fact.get("value")))} — '
            f'{html.escape(str(fact.get("quantity") or "figure"))}</h3>'
            + source_card(citation, anchor="ftz-facts-source",
                          label=both("Stated in", "出处"))
            + (f"<p>{both('Also stated in:', '另见：')}</p><ul>{more}</ul>" if more else "")
            + "</div>")


def fact_cards_html(shown: list[dict[str, Any]]) -> str:
    """The figures as cards, for a phone (the table's columns do not fit one): the value and
    unit first, then what it measures, where, when, the other statements and the sources,
    and the sentence behind a disclosure; every piece of document text escaped."""
    if not shown:
        return ('<p class="ftz-table-empty">'
                + both("No figure matches the filters.", "没有符合筛选条件的数据。") + "</p>")
    cards = []
    for fact in shown[:PHONE_CARDS]:
        value, unit, quantity, place, period, also, sources = (html.escape(v)
                                                                for v in _row(fact))
        details = "".join(f"<dt>{both(*label)}</dt><dd>{text}</dd>" for label, text in (
            (("Quantity", "指标"), quantity), (("Place", "地点"), place),
            (("Period", "时期"), period), (("Also stated", "另见"), also),
            (("Source", "出处"), sources)) if text)
        sentence = html.escape(str(_source(fact).get("snippet") or ""))
        cards.append(f'<article class="ftz-fact-card"><p class="ftz-fact-value"><strong>'
                     f"{value}</strong> {unit}</p><dl>{details}</dl>"
                     + (f"<details><summary>{both('The sentence', '原文句子')}</summary>"
                        f"<blockquote>{sentence}"
                        "</blockquote></details>" if sentence else "") + "</article>")
    more = ('<p class="ftz-chart-note">' + both(
        f"The first {PHONE_CARDS} of {len(shown)}: narrow them with the filters above.",
        f"共 {len(shown)} 条，显示前 {PHONE_CARDS} 条：可用上方的筛选缩小范围。") + "</p>"
        if len(shown) > PHONE_CARDS else "")
    return f'<div class="ftz-fact-cards">{more}{"".join(cards)}</div>'


def _written(name: str, suffix: str, data: bytes) -> str:
    """The bytes as a download file named by their content (the same rows reuse one file)."""
    path = DOWNLOAD_DIR / f"{name}-{hashlib.sha256(data).hexdigest()[:12]}{suffix}"
    if not path.exists():  # (two refreshes may race: each writes whole)
        write_atomically(path, data)
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
    stays in the table); labelled by place name. A place with several sizes shows its
    largest: the others are its parts or its size before it grew ("28.5 sq km around the
    airport" said of the Beijing zone, Shanghai's 28.78 of 2013)."""
    largest: dict[str, dict[str, Any]] = {}
    for fact in facts:
        where = fact.get("place") or ""
        if place:
            fits = where.startswith(place + " / ") and fact.get("level") == "area"
        else:
            fits = fact.get("level") == "zone" and (fact.get("number") or 0) <= CHART_MAX_KM2
        if (not fits or fact.get("unit") != AREA_UNIT or fact.get("number") is None
                or fact.get("change") or "area" not in (fact.get("quantity") or "area")):
            continue
        if where not in largest or fact["number"] > largest[where]["number"]:
            largest[where] = fact
    points = []
    for where, fact in largest.items():
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


def build_facts_tab(finder: PolicyFinder) -> tuple[Any, list[Any], list[Any]]:
    """Add the Statistics tab; returns the function that brings it up to date (on page load and
    after a library change) with its inputs and outputs.

    One event draws the table, whichever filter or update asked for it, and Gradio runs it one
    at a time per page, again with the filters as they are then when asked meanwhile
    ("always_last"). Two events drawing it (a filter typed while a library change was being
    shown) could finish out of order and leave the table of the older filters under the
    newer ones."""
    with gr.Tab(t("tab.statistics"), id="statistics"):
        gr.Markdown(t("facts.intro"))
        with gr.Row(elem_classes="ftz-facts-filters"):
            place = gr.Dropdown([("All places", "")], value="", label=t("facts.place"),
                                elem_id="ftz-facts-zone", min_width=150)
            quantity = gr.Dropdown([("All quantities", "")], value="", label=t("facts.quantity"),
                                   elem_id="ftz-facts-quantity", min_width=150)
            year = gr.Dropdown([("All periods", "")], value="", label=t("facts.period"),
                               elem_id="ftz-facts-period", min_width=110)
            unit = gr.Dropdown([("All units", "")], value="", label=t("facts.unit"),
                               elem_id="ftz-facts-unit", min_width=110)
            text = gr.Textbox(label=t("facts.contains"), placeholder=t("facts.contains_hint"),
                              elem_id="ftz-facts-filter", max_length=200, min_width=150)
        with gr.Row(equal_height=True, elem_classes="ftz-facts-bar"):
            count = gr.Markdown(elem_id="ftz-facts-count")
            download = gr.DownloadButton(t("facts.csv"), elem_id="ftz-facts-csv", size="sm",
                                         variant="secondary", scale=0, min_width=150)
            download_json = gr.DownloadButton(t("facts.json"), elem_id="ftz-facts-json",
                                              size="sm", variant="secondary", scale=0,
                                              min_width=150)
        table = gr.Dataframe(headers=COLUMNS, datatype="str", interactive=False, wrap=True,
                             max_height=560, elem_id="ftz-facts", column_widths=WIDTHS)
        cards = gr.HTML(elem_id="ftz-facts-cards")  # (the table, on a phone)
        context = gr.HTML(context_html(None, None), elem_id="ftz-facts-context")
        shown_facts = gr.State([])
        updates = gr.State(0)  # counts the tab's updates: each one has the table drawn again
        over_time = gr.BarPlot(x="Year", y="Value", tooltip="all", height=320,
                               elem_id="ftz-facts-trend", visible=False, x_title="Year",
                               label=t("facts.over_time"))
        chart = gr.BarPlot(x="Area", y="km²", sort="-y", x_label_angle=-60,
                           title="Areas (km²): the zones, or the chosen zone's areas", x_title="",
                           y_title="km²", tooltip="all", height=440, elem_id="ftz-facts-chart",
                           label=t("facts.areas"))
        chart_note = gr.Markdown(t("facts.chart_note"), elem_classes="ftz-chart-note")

    def unavailable(error: UserError) -> tuple:
        """The tab as it was, but for the count line, which says why no figure is shown (a
        damaged or unreachable index)."""
        message = f"⚠️ {said(error, 'listing the figures')}"
        return tuple(message if output is count else gr.update() for output in outputs)

    def refresh(place_name: str | None, quantity_name: str | None, year_name: str | None,
                unit_name: str | None, needle: str | None) -> tuple:
        try:
            facts = finder.facts()
        except UserError as error:
            return unavailable(error)
        shown = filtered(facts, place_name, unit_name, needle, quantity_name, year_name,
                         finder.glossary.terms)
        series = area_series(shown, place_name)
        has_series = len(series) >= 2
        trend, scale = scaled(time_series(facts, place_name, quantity_name))
        unit_of_trend = str(trend["Unit"].iloc[0]) if len(trend) else ""
        total = both(f"<strong>{len(shown)}</strong> of {len(facts)} figures",
                     f"共 {len(facts)} 个数据，显示 <strong>{len(shown)}</strong> 个")
        return (pd.DataFrame([_row(f) for f in shown], columns=COLUMNS), fact_cards_html(shown),
                total,
                write_csv(shown), write_json(shown),
                gr.update(value=series, visible=has_series,
                          y_lim=[0, float(series["km²"].max()) * 1.1] if has_series else None),
                gr.update(visible=has_series),
                gr.update(value=trend, visible=len(trend) >= 2,
                          title=f"{quantity_name} — {place_name} ({scale} {unit_of_trend})",
                          y_title=f"{scale} {unit_of_trend}".strip(),
                          # (bars start at zero, or their heights mislead)
                          y_lim=[0, float(trend["Value"].max()) * 1.1] if len(trend) else None),
                shown, context_html(None, None))

    def choose(shown: list[dict[str, Any]], selected: gr.SelectData) -> str:
        """The chosen row's sentence in its passage."""
        row = selected.index[0] if isinstance(selected.index, (list, tuple)) else selected.index
        if not isinstance(row, int) or not 0 <= row < len(shown):
            return context_html(None, None)
        fact = shown[row]
        chunk = str(_source(fact).get("chunk") or "")
        return context_html(fact, finder.passage(chunk) if chunk else None)

    outputs = [table, cards, count, download, download_json, chart, chart_note, over_time,
               shown_facts, context]
    menus = [place, quantity, year, unit]
    gr.on([place.change, quantity.change, year.change, unit.change, text.change,
           updates.change], refresh, [*menus, text], outputs, api_visibility="private",
          show_progress_on=table, trigger_mode="always_last")
    table.select(choose, [shown_facts], [context], api_visibility="private")

    def show(place_name: str | None, quantity_name: str | None, year_name: str | None,
             unit_name: str | None, shown_updates: int) -> tuple:
        """The menus' choices over the figures as they are now (a choice the visitor made, even
        one made after this update was asked for, stays while it is still offered), and the
        update counted: that has the table drawn again, or its count line say why no figure
        can be read."""
        try:
            facts = finder.facts()
        except UserError:
            return (*(gr.update(),) * 4, shown_updates + 1)
        units = [("All units", "")] + [(u, u) for u in sorted(
            {f.get("unit") or "" for f in facts} - {""})]
        choices = (place_choices(facts), quantity_choices(facts), year_choices(facts), units)
        return (*(gr.update(choices=offered) if chosen in {value for _, value in offered}
                  else gr.update(choices=offered, value="")
                  for offered, chosen in zip(choices, (place_name, quantity_name, year_name,
                                                       unit_name), strict=True)),
                shown_updates + 1)

    return show, [*menus, updates], [*menus, updates]
