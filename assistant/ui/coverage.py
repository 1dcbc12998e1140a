"""What the library covers, said on the first screen: how many documents, which zones, which
years, so that people ask about what is there."""

from __future__ import annotations

import html
import re
from typing import Any

from assistant.answering.names import gazetteer
from assistant.ui.i18n import both

YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# the document list, one click away (the page script opens the Library tab on it)
LIST_LINK = '<a href="#ftz-documents" class="ftz-to-library">{}</a>'


def coverage(documents: list[dict[str, Any]]) -> dict[str, Any]:
    """The documents' count, the zones their titles and zone names are about (an area counts
    for its zone) and the first and last year their dates or titles give."""
    places = gazetteer()
    zones: set[str] = set()
    years: list[int] = []
    for document in documents:
        heading = f"{document.get('title', '')} {document.get('zone', '')}"
        for place in places.mentioned(heading):
            zones.add(place.zone or place.name)
        dated = YEAR.findall(str(document.get("date") or "")) or YEAR.findall(heading)
        years += [int(year) for year in dated]
    return {"documents": len(documents), "zones": sorted(zones),
            "first": min(years, default=None), "last": max(years, default=None)}


def coverage_html(documents: list[dict[str, Any]]) -> str:
    """One line under the title: documents, zones and years covered, and where the list is."""
    said = coverage(documents)
    if not said["documents"]:
        return ('<p class="ftz-coverage">' + both(
            "No documents are indexed yet: staff add them in the Library tab.",
            "尚未收录任何文件：工作人员可在文件库标签页添加。") + "</p>")
    span = ""
    if said["first"]:
        span = (str(said["first"]) if said["first"] == said["last"]
                else f"{said['first']}–{said['last']}")
    zones, count = said["zones"], said["documents"]
    names = html.escape(", ".join(zones))
    english = (f"Covers <strong>{count} document{'s' if count != 1 else ''}</strong> · "
               + (f"{len(zones)} zone{'s' if len(zones) != 1 else ''}: {names}" if zones
                  else "no zone named in their titles")
               + (f" · dated {span}" if span else "") + ". " + LIST_LINK.format(
                   "The Library tab lists them all") + ".")
    chinese = (f"收录 <strong>{count} 份文件</strong> · "
               + (f"{len(zones)} 个自贸试验区：{names}" if zones else "标题未提及自贸试验区")
               + (f" · 日期 {span}" if span else "") + "。"
               + LIST_LINK.format("文件库标签页列出全部文件") + "。")
    return f'<p class="ftz-coverage">{both(english, chinese)}</p>'
