"""A PDF page's layout as plain text: paragraphs joined across line breaks, headings told by
their font, bullets as list items, ruled tables as rows that name their columns (pdfplumber).

Output follows the loaders' text convention (`#` headings, blank-line paragraphs, `- ` items).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

from assistant.ingest.cleaning import table_lines

BULLET = re.compile(r"^\s*(?:[•●▪■◦‣∙·*-]|\d{1,2}[.)](?=\s+[A-Z]))\s*")
ENDS_SENTENCE = re.compile(r"[.!?:;\"”)]$")


@dataclass
class Line:
    """One text line of a page, with where it sits and how it is set."""

    text: str
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass
class Table:
    """A ruled table of a page, at its vertical position."""

    top: float
    rows: list[list[str]]


def page_layout(page: Any) -> tuple[list[Line], list[Table]]:
    """The lines outside tables and the tables of one pdfplumber page."""
    found = page.find_tables()
    tables = [Table(t.bbox[1], [[cell or "" for cell in row] for row in t.extract()])
              for t in found]
    boxes = [t.bbox for t in found]

    def outside(obj: dict) -> bool:
        x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
        y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    lines = []
    for line in text_page.extract_text_lines(return_chars=True, strip=True):
        chars = [c for c in line["chars"] if c.get("text", "").strip()]
        if not line["text"].strip() or not chars:
            continue
        size = Counter(round(c.get("size", 0), 1) for c in chars).most_common(1)[0][0]
        bold = all("bold" in str(c.get("fontname", "")).lower() for c in chars)
        lines.append(Line(" ".join(line["text"].split()), line["top"], line["bottom"], size,
                          bold))
    return lines, tables


def body_size(pages: list[list[Line]]) -> float:
    """The font size most of the text is set in."""
    sizes = Counter(line.size for lines in pages for line in lines
                    for _ in range(len(line.text)))
    return sizes.most_common(1)[0][0] if sizes else 10.0


def page_text(lines: list[Line], tables: list[Table], body: float, title: str = "") -> str:
    """One page as text: headings (larger or bold short lines) as `##` lines, paragraphs
    joined across line breaks, bullets as items, tables where they stand."""
    items: list[tuple[float, str]] = []
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:], strict=False)
            if a.size == b.size == body and b.top > a.bottom]
    usual_gap = statistics.median(gaps) if gaps else body * 0.4
    paragraph: list[str] = []
    start = 0.0
    previous: Line | None = None

    def flush() -> None:
        nonlocal paragraph
        if paragraph:
            items.append((start, _join(paragraph)))
            paragraph = []

    for line in lines:
        heading = _is_heading(line, body)
        if heading:
            flush()
            mark = "#" if title and line.text in title else "##"
            if items and items[-1][1].startswith(mark + " ") and previous is not None \
                    and _is_heading(previous, body) and line.top - previous.bottom < body:
                items[-1] = (items[-1][0], f"{items[-1][1]} {line.text}")  # a wrapped heading
            else:
                items.append((line.top, f"{mark} {line.text}"))
            previous = line
            continue
        bullet = BULLET.match(line.text)
        gap = line.top - previous.bottom if previous is not None else 0.0
        new_block = (previous is None or bullet or gap > usual_gap + 0.5 * body
                     or line.size != previous.size or _is_heading(previous, body))
        if new_block:
            flush()
            start = line.top
        text = f"- {line.text[bullet.end():]}" if bullet else line.text
        paragraph.append(text)
        previous = line
    flush()
    for table in tables:
        rows = table_lines(table.rows)
        if rows:
            items.append((table.top, "\n".join(rows)))
    items.sort(key=lambda item: item[0])
    return "\n\n".join(text for _, text in items)


def _is_heading(line: Line, body: float) -> bool:
    """A line set larger than the body text, or a short bold line that ends no sentence."""
    if line.size >= body * 1.15 and len(line.text.split()) <= 20:
        return True
    return line.bold and len(line.text.split()) <= 12 and not ENDS_SENTENCE.search(line.text) \
        and not BULLET.match(line.text)


def _join(lines: list[str]) -> str:
    """Lines of one paragraph as one line: a word broken by a hyphen at a line end is whole
    again when the whole is a word ("trans-" + "shipment"; "high-" + "tech" keeps its
    hyphen), other breaks become spaces."""
    from wordfreq import zipf_frequency

    text = lines[0]
    for line in lines[1:]:
        broken = re.search(r"([A-Za-z]+)-$", text)
        following = re.match(r"[a-z]+", line)
        if broken and following:
            whole = broken.group(1) + following.group(0)
            glue = "" if zipf_frequency(whole.lower(), "en") >= 2.0 else "-"
            text = text[:-1] + glue + line
        else:
            text = f"{text} {line}"
    return text
