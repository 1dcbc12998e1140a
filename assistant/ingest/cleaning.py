"""Page furniture out of a document's text, and tables as self-describing lines.

Real pages carry lines that belong to the page, not to the article: "Source: URL" lines,
breadcrumbs, bylines and time lines, datelines ("BEIJING, July 7 (Xinhua) --"), photo captions
with their credits, editor lines, share and "related stories" blocks, copyright lines. They are
taken out of the text (a source URL, a date and a dateline are kept as metadata), so they are
never quoted. Table rows become lines that name their columns ("Area: Nanning; Size (sq km):
46.8"), so a row read on its own still says what its figures are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import groupby

URL = r"https?://[^\s<>\"')\]]+"
SOURCE_LINE = re.compile(rf"^\s*(?:source|original|original url|url|link|from)\s*[:：]\s*"
                         rf"(?P<url>{URL})?[^\n]{{0,80}}$", re.I)
BREADCRUMB = re.compile(r"^\s*(?:home|homepage|首页)\s*(?:>|»|›|/|\|)\s*\S.{0,150}$|"
                        r"^[^.!?\n]{0,150}(?:\s(?:>|»|›)\s[^.!?\n]{0,60}){2,}$", re.I)
TIME_LINE = re.compile(r"^\s*(?:updated|published|posted|released?|release time|time|date|"
                       r"last (?:updated|modified)|发布时间|时间)\s*[:：]\s*(?P<date>.{4,40})$",
                       re.I)
BYLINE = re.compile(r"^\s*(?:by|author|authors|reporter|reporters|written by|writer)\s*[:：]?\s+"
                    r"[^.!?\n]{2,100}$|^[^.!?\n]{0,80}\|\s*(?:updated|published|posted|source)"
                    r"\b[^\n]{0,80}$", re.I)
EDITOR = re.compile(r"^\s*[\[(（]?\s*(?:editor|editors|edited by|responsible editor|"
                    r"chief editor|executive editor|web editor|proofread(?:er|ing)? by|"
                    r"translated by|translator|compiled by|责任编辑|编辑)\s*[:：]?\s*[^.!?\n]{0,60}"
                    r"[\])）]?\s*$", re.I)
CREDIT = r"(?:\[|\()\s*(?:photo|photos|image|picture|video|graphic)(?:\s+(?:by|provided by|" \
         r"courtesy of)\s+|\s*[/:：]\s*)[^\])\n]{1,60}(?:\]|\))"
CREDIT_END = re.compile(rf"{CREDIT}\s*$", re.I)
CREDIT_INLINE = re.compile(rf"\s*{CREDIT}", re.I)
CAPTION_LINE = re.compile(r"^\s*(?:photo|image|picture|caption|file photo)\s*(?:by|credit|"
                          r"[:：])[^\n]{0,200}$|^\s*\(?(?:xinhua|cfp|vcg|ic photo|afp|reuters)"
                          r"\s*/\s*[^)\n]{1,40}\)?\s*$"
                          # "Aerial photo taken on April 3, 2020 shows a train ... (Xinhua)"
                          r"|^\s*(?:aerial |file |undated |drone )?photos?\s+(?:taken|shot)\s+"
                          r"(?:on|in)\b[^\n]{0,300}\bshows?\b[^\n]{0,300}$", re.I)
FURNITURE = re.compile(r"^\s*(?:share(?: this(?: article| story)?)?|print|e-?mail|comments?|"
                       r"read more|more news|back to top|top|follow us(?: on)?|subscribe|"
                       r"related(?: stories| news| articles| links| reading)?|you may also like|"
                       r"most (?:read|popular|viewed)|copyright\b.*|all rights reserved.*|©.*|"
                       r"\(c\) .*)\s*[:：]?\s*$", re.I)
RELATED_HEADING = re.compile(r"^\s*#*\s*(?:related(?: stories| news| articles| links| reading)?|"
                             r"you may also like|more (?:news|stories)|recommended)\s*[:：]?\s*$",
                             re.I)
LIST_LINE = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
MONTH = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?")
DATELINE = re.compile(
    rf"^(?P<place>[A-Z][A-Z .'’-]{{0,39}}[A-Z.](?:,\s*[A-Z][A-Za-z .]{{1,30}})?)"
    rf"(?:,\s*(?P<date>{MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?|\d{{1,2}}\s+{MONTH}(?:\s+\d{{4}})?))?"
    rf"\s*(?:\((?P<agency>[A-Za-z][\w .&-]{{1,30}})\))?\s*(?P<dash>--|—|–|-)\s+(?=\S)")


@dataclass
class PageInfo:
    """What the removed furniture said: where the page comes from, when and from where."""

    url: str = ""
    date: str = ""
    dateline: str = ""
    removed: list[str] = field(default_factory=list)


# what a terminal or a text field would obey instead of show: escape sequences (CSI "ESC [",
# OSC "ESC ]" up to its end, other two-character escapes, C1's CSI), C0 and C1 controls other
# than tab and newline, bidi embeddings, overrides and isolates (and the marks), zero-width
# characters and soft hyphens (they hide words from search: "Da\u200blian")
ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -~]?"
                    r"|\x9b[0-?]*[ -/]*[@-~]?")
INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f"
                       "\u202a-\u202e\u2060-\u2069\ufeff]")
LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")


def strip_controls(text: str) -> str:
    """The text without terminal escape sequences and invisible control characters; other
    line breaks (CR, form feed, Unicode's separators) become newlines."""
    return INVISIBLE.sub("", ESCAPE.sub("", LINE_BREAKS.sub("\n", text)))


def clean_text(text: str) -> tuple[str, PageInfo]:
    """The text without controls and page furniture, and what the furniture said."""
    text = strip_controls(text)
    info = PageInfo()
    kept: list[str] = []
    in_related = False
    for line in text.split("\n"):
        body = line.strip().lstrip("#").strip() if line.lstrip().startswith("#") else line.strip()
        if in_related:
            if not body or LIST_LINE.match(line):
                continue
            in_related = False
        if not body:
            kept.append(line)
            continue
        if RELATED_HEADING.match(body):
            in_related = True
            info.removed.append(body)
            continue
        if _furniture(body, info):
            info.removed.append(body)
            continue
        line = CREDIT_INLINE.sub("", line) if CREDIT_INLINE.search(line) else line
        dateline = DATELINE.match(line.strip())
        if dateline and _is_dateline(dateline):
            info.dateline = info.dateline or dateline.group(0).strip(" -—–")
            line = line.strip()[dateline.end():]
        kept.append(line)
    text = "\n".join(_pipe_tables(kept))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n"), info


PIPE_ROW = re.compile(r"^[^|]+(?: \| [^|]*)+$")  # "Trade (bn yuan) | 154 | 45.6", no outer bars


def _pipe_tables(lines: list[str]) -> list[str]:
    """Runs of two or more lines of cells joined by " | " (a table a PDF or a text page
    writes as text) as the rows of one table (see `table_lines`)."""
    def cells(line: str) -> list[str]:
        return [cell.strip() for cell in line.strip().split(" | ")]

    def width(line: str) -> int:  # how many cells a table row has; 0: no table row
        return len(cells(line)) if PIPE_ROW.match(line.strip()) else 0

    out: list[str] = []
    for columns, run in groupby(lines, key=width):
        rows = list(run)
        out.extend(table_lines([cells(row) for row in rows]) if columns and len(rows) > 1
                   else rows)
    return out


def _furniture(line: str, info: PageInfo) -> bool:
    """Whether a line is page furniture (noting a URL or a date it gives)."""
    source = SOURCE_LINE.match(line)
    if source and (source.group("url") or len(line) < 60):
        info.url = info.url or (source.group("url") or "")
        return True
    time_line = TIME_LINE.match(line)
    if time_line:
        stamp = re.search(r"\b\d{4}-\d{2}-\d{2}\b", time_line.group("date"))
        # ("Published: 2025 | Special report | Greater Bay Area": the date is the first part)
        said = re.split(r"\s+[|·]\s+", time_line.group("date"))[0].strip()
        info.date = info.date or (stamp.group(0) if stamp else said)
        return True
    if BYLINE.match(line) and len(line.split()) <= 16:
        stamp = re.search(r"\b(\d{4}-\d{2}-\d{2})\b", line)
        info.date = info.date or (stamp.group(1) if stamp else "")
        return True
    return bool(BREADCRUMB.match(line) or EDITOR.match(line) or CAPTION_LINE.match(line)
                or FURNITURE.match(line) or CREDIT_END.search(line))


# capitalised labels that open a line with a dash as a dateline's place would
LABELS = frozenset("note notes update updated warning notice editor summary urgent breaking "
                   "correction advisory flash exclusive attention important".split())


def _is_dateline(match: re.Match[str]) -> bool:
    """A dateline has a place in capitals and a date or a news agency, or a long dash
    ("CHANGSHA -- Trucks ...", as agencies write it when the page gives the date)."""
    place = match.group("place").split(",")[0].strip()
    return place.isupper() and len(place) >= 3 and bool(
        match.group("date") or match.group("agency")
        or (match.group("dash") in ("--", "—") and len(place) >= 4
            and place.lower() not in LABELS))


YEAR_CELL = re.compile(r"(?:19|20)\d\d")


def table_lines(rows: list[list[str]], header: bool | None = None) -> list[str]:
    """A table as one line per row that names its columns ("Area: Nanning Area; Size (sq km):
    46.8"), when its first row is a header; otherwise cells joined by " | ". `header` says
    whether the first row is one (None: guessed: no cell of it is a figure)."""
    rows = [[" ".join(cell.split()) for cell in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    if header is None:  # (a year heads a column: "Indicator | 2022 | 2023")
        header = len(rows) > 1 and all(
            cell and (YEAR_CELL.fullmatch(cell) or not re.fullmatch(r"[\d.,%\s-]+", cell))
            for cell in rows[0]) and len(set(rows[0])) == len(rows[0]) and not \
            YEAR_CELL.fullmatch(rows[0][0])
    if not header or len(rows) < 2:
        return [" | ".join(row) for row in rows]
    names = rows[0]
    lines = []  # each row a list item of its own
    for row in rows[1:]:
        cells = [f"{name}: {cell}" if name else cell
                 for name, cell in zip(names, row, strict=False) if cell and cell != "-"]
        cells += row[len(names):]
        if cells:
            lines.append("- " + "; ".join(cells) + ("" if cells[-1].endswith(".") else "."))
    return lines
