"""Answers as chat markdown and source cards. Document text is untrusted: every piece of it is
HTML-escaped and markdown-escaped before it reaches the page, once.

Each answer of a conversation has its own number `k`: its markers link to its own cards
(`#ftz-source-k-n`), so `[1]` under an earlier answer opens that answer's passage."""

from __future__ import annotations

import html
import re

from assistant.contract import Answer, Citation
from assistant.ui.documents_route import document_link
from assistant.ui.i18n import both

MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<])")
MARKER = re.compile(r" \[(\d{1,2})\](?= |$)")


def safe(text: str) -> str:
    """Untrusted text made inert for a markdown-with-HTML renderer. Quotes stay as they are:
    they mean nothing in text, and "&#x27;" would show as written in a chat message."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=False))


def marker(k: int, n: int) -> str:
    """The link from answer k's marker [n] to its source card."""
    return f' <a href="#ftz-source-{k}-{n}" class="ftz-marker">[{n}]</a>'


def answer_markdown(answer: Answer, k: int = 1) -> str:
    """Answer k's text, escaped, with each `[n]` marker as a link to its source card. Where
    the answer is a figure, the first line states it in bold with its marker (a Chinese
    question's answer line, in Chinese) and the quoted passages follow as evidence; each
    quoted passage is a paragraph of its own."""
    if not answer.found:
        reason = f" {safe(answer.reason)}" if answer.reason else ""
        said = both("<strong>Not in the documents.</strong>", "<strong>文件中没有答案。</strong>")
        return f"⚠️ {said} {safe(answer.answer)}{reason}"
    text = answer.answer.removeprefix(answer.line)
    quoted, cursor = [], 0
    for match in MARKER.finditer(text):
        quoted.append(safe(text[cursor:match.start()].strip()) + marker(k, int(match.group(1))))
        cursor = match.end()
    rest = text[cursor:].strip()
    if rest:
        quoted.append(safe(rest))
    body = "\n\n".join(quoted)
    if answer.lead:  # (a Chinese question's line states the figure in Chinese)
        evidence = "\n>\n".join(f"> {part}" for part in quoted)
        body = f"**{safe(answer.line or answer.lead)}**{marker(k, 1)}\n\n{evidence}"
    return body + (table_markdown(answer.table, k) if answer.table else "")


def table_markdown(table: dict, k: int = 1) -> str:
    """A table answer as a markdown table, every cell escaped, a figure cell with its
    marker."""
    def cell(item: dict) -> str:
        linked = marker(k, int(item["n"])) if item.get("n") else ""
        return safe(str(item.get("text", ""))) + linked

    lines = ["| " + " | ".join(safe(str(c)) for c in table["columns"]) + " |",
             "|" + "---|" * len(table["columns"])]
    lines += ["| " + " | ".join(cell(item) for item in row) + " |" for row in table["rows"]]
    return "\n\n" + "\n".join(lines)


def _highlighted(citation: Citation) -> str:
    """The passage, escaped, with the supporting sentence(s) marked."""
    passage = citation.passage or citation.snippet
    whole = passage.find(citation.snippet)
    parts = [citation.snippet] if whole >= 0 else [
        p for p in re.split(r"(?<=[.;!?])\s+", citation.snippet) if p]
    spans: list[tuple[int, int]] = []
    for part in parts:
        at = passage.find(part)
        if at >= 0:
            spans.append((at, at + len(part)))
    if not spans:
        return f"<mark>{html.escape(citation.snippet)}</mark>"
    spans.sort()
    out, cursor = [], 0
    for start, end in spans:
        if start < cursor:
            continue
        out.append(html.escape(passage[cursor:start]))
        out.append(f"<mark>{html.escape(passage[start:end])}</mark>")
        cursor = end
    out.append(html.escape(passage[cursor:]))
    return "".join(out).replace("\n", "<br>")


def source_card(citation: Citation, related: bool = False, anchor: str = "ftz-source",
                label: str = "") -> str:
    """One source: number (or `label`), title, zone, date, section/page, passage with
    highlight, link; its element id is `anchor` and the number."""
    date = "" if citation.date.lower() in ("", "unknown") else citation.date
    details = [html.escape(d) for d in (citation.zone, date, citation.section) if d]
    if citation.page:
        details.append(both(f"page {citation.page}", f"第 {citation.page} 页"))
    link = ""
    if citation.url and citation.url.startswith(("http://", "https://")):
        link = (f'<a href="{html.escape(citation.url, quote=True)}" target="_blank" '
                f'rel="noopener noreferrer">{both("Open the original", "打开原文")} ↗</a>')
    opens = document_link(citation.source, citation.page)
    if opens and citation.page:  # the PDF itself, at the cited page
        link += (f'{" · " if link else ""}<a href="{html.escape(opens, quote=True)}" '
                 'target="_blank" rel="noopener">'
                 + both(f"Open page {citation.page} of the PDF", f"打开 PDF 第 {citation.page} 页")
                 + " ↗</a>")
    label = label or (both("Related", "相关") if related else f"[{citation.n}]")
    return (
        f'<div class="ftz-source" id="{anchor}-{citation.n}">'
        f'<div class="ftz-source-head"><span class="ftz-n">{label}</span> '
        f"<strong>{html.escape(citation.title or citation.source)}</strong></div>"
        f'<div class="ftz-source-meta">{" · ".join(details)}'
        f' · <code>{html.escape(citation.source)}</code></div>'
        f'<blockquote class="ftz-passage" tabindex="0">{_highlighted(citation)}</blockquote>'
        f"{link}</div>"
    )


EMPTY_SOURCES = ('<div class="ftz-sources-empty">'
                 + both("Sources of the answer appear here.", "答案的出处显示在这里。") + "</div>")


def sources_html(answer: Answer | None, k: int = 1, question: str = "") -> str:
    """The sources of answer k (related passages, clearly labelled, on a refusal), headed by
    the question it answers."""
    if answer is None:
        return EMPTY_SOURCES
    asked = f'<p class="ftz-asked">{html.escape(question)}</p>' if question else ""
    anchor = f"ftz-source-{k}"
    if answer.found:
        cards = "".join(source_card(c, anchor=anchor) for c in answer.citations)
        heading = both(f"Sources of answer {k}", f"答案 {k} 的出处")
        return (f'<div class="ftz-sources" id="ftz-answer-{k}"><h3>{heading}</h3>{asked}'
                f"{cards}</div>")
    if not answer.related:
        heading = both(f"Answer {k}: no related passages", f"答案 {k}：没有相关段落")
        return (f'<div class="ftz-sources ftz-refusal" id="ftz-answer-{k}"><h3>{heading}</h3>'
                f"{asked}</div>")
    cards = "".join(source_card(c, related=True, anchor=anchor) for c in answer.related)
    heading = both(f"Answer {k}: related passages — not an answer",
                   f"答案 {k}：相关段落，并非答案")
    note = both("The documents do not answer the question; these passages were the closest.",
                "文件没有回答这个问题；以下是最接近的段落。")
    return (f'<div class="ftz-sources ftz-refusal" id="ftz-answer-{k}"><h3>{heading}</h3>'
            f"{asked}<p>{note}</p>{cards}</div>")


def evidence_panel(evidence: list[str]) -> str:
    """Every answer's sources, the latest first: each answer keeps its own."""
    return "".join(reversed(evidence)) or EMPTY_SOURCES
