"""What the library covers, said on the first screen: how many documents, which zones, which
years, so that people ask about what is there."""

from __future__ import annotations

import html
import re
from typing import Any

from assistant.answering.names import gazetteer

YEAR = re.compile(r"\b(?:19|20)\d\d\b")


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
        return ('<p class="ftz-coverage">No documents are indexed yet: staff add them in the '
                "Library tab.</p>")
    years = ""
    if said["first"]:
        years = (f" · dated {said['first']}" if said["first"] == said["last"]
                 else f" · dated {said['first']}–{said['last']}")
    zones = said["zones"]
    named = (f"{len(zones)} zone{'s' if len(zones) != 1 else ''}: "
             f"{html.escape(', '.join(zones))}") if zones else "no zone named in their titles"
    count = said["documents"]
    return (f'<p class="ftz-coverage">Covers <strong>{count} document'
            f"{'s' if count != 1 else ''}</strong> · {named}{years}. The Library tab lists "
            "them all.</p>")
