"""Turn one file (md, txt, html, pdf, docx) into LangChain Documents with uniform metadata.

Text convention: headings are `#` lines, paragraphs are separated by a blank line, list items are
`- item` lines and table rows are single lines with cells joined by " | ".
"""

from __future__ import annotations

import io
import logging
import math
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler
from langchain_core.documents import Document

from assistant.errors import UnreadableDocument
from assistant.ingest.cleaning import clean_text, strip_controls, table_lines

logger = logging.getLogger(__name__)

MAX_PDF_PAGES = 2000
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
_RATIO_FLOOR_BYTES = 1024 * 1024  # tiny members cannot hurt, whatever their ratio
SNIFF_BYTES = 8192  # what `sniff` reads of a file
TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_OLD_OFFICE = b"\xd0\xcf\x11\xe0"
_SUPPORTED_HINT = "supported: .md, .txt, .html, .pdf, .docx"
_META_KEYS = ("title", "url", "publisher", "date", "zone", "doc_type", "dateline")
_CJK = re.compile("[\u3000-\u9fff\uff00-\uffef]")
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_SIGNATURES = {
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive", b"%PDF": "a PDF file", b"\x1f\x8b": "a gzip archive",
    _OLD_OFFICE: "an old Office (.doc/.xls) file",
}


