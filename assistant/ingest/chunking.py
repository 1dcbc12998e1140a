"""Section-aware chunking into whole sentences, sized for the embedding model's window.

Input pages use the loaders' plain-text convention: markdown heading lines (`## Section`),
blank-line separated paragraphs, `- ` list items and `a | b` table rows. Chunks never cross a
section or page and never cut a sentence (a single sentence longer than the budget is the only
thing split, at spaces).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from langchain_core.documents import Document
from sentencex import segment

TokenCount = Callable[[str], int]

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
CJK = re.compile(r"[\u3400-\u9fff]")
SPECIAL_TOKENS = 2  # [CLS] and [SEP], counted once per chunk


@dataclass(frozen=True)
class Sentence:
    """A sentence's text and its character span inside its chunk's `text`."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage with its provenance."""

    id: str
    text: str
    header: str
    source: str
    section: str
    page: int | None
    start: int
    end: int
    sentences: tuple[Sentence, ...]
    metadata: dict[str, str] = field(default_factory=dict)
    opens_paragraph: bool = False  # its first sentence is the first of a paragraph

    @property
    def embed_text(self) -> str:
        """What is embedded and lexically indexed: the context header, then the text."""
        return f"{self.header}\n{self.text}" if self.header else self.text

    def sentence_spans(self) -> list[tuple[int, int]]:
        """Sentence spans shifted into `embed_text`."""
        shift = len(self.header) + 1 if self.header else 0
        return [(s.start + shift, s.end + shift) for s in self.sentences]


@dataclass(frozen=True)
class _Unit:
    """A sentence (or a piece of an over-long one) located in the page text."""

    start: int
    end: int
    tokens: int
    opens: bool = False  # the first sentence of its block (paragraph, item, row)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences in one block of text, trailing spaces excluded."""
    language = "zh" if CJK.search(text) else "en"
    spans, cursor = [], 0
    for piece in segment(language, text):
        stripped = piece.strip()
        if not stripped:
            continue
        start = text.find(stripped, cursor)
        if start < 0:
            continue
        spans.append((start, start + len(stripped)))
        cursor = start + len(stripped)
    return spans


def _blocks(text: str) -> Iterator[tuple[str, int, int]]:
    """(section, start, end) for each paragraph, list item or table row, in order."""
    headings: list[tuple[int, str]] = []
    paragraph: tuple[int, int] | None = None
    offset = 0
    for line in text.splitlines(keepends=True):
        line_start, body = offset, line.rstrip("\r\n")
        offset += len(line)
        heading = HEADING.match(body)
        marker = LIST_MARKER.match(body)
        is_row = "|" in body and body.strip().count("|") >= 1 and not marker
        ends_paragraph = heading or not body.strip() or marker or is_row or TABLE_RULE.match(body)
        if ends_paragraph and paragraph:
            yield _section(headings), *paragraph
            paragraph = None
        if heading:
            level = len(heading.group(1))
            headings = [h for h in headings if h[0] < level] + [(level, heading.group(2))]
        elif TABLE_RULE.match(body) or not body.strip():
            continue
        elif marker or is_row:
            start = line_start + (marker.end() if marker else len(body) - len(body.lstrip()))
            yield _section(headings), start, line_start + len(body.rstrip())
        else:
            left = line_start + len(body) - len(body.lstrip())
            end = line_start + len(body.rstrip())
            paragraph = (paragraph[0], end) if paragraph else (left, end)
    if paragraph:
        yield _section(headings), *paragraph


def _section(headings: list[tuple[int, str]]) -> str:
    """The deepest heading below the document title (or the title's own when alone)."""
    below_top = [h for h in headings if h[0] > 1]
    return (below_top or headings or [(0, "")])[-1][1].strip("*_ ")


class SentenceChunker:
    """Packs whole sentences of each section into chunks of at most `max_tokens` word pieces."""

    def __init__(self, count_tokens: TokenCount, max_tokens: int = 200) -> None:
        self._count = count_tokens
        self._max = max_tokens

    def split(self, pages: list[Document], doc_hash: str) -> list[Chunk]:
        """Chunks of one document's pages, with stable content-derived ids."""
        chunks: list[Chunk] = []
        for page in pages:
            chunks.extend(self._split_page(page, doc_hash))
        return chunks

    def _split_page(self, page: Document, doc_hash: str) -> Iterator[Chunk]:
        text, meta = page.page_content, page.metadata
        title = str(meta.get("title") or "")
        by_section: dict[str, list[_Unit]] = {}
        order: list[str] = []
        for section, start, end in _blocks(text):
            if section not in by_section:
                by_section[section] = []
                order.append(section)
            for index, (s_start, s_end) in enumerate(split_sentences(text[start:end])):
                units = list(self._units(text, start + s_start, start + s_end))
                if index == 0 and units:
                    units[0] = replace(units[0], opens=True)
                by_section[section].extend(units)
        for section in order:
            header = f"{title} — {section}" if section and section != title else title
            budget = self._max - self._count(header) + SPECIAL_TOKENS
            for group in self._pack(by_section[section], budget):
                yield self._chunk(text, group, header, section, meta, doc_hash)

    def _units(self, text: str, start: int, end: int) -> Iterator[_Unit]:
        """One unit per sentence; an over-long sentence is cut at spaces into fitting pieces."""
        tokens = self._count(text[start:end]) - SPECIAL_TOKENS
        if tokens <= self._max // 2 or end - start < 40:
            yield _Unit(start, end, tokens)
            return
        limit = self._max // 2
        piece_chars = max(40, (end - start) * limit // max(tokens, 1))
        cursor = start
        while cursor < end:
            stop = min(end, cursor + piece_chars)
            if stop < end:
                space = text.rfind(" ", cursor + 1, stop)
                stop = space if space > cursor else stop
            piece = text[cursor:stop].strip()
            if piece:
                left = cursor + (len(text[cursor:stop]) - len(text[cursor:stop].lstrip()))
                yield _Unit(left, left + len(piece), self._count(piece) - SPECIAL_TOKENS)
            cursor = stop

    @staticmethod
    def _pack(units: list[_Unit], budget: int) -> Iterator[list[_Unit]]:
        group: list[_Unit] = []
        used = 0
        for unit in units:
            if group and used + unit.tokens > budget:
                yield group
                group, used = [], 0
            group.append(unit)
            used += unit.tokens
        if group:
            yield group

    @staticmethod
    def _chunk(
        text: str, group: list[_Unit], header: str, section: str,
        meta: dict, doc_hash: str,
    ) -> Chunk:
        start, end = group[0].start, group[-1].end
        body = text[start:end]
        sentences = tuple(
            Sentence(text[u.start:u.end], u.start - start, u.end - start) for u in group
        )
        source = str(meta.get("source", ""))
        page = meta.get("page")
        key = f"{source}\0{doc_hash}\0{page}\0{start}\0{body}"
        chunk_id = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        doc_meta = {k: str(v) for k, v in meta.items() if k not in ("page",) and v is not None}
        return Chunk(chunk_id, body, header, source, section, page, start, end, sentences, doc_meta,
                     group[0].opens)
