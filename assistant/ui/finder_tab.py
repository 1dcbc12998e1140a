"""The Policy finder tab: an enterprise describes itself and sees the measures that fit it.

Everything shown comes from the documents and is untrusted: it is HTML-escaped before it is
put on the page.
"""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.catalogue import SECTOR_CUES
from assistant.errors import UserError
from assistant.ui.failures import said
from assistant.ui.i18n import both, t

if TYPE_CHECKING:
    from assistant.finder import PolicyFinder

log = logging.getLogger(__name__)

EXAMPLES = (
    "We import frozen seafood through Dalian and need health certificates quickly",
    "Our shipping company's vessels on international voyages call at Dalian port",
    "A foreign-owned bank planning to open a branch in a free trade zone",
)
NOTHING = "No specific measure found in the indexed documents for this description."
# the results brought into view when they land below the form (on a phone); on a wide screen,
# where they sit beside it, nothing moves
SHOW_RESULTS = ("() => document.querySelector('#ftz-measures')"
                "?.scrollIntoView({behavior: 'smooth', block: 'nearest'})")
INTRO = ('<div class="ftz-finder-empty">' + both(
    "Describe your enterprise — what it does, where, what it trades — and the measures of the "
    "indexed documents that fit it appear here, best first, each quoted from its source.",
    "介绍您的企业——做什么、在哪里、经营哪些货物——已收录文件中适合它的措施会按匹配程度显示在这里，"
    "每项都引自出处。") + "</div>")
NOTHING_ZH = "已收录的文件中没有找到适合这段描述的具体措施。"


def _message(text: str, kind: str = "info") -> str:
    return f'<div class="ftz-finder-note ftz-finder-{kind}">{html.escape(text)}</div>'


def _citation(citation: dict[str, Any]) -> str:
    """Title, file, section/page and a link when the document has a web address."""
    source = str(citation.get("source") or "")
    title = str(citation.get("title") or source)
    details = [str(d) for d in (citation.get("section"),
                                f"page {citation['page']}" if citation.get("page") else "")
               if d]
    url = str(citation.get("url") or "")
    link = ""
    if url.startswith(("http://", "https://")):
        link = (f' · <a href="{html.escape(url, quote=True)}" target="_blank" '
                f'rel="noopener noreferrer">{both("Open the original", "打开原文")} ↗</a>')
    meta = html.escape(" · ".join(details))
    return (f'<div class="ftz-measure-source">{both("Source:", "出处：")} '
            f"<strong>{html.escape(title)}</strong>"
            f'<br><code>{html.escape(source)}</code>{" · " + meta if meta else ""}{link}</div>')


def _card(rank: int, found: dict[str, Any]) -> str:
    """One measure: name, zone, the source sentence, why it applies, the citation."""
    citations = "".join(_citation(c) for c in found.get("citations", []))
    sectors = ", ".join(found.get("sectors") or [])
    tags = (f'<div class="ftz-measure-tags">{both("Sectors:", "行业：")} '
            f"{html.escape(sectors)}</div>") if sectors else ""
    facts = [f"{both(english, chinese)} {html.escape(str(found[key]))}"
             for key, english, chinese in (("for", "For:", "适用对象："),
                                           ("since", "Since:", "起始："))
             if found.get(key)]
    if facts:  # whom the measure serves and since when, as its text says
        tags = f'<div class="ftz-measure-facts">{" · ".join(facts)}</div>{tags}'
    return (
        f'<article class="ftz-measure">'
        f'<div class="ftz-measure-head"><span class="ftz-n">{rank}</span>'
        f"<strong>{html.escape(found['measure'])}</strong></div>"
        f'<div class="ftz-source-meta">{html.escape(found.get("zone") or "")}</div>'
        f'<blockquote class="ftz-passage" tabindex="0">{html.escape(found["summary"])}</blockquote>'
        f'<div class="ftz-measure-why"><em>{both("Why it applies:", "为何适用：")}</em> '
        f"{html.escape(found.get('why') or '')}</div>{tags}{citations}</article>"
    )


def measures_html(found: list[dict[str, Any]]) -> str:
    """The result cards, best first, or the clear no-measure message."""
    if not found:
        return ('<div class="ftz-finder-note ftz-finder-none">'
                + both(html.escape(NOTHING), NOTHING_ZH) + "</div>")
    count = both(f"{len(found)} measure{'s' if len(found) != 1 else ''} found, best first",
                 f"找到 {len(found)} 项措施，按匹配程度排列")
    cards = "".join(_card(rank, item) for rank, item in enumerate(found, start=1))
    return f'<div class="ftz-measures"><h3>{count}</h3>{cards}</div>'


def build_finder_tab(finder: PolicyFinder) -> tuple[Any, list[Any], tuple[Any, Any]]:
    """Add the Policy finder tab; returns a refresh function (zone choices), its outputs, and
    how another tab hands a description over: (the profile box, the count of searches asked
    for, which the other tab increases to have the description searched)."""

    def zone_choices() -> list[tuple[str, str]]:
        return [("Any zone", "")] + [(z, z) for z in finder.zones()]

    with gr.Tab(t("tab.finder"), id="finder"):
        gr.Markdown(t("finder.intro"))
        with gr.Row(equal_height=False):
            with gr.Column(scale=2, min_width=300):
                profile = gr.Textbox(
                    label=t("finder.profile"), lines=1, max_lines=5, max_length=2000,
                    elem_id="ftz-profile",
                    placeholder=t("finder.placeholder"),
                )
                with gr.Row():
                    zone = gr.Dropdown(zone_choices(), value="", label=t("finder.zone"),
                                       elem_id="ftz-finder-zone", min_width=140)
                    sector = gr.Dropdown([("Any sector", "")] + [(s, s) for s in SECTOR_CUES],
                                         value="", label=t("finder.sector"),
                                         elem_id="ftz-finder-sector", min_width=140)
                find = gr.Button(t("finder.find"), variant="primary", elem_id="ftz-find")
                gr.Markdown(t("finder.examples"))
                with gr.Column(elem_classes="ftz-examples"):
                    example_buttons = [gr.Button(text, size="sm", variant="secondary")
                                       for text in EXAMPLES]
            with gr.Column(scale=3, min_width=300):
                results = gr.HTML(INTRO, elem_id="ftz-measures")

    def search(text: str, zone_name: str | None, sector_name: str | None) -> str:
        try:
            found = finder.find(text or "", zone=zone_name or None, sector=sector_name or None)
        except UserError as error:
            message = said(error, "finding measures")
            gr.Warning(message)
            return _message(message, "warning")
        except Exception:  # the page must never show a stack trace
            log.exception("finding measures for %r failed", text)
            return _message("Sorry, something went wrong while searching. Please try again "
                            "in a moment.", "warning")
        return measures_html(found)

    searches_asked = gr.State(0)  # counts the searches an example or another tab asked for
    # One event searches, however asked (Enter, Find, an example, the Ask tab), one at a time
    # per page and again with the newest description if it changed meanwhile: two at once
    # could finish out of order and leave the older description's measures.
    gr.on([profile.submit, find.click, searches_asked.change], search, [profile, zone, sector],
          results, api_visibility="private", trigger_mode="always_last").then(
        None, js=SHOW_RESULTS)
    for button, text in zip(example_buttons, EXAMPLES, strict=True):
        button.click(lambda count, t=text: (t, count + 1), searches_asked,
                     [profile, searches_asked], api_visibility="private")

    def show() -> Any:
        return gr.update(choices=zone_choices())

    return show, [zone], (profile, searches_asked)