def load_document(path: Path) -> list[Document]:
    """Load one file into Documents: one per page for PDF, one otherwise."""
    path = Path(path)
    name, suffix = path.name, path.suffix.lower()
    loader = _LOADERS.get(suffix)
    if loader is None:
        shown = suffix or "(no extension)"
        raise UnreadableDocument(name, f"unsupported file type '{shown}' ({_SUPPORTED_HINT})")
    if not path.exists():
        raise UnreadableDocument(name, "file not found")
    if not path.is_file():
        raise UnreadableDocument(name, "not a regular file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(name, f"cannot read file: {exc.strerror or exc}") from exc
    if not data.strip():
        raise UnreadableDocument(name, "empty file")
    mismatch = sniff(data[:SNIFF_BYTES], suffix)
    if mismatch:
        raise UnreadableDocument(name, mismatch)
    logger.debug("loading %s (%d bytes)", path, len(data))
    with _failing_as(name, "could not read file"):  # never let a library exception escape
        docs = loader(path, data)
    if not docs:
        raise UnreadableDocument(name, "no text found")
    return docs


def sniff(head: bytes, suffix: str) -> str | None:
    """Why a file's first `SNIFF_BYTES` do not fit its suffix, or None if they plausibly do:
    the one content check of uploads and of ingest (UTF-16 text with its BOM is text)."""
    if suffix == ".pdf" and b"%PDF-" not in head[:1024]:
        detail = _binary_reason(head).removeprefix("binary content, not text")
        return f"not a valid PDF file: no PDF header{detail}"
    if suffix == ".docx" and head.startswith(_OLD_OFFICE):
        return "not a valid DOCX file: looks like an old .doc file"
    if suffix == ".docx" and not head.startswith(b"PK\x03\x04"):
        return "not a valid DOCX file: not a ZIP archive"
    if suffix in TEXT_SUFFIXES and b"\x00" in head and not head.startswith(_UTF16_BOMS):
        return _binary_reason(head)
    return None


# ---------------------------------------------------------------- helpers


@contextmanager
def _failing_as(name: str, prefix: str) -> Iterator[None]:
    """Turn any exception raised inside the block into UnreadableDocument(name, prefix: ...)."""
    try:
        yield
    except (UnreadableDocument, MemoryError):  # (a sandbox reports the memory limit itself)
        raise
    except Exception as exc:
        logger.info("%s: %s: %r", name, prefix, exc)
        raise UnreadableDocument(name, f"{prefix}: {_short(exc)}") from exc


def _short(exc: BaseException, limit: int = 120) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _make_doc(path: Path, fmt: str, text: str, meta: dict[str, Any], page: int | None) -> Document:
    text, info = clean_text(text)
    meta = {**meta, "url": meta.get("url") or info.url, "date": meta.get("date") or info.date,
            "dateline": meta.get("dateline") or info.dateline}
    metadata: dict[str, Any] = {key: _as_str(meta.get(key)) for key in _META_KEYS}
    metadata.update(source=path.name, format=fmt, page=page)
    if not _URL_RE.match(metadata["url"]):
        metadata["url"] = ""
    return Document(page_content=text, metadata=metadata)


def _as_str(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(_as_str(v) for v in value if v is not None)
    return " ".join(strip_controls(str(value)).split())


def _pretty_stem(path: Path) -> str:
    words = re.split(r"[\s_\-]+", path.stem)
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or path.name


def _tidy(text: str) -> str:
    """Normalise newlines, strip trailing spaces and squeeze runs of blank lines."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _binary_reason(data: bytes) -> str:
    for magic, what in _SIGNATURES.items():
        if data.startswith(magic):
            return f"binary content, not text (looks like {what})"
    return "binary content, not text"


def _is_cjk_heavy(text: str) -> bool:
    """True for real Chinese; mis-decoded Latin-1 yields lone CJK characters inside Latin words."""
    wide = sum(1 for c in text if ord(c) > 127)
    cjk = len(_CJK.findall(text))
    glued = len(re.findall(f"[A-Za-z]{_CJK.pattern}[A-Za-z]", text))
    return cjk > 0 and cjk >= 0.5 * wide and glued <= 0.2 * cjk


def _decode_text(path: Path, data: bytes, declared: str | None = None) -> str:
    """Decode bytes of a text format, rejecting binary content."""
    utf16 = data.startswith(_UTF16_BOMS)
    if b"\x00" in data and not utf16:
        raise UnreadableDocument(path.name, _binary_reason(data))
    text = None
    for enc in ("utf-16" if utf16 else None, declared, "utf-8-sig", "gb18030", "cp1252"):
        try:
            candidate = data.decode(enc) if enc else None
        except (UnicodeDecodeError, LookupError):
            continue
        if candidate is not None and (enc != "gb18030" or _is_cjk_heavy(candidate)):
            text = candidate
            break
    text = data.decode("latin-1") if text is None else text
    head = text[:8192]
    controls = sum(1 for c in head if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")
    if head and controls / len(head) > 0.05:
        raise UnreadableDocument(path.name, _binary_reason(data))
    return text.lstrip("\ufeff")


# ---------------------------------------------------------------- markdown and text


def _clean_markdown(body: str) -> str:
    body = re.sub(r"<!--.*?(?:-->|\Z)", "", body, flags=re.DOTALL)  # text no reader sees
    body = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", body)
    body = re.sub(r"\[([^\]]+)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)", r"\1", body)
    body = re.sub(r"<(https?://[^>\s]+)>", r"\1", body)
    body = re.sub(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", r"\1", body)
    body = re.sub(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)", r"\1", body)
    body = re.sub(r"^([ \t]*)[*+][ \t]+", r"\1- ", body, flags=re.MULTILINE)
    body = re.sub(r"^([^\s#|>-][^\n]*)\n=+[ \t]*$", r"# \1", body, flags=re.MULTILINE)
    body = re.sub(r"^([^\s#|>-][^\n]*)\n-{2,}[ \t]*$", r"## \1", body, flags=re.MULTILINE)
    out: list[str] = []
    table: list[list[str]] = []
    header = False
    for line in [*body.split("\n"), ""]:
        if re.match(r"^\s*\|.*\|\s*$", line):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if all(re.fullmatch(r":?-+:?", c) for c in cells if c):
                header = len(table) == 1  # a rule under the first row: that row is a header
                continue
            table.append(cells)
            continue
        if table:
            out.extend(table_lines(table, header=header))
            table, header = [], False
        out.append(line)
    return "\n".join(out[:-1])


class _PlainYamlLoader(yaml.SafeLoader):
    """YAML without anchors and aliases: nine nested aliases in a few hundred bytes stand for
    billions of values ("billion laughs"); front matter that uses them counts as unreadable."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(None, None, "YAML anchors and aliases are not "
                                              "allowed in front matter", event.start_mark)
        return super().compose_node(parent, index)


class _FrontMatter(YAMLHandler):
    """python-frontmatter's YAML handler with the plain loader."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return yaml.load(fm, Loader=_PlainYamlLoader)


def _load_markdown(path: Path, data: bytes) -> list[Document]:
    import frontmatter

    text = _tidy(_decode_text(path, data))
    meta: dict[str, Any] = {}
    try:
        post = frontmatter.loads(text, handler=_FrontMatter())
        raw_meta, body = dict(post.metadata), post.content
    except Exception as exc:  # broken YAML: keep the body, drop the header block
        logger.warning("%s: ignoring unreadable front matter (%s)", path.name, _short(exc))
        raw_meta, body = {}, re.sub(r"\A---\n.*?\n---[ \t]*\n", "", text, flags=re.DOTALL)
    for key in ("title", "publisher", "date", "zone", "doc_type"):
        meta[key] = _as_str(raw_meta.get(key))
    for key in ("url", "source"):
        if _URL_RE.match(_as_str(raw_meta.get(key))):
            meta["url"] = _as_str(raw_meta[key])
            break
    body = _tidy(_clean_markdown(body))
    if not body.strip():
        return []
    if not meta["title"]:
        heading = re.search(r"^#[ \t]+(.+?)[ \t#]*$", body, flags=re.MULTILINE)
        meta["title"] = heading.group(1) if heading else _pretty_stem(path)
    return [_make_doc(path, "md", body, meta, None)]


def _load_text(path: Path, data: bytes) -> list[Document]:
    text, info = clean_text(_tidy(_decode_text(path, data)))
    if not text.strip():
        return []
    lines = text.split("\n")
    first = next(line.strip() for line in lines if line.strip())
    title = first if len(first) < 150 else _pretty_stem(path)
    body = "\n".join(_text_headings(lines, title))
    meta = {"title": title, "url": info.url, "date": info.date, "dateline": info.dateline}
    return [_make_doc(path, "txt", body, meta, None)]


def _text_headings(lines: list[str], title: str) -> list[str]:
    """Plain-text headings marked as such: the title line, and a short line standing alone
    between blank lines that does not end like a sentence ("New firms keep arriving")."""
    out = []
    more = sum(1 for line in lines if line.strip()) > 1
    for index, line in enumerate(lines):
        stripped = line.strip()
        alone = (not lines[index - 1].strip() if index else True) and (
            index + 1 >= len(lines) or not lines[index + 1].strip())
        if stripped == title and not out and more and not re.search(r"[.!?]$", stripped):
            out.append(f"# {stripped}")
        elif (more and alone and stripped and len(stripped.split()) <= 10 and len(stripped) < 80
              and not re.search(r"[.,;:!?]$", stripped) and not stripped.startswith(("-", "*", "•"))
              and not stripped.startswith("#") and stripped[0].isupper()):
            out.append(f"## {stripped}")
        else:
            out.append(line)
    return out


# ---------------------------------------------------------------- html

# (a <figcaption> is a photo's caption, "Photo taken on April 3 shows ...", not the text)
_DROP_TAGS = ["script", "style", "noscript", "template", "nav", "aside", "footer", "iframe",
              "svg", "button", "select", "header", "figcaption"]
_CONTENT = ["main", "article"]
_DATE_KEYS = ("date", "article:published_time", "pubdate", "dc.date", "publishdate")
_DROP_ROLES = {"navigation", "contentinfo", "banner", "search", "menu", "menubar", "complementary"}
_JUNK_TOKEN = re.compile(
    r"^(?:top|main|site|global|primary|secondary|sub|mobile)?[-_]?"
    r"(?:nav|navigation|menu|footer|header|breadcrumb|sidebar|share|cookie)"
    r"(?:s|bar|nav|menu|wrap|wrapper|container|area|box|list|links|\d+)?(?:[-_].*)?$",
    re.IGNORECASE,
)
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "blockquote", "dt", "dd", "dl",
               "figure", "figcaption", "address", "center", "header", "footer", "tr", "td",
               "th", "tbody", "thead", "tfoot", "caption", "details", "summary", "body", "html",
               "form"}


class _HtmlText:
    """Walk a parsed HTML tree and emit blocks following the module's text convention."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.buf: list[str] = []

    def flush(self, lines: list[str] | None = None) -> None:
        """End the current paragraph; then add `lines` (if any) as one block."""
        for text in ("".join(self.buf), "\n".join(lines or [])):
            text = "\n".join(line.strip() for line in text.split("\n") if line.strip())
            if text:
                self.blocks.append(text)
        self.buf.clear()

    def visit(self, node: Any) -> None:
        from bs4 import NavigableString, Tag

        if isinstance(node, NavigableString):
            if type(node) is NavigableString:
                self.buf.append(re.sub(r"\s+", " ", str(node)))
            return
        if not isinstance(node, Tag):
            return
        name = node.name
        if name == "br":
            self.buf.append("\n")
        elif re.fullmatch(r"h[1-6]", name):
            text = _inline_text(node)
            self.flush(["#" * int(name[1]) + " " + text] if text else None)
        elif name in ("ul", "ol", "li"):
            self.flush(_list_items(node))
        elif name == "table" and not _is_layout_table(node):
            self.flush(_table_rows(node))
        elif name == "pre":
            self.flush()
            if node.get_text().strip():
                self.blocks.append(node.get_text().strip("\n"))
        elif name == "hr":
            self.flush()
        elif name in _BLOCK_TAGS or name == "table":
            self.flush()
            for child in node.children:
                self.visit(child)
            self.flush()
        else:
            for child in node.children:
                self.visit(child)


def _inline_text(node: Any) -> str:
    walker = _HtmlText()
    for child in node.children:
        walker.visit(child)
    walker.flush()
    return " ".join(" ".join(walker.blocks).split())


def _list_items(node: Any) -> list[str]:
    """`- item` lines of a ul/ol (or of one li); nested lists follow their parent item."""
    if node.name != "li":
        return [item for li in node.find_all("li", recursive=False) for item in _list_items(li)]
    nested = [sub.extract() for sub in node.find_all(["ul", "ol"]) if sub.find_parent("li") is node]
    text = _inline_text(node)
    return ([f"- {text}"] if text else []) + [i for sub in nested for i in _list_items(sub)]


def _own_rows(table: Any) -> list[Any]:
    return [row for row in table.find_all("tr") if row.find_parent("table") is table]


def _is_layout_table(table: Any) -> bool:
    if table.get("role") == "presentation" or table.find(["table", "h1", "h2", "h3", "h4"]):
        return True
    return all(len(row.find_all(["td", "th"], recursive=False)) <= 1 for row in _own_rows(table))


def _table_rows(table: Any) -> list[str]:
    rows = []
    header = None
    for row in _own_rows(table):
        cells = row.find_all(["td", "th"], recursive=False)
        texts = [_inline_text(cell) for cell in cells]
        if any(texts):
            if header is None:
                header = all(cell.name == "th" for cell in cells) or None
            rows.append(texts)
    return table_lines(rows, header=header)


def _without_site_name(title: str) -> str:
    """A page title without the site's name after a separator ("... - China Daily")."""
    parts = re.split(r"\s+[-|–—_]\s+", title)
    if len(parts) > 1 and len(parts[-1]) <= 40 and len(parts[0]) > len(parts[-1]):
        return " - ".join(parts[:-1])
    return title


def _is_junk(tag: Any, total_text: int) -> bool:
    if tag.name in ("html", "body", "main", "article"):
        return False
    tokens = list(tag.get("class") or []) + [tag.get("id") or ""]
    flagged = (
        tag.name == "form"  # but ASP.NET pages wrap the whole page in one <form>
        or (tag.get("role") or "").lower() in _DROP_ROLES
        or tag.has_attr("hidden")
        or bool(re.search(r"display\s*:\s*none", tag.get("style") or ""))
        or any(_JUNK_TOKEN.match(token) for token in tokens if token)
    )
    if not flagged or tag.find(_CONTENT):
        return False
    # A wrapper that holds most of the page's text is content, whatever its name says.
    return len(tag.get_text(" ", strip=True)) < 0.5 * total_text


def _prune(node: Any, total: int, in_content: bool = False) -> None:
    """Remove navigation, menus and other page furniture below `node`."""
    for child in node.find_all(True, recursive=False):
        if child.name in _DROP_TAGS and not (child.name == "header" and in_content):
            child.decompose()  # a <header> inside an article holds its title: keep that one
        elif _is_junk(child, total):
            child.decompose()
        else:
            _prune(child, total, in_content or child.name in _CONTENT)


def _meta_tags(soup: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        for attr in ("property", "name", "itemprop"):
            key, content = (tag.get(attr) or "").lower(), (tag.get("content") or "").strip()
            if key and content:
                found.setdefault(key, content)
    return found


def _load_html(path: Path, data: bytes) -> list[Document]:
    from bs4 import BeautifulSoup
    from bs4.dammit import EncodingDetector

    declared = EncodingDetector.find_declared_encoding(data, is_html=True)
    if declared and declared.lower() in ("gb2312", "gbk"):
        declared = "gb18030"  # a superset: pages labelled gb2312 often use GBK characters
    soup = BeautifulSoup(_decode_text(path, data, declared), "lxml")
    title_tag = soup.find("title")
    h1 = soup.find("h1")
    canonical = soup.find("link", rel=lambda v: v and "canonical" in v)
    tags = _meta_tags(soup)
    page_title = title_tag.get_text(" ", strip=True) if title_tag else ""
    headline = _inline_text(h1) if h1 else ""
    meta = {
        "title": headline if headline and (headline in page_title or not page_title)
        else _without_site_name(page_title) or headline or _pretty_stem(path),
        "url": (canonical.get("href", "").strip() if canonical else "")
        or tags.get("og:url"),
        "date": next((tags[k] for k in _DATE_KEYS if k in tags), ""),
        "publisher": tags.get("og:site_name") or tags.get("publisher"),
    }
    body = soup.body or soup
    for tag in body.find_all(["script", "style", "noscript", "template"]):
        tag.extract()
    _prune(body, len(body.get_text(" ", strip=True)))
    total = len(body.get_text(" ", strip=True))
    root = soup.find("main")
    if root is None:
        articles = soup.find_all("article")
        root = max(articles, key=lambda a: len(a.get_text(strip=True))) if articles else None
    if root is None or len(root.get_text(" ", strip=True)) < 0.25 * total:
        root = body
    walker = _HtmlText()
    walker.visit(root)
    walker.flush()
    text = "\n\n".join(walker.blocks)
    return [_make_doc(path, "html", text, meta, None)] if text.strip() else []


# ---------------------------------------------------------------- pdf

_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:(?:page|p\.|pg\.?)\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?[-–—\s]*$"
    r"|^第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?$",
    re.IGNORECASE,
)


def _norm_line(line: str) -> str:
    return " ".join(re.sub(r"\d+", "#", line).split()).lower()


def _strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop repeated header/footer lines and bare page numbers at the top or bottom of pages."""
    with_text = [p for p in pages if p]
    key = _norm_line if len(with_text) >= 3 else str.strip
    counts = Counter(k for lines in with_text for k in {key(x) for x in lines[:2] + lines[-2:]})
    need = max(2, math.ceil(0.6 * len(with_text)))

    def running(i: int, lines: list[str]) -> bool:
        edge = i < 2 or i >= len(lines) - 2
        return edge and (counts[key(lines[i])] >= need or bool(_PAGE_NUMBER.match(lines[i])))

    return [[ln for i, ln in enumerate(lines) if not running(i, lines)] for lines in pages]


def _load_pdf(path: Path, data: bytes) -> list[Document]:
    from pypdf import PasswordType, PdfReader

    with _failing_as(path.name, "not a valid PDF file"):
        reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        with _failing_as(path.name, "encrypted PDF"):
            if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise UnreadableDocument(path.name, "encrypted PDF (a password is needed)")
    with _failing_as(path.name, "not a valid PDF file"):
        count = len(reader.pages)
    if count > MAX_PDF_PAGES:
        raise UnreadableDocument(path.name, f"too many pages ({count}; limit {MAX_PDF_PAGES})")
    try:
        title = _as_str(reader.metadata.title if reader.metadata else "")
    except Exception as exc:
        logger.debug("%s: unreadable PDF metadata (%s)", path.name, _short(exc))
        title = ""
    with _failing_as(path.name, "not a valid PDF file"):
        texts, first = _pdf_pages(data, title)
    if not title:
        title = first if 0 < len(first) < 150 else _pretty_stem(path)
    return [_make_doc(path, "pdf", text, {"title": title}, number)
            for number, text in enumerate(texts, start=1) if text.strip()]


def _pdf_pages(data: bytes, title: str) -> tuple[list[str], str]:
    """Each page's text (pdfplumber layout: paragraphs, headings, tables), without running
    headers and footers, and the document's first line; a section heading carries over to
    the next page."""
    import pdfplumber

    from assistant.ingest.pdf_layout import body_size, page_layout, page_text

    layouts = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            try:
                layouts.append(page_layout(page))
            except Exception as exc:
                logger.warning("page %d unreadable (%s)", number, _short(exc))
                layouts.append(([], []))
            finally:
                page.close()  # its parsed objects, cached: a long PDF would hold them all
    kept = _strip_running_lines([[line.text for line in lines] for lines, _ in layouts])
    pages = []
    for (lines, tables), texts in zip(layouts, kept, strict=True):
        keep = set(texts)
        pages.append(([line for line in lines if line.text in keep], tables))
    body = body_size([lines for lines, _ in pages])
    texts, heading = [], ""
    for text in _rejoined([page_text(lines, tables, body, title) for lines, tables in pages]):
        if heading and text and not text.startswith("#"):
            text = f"{heading}\n\n{text}"
        headings = re.findall(r"^##? .+$", text, flags=re.MULTILINE)
        heading = headings[-1] if headings else heading
        texts.append(text)
    first = next((lines[0].text for lines, _ in pages if lines), "")
    return texts, first


# the end of a page whose last sentence is finished
FINISHED = re.compile(r"[.!?:;\"”’)\]]\s*$")


def _rejoined(pages: list[str]) -> list[str]:
    """Page texts with a sentence that a page break cuts ("... rose from 255,000 units" |
    "in 2022 to ...") whole on the page where it starts."""
    pages = list(pages)
    for i in range(1, len(pages)):
        if pages[i - 1] and pages[i][:1].islower() and not FINISHED.search(pages[i - 1]):
            rest, _, pages[i] = pages[i].partition("\n\n")
            pages[i - 1] = f"{pages[i - 1].rstrip()} {rest.strip()}"
    return pages


# ---------------------------------------------------------------- docx


def _check_zip(path: Path, data: bytes) -> None:
    with _failing_as(path.name, "not a valid DOCX file"):
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    # each member by itself: summed, incompressible padding members would dilute one bomb's
    # ratio (zipfile never inflates a member past its declared size, so these bound the reads)
    too_dense = any(info.file_size > _RATIO_FLOOR_BYTES
                    and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1)
                    for info in infos)
    if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES or too_dense:
        raise UnreadableDocument(path.name, "file expands too much when unzipped")


def _docx_heading_level(paragraph: Any) -> int | None:
    style = paragraph.style
    for _ in range(4):  # follow a short base-style chain (custom styles based on headings)
        if style is None:
            return None
        for label in (style.name or "", style.style_id or ""):
            if label.lower() == "title":
                return 1
            match = re.fullmatch(r"heading\s*([1-9])", label, flags=re.IGNORECASE)
            if match:
                return min(int(match.group(1)), 6)
        style = style.base_style
    return None


def _docx_is_numbered(paragraph: Any) -> bool:
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.numPr is not None


def _docx_blocks(doc: Any, element: Any) -> Iterator[Any]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(child, doc)
        elif tag == "tbl":
            yield Table(child, doc)
        elif tag in ("sdt", "sdtContent", "customXml"):
            yield from _docx_blocks(doc, child)


def _load_docx(path: Path, data: bytes) -> list[Document]:
    import docx
    from docx.table import Table

    _check_zip(path, data)
    with _failing_as(path.name, "not a valid DOCX file"):
        doc = docx.Document(io.BytesIO(data))
    blocks: list[str] = []
    styled_title = first_heading = ""
    for block in _docx_blocks(doc, doc.element.body):
        if isinstance(block, Table):
            rows = []
            for row in block.rows:
                unique = {id(cell._tc): cell for cell in row.cells}  # merged cells repeat
                rows.append([" ".join(cell.text.split()) for cell in unique.values()])
            lines = table_lines(rows)
            blocks += ["\n".join(lines)] if lines else []
            continue
        text = block.text.strip()
        if not text:
            continue
        level = _docx_heading_level(block)
        style_name = (block.style.name if block.style is not None else "") or ""
        if level:
            line = " ".join(text.split())
            if style_name.lower() == "title" and not styled_title:
                styled_title = line
            first_heading = first_heading or line
            blocks.append("#" * level + " " + line)
        elif "list" in style_name.lower() or _docx_is_numbered(block):
            item = "- " + " ".join(text.split())
            if blocks and blocks[-1].startswith("- "):
                blocks[-1] += "\n" + item
            else:
                blocks.append(item)
        else:
            blocks.append(_tidy(text))
    if not blocks:
        return []
    title = _as_str(doc.core_properties.title) or styled_title or first_heading
    meta = {"title": title or _pretty_stem(path)}
    return [_make_doc(path, "docx", "\n\n".join(blocks), meta, None)]


_LOADERS: dict[str, Callable[[Path, bytes], list[Document]]] = {
    ".md": _load_markdown, ".markdown": _load_markdown, ".txt": _load_text,
    ".html": _load_html, ".htm": _load_html, ".pdf": _load_pdf, ".docx": _load_docx,
}
