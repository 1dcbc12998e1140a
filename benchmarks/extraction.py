"""Main-text extraction of web pages: our loader against trafilatura, on the shipped .html pages.

For each page, both extractors' text is measured against the page itself:
- numbers kept: of the distinct numbers in the page's paragraphs, list items and table cells
  that are no furniture (the article's facts), the share the extracted text still holds;
- furniture kept: lines of the extracted text that are page furniture (menus, breadcrumbs,
  bylines, photo credits, editor, share and copyright lines), by the loader's own patterns;
- headings: section headings kept as headings.
(A dateline's date, "BEIJING, Sept 29 --", is kept as metadata, not in the text: such numbers
count as lost for our loader.)
Usage: python benchmarks/extraction.py [--docs docs]   (needs: pip install trafilatura)
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from _setup import ROOT  # noqa: F401 (sets up the import path first)
from bs4 import BeautifulSoup

from assistant.ingest.cleaning import PageInfo, _furniture
from assistant.ingest.loaders import load_document

NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def facts_of(html: str) -> set[str]:
    """The numbers of the page's text blocks (paragraphs, list items, cells), as written."""
    soup = BeautifulSoup(html, "lxml")
    for junk in soup(["script", "style", "nav", "footer", "header", "aside", "form"]):
        junk.decompose()
    blocks = [tag.get_text(" ", strip=True) for tag in soup.find_all(["p", "li", "td"])]
    text = " ".join(b for b in blocks if not _furniture(b, PageInfo()))  # no bylines, credits
    return {n.replace(",", "") for n in NUMBER.findall(text)}


def measure(text: str, facts: set[str]) -> tuple[float, int, int]:
    """(share of facts kept, furniture lines kept, headings kept)."""
    kept = {n.replace(",", "") for n in NUMBER.findall(text)}
    furniture = sum(1 for line in text.splitlines()
                    if line.strip() and _furniture(line.strip().lstrip("#- "), PageInfo()))
    headings = sum(1 for line in text.splitlines() if re.match(r"#{1,6} ", line))
    return len(facts & kept) / max(len(facts), 1), furniture, headings


def main() -> None:
    import trafilatura

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    pages = sorted(args.docs.glob("*.htm*"))
    print(f"{'page':<58}{'ours: facts furn. head.':>26}{'trafilatura: facts furn. head.':>33}")
    totals = {"ours": [0.0, 0, 0], "trafilatura": [0.0, 0, 0]}
    for page in pages:
        html = page.read_text(encoding="utf-8", errors="replace")
        facts = facts_of(html)
        ours = "\n\n".join(doc.page_content for doc in load_document(page))
        theirs = trafilatura.extract(html, output_format="markdown", include_tables=True,
                                     favor_recall=True) or ""
        rows = {"ours": measure(ours, facts), "trafilatura": measure(theirs, facts)}
        for name, (share, furniture, headings) in rows.items():
            totals[name][0] += share / len(pages)
            totals[name][1] += furniture
            totals[name][2] += headings
        cells = "".join(f"{s:>10.2f}{f:>7}{h:>7}       " for s, f, h in rows.values())
        print(f"{page.name[:56]:<58}{cells}")
    print()
    for name, (share, furniture, headings) in totals.items():
        print(f"{name:<12} facts kept {share:.2f} (mean)   furniture lines {furniture}   "
              f"headings {headings}")


if __name__ == "__main__":
    main()
