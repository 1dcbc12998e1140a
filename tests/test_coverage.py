"""The first screen's coverage line: documents, zones (an area counts for its zone), years."""

from __future__ import annotations

from assistant.ui.coverage import coverage, coverage_html

DOCUMENTS = [
    {"source": "a.md", "title": "Dalian Area after four years", "zone": "", "date": "2021-04-09"},
    {"source": "b.md", "title": "Reed <b>notes</b>", "zone": "Hainan FTP", "date": ""},
    {"source": "c.md", "title": "Xiamen Area profile (2024)", "zone": "", "date": "unknown"},
]


def test_coverage_names_zones_for_their_areas_and_the_years_spanned() -> None:
    said = coverage(DOCUMENTS)
    assert said["zones"] == ["Fujian", "Hainan", "Liaoning"]
    assert (said["documents"], said["first"], said["last"]) == (3, 2021, 2024)


def test_the_coverage_line_is_escaped_and_says_when_nothing_is_indexed() -> None:
    line = coverage_html(DOCUMENTS)
    assert "3 documents" in line and "3 zones: Fujian, Hainan, Liaoning" in line
    assert "dated 2021–2024" in line and "Library tab" in line
    assert "<b>" not in line
    assert "No documents are indexed yet" in coverage_html([])
