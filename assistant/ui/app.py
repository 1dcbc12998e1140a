"""Gradio Blocks for the assistant: a chat with cited, streamed answers and a sources panel.

`build_app` receives a ready engine (anything with `answer(question, history)`; a generative one
also has `stream`) and the number of indexed documents; it owns layout and event wiring only.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr
from starlette.middleware import Middleware

from assistant.contract import Answer, checked_question
from assistant.errors import UserError
from assistant.ui.coverage import coverage_html
from assistant.ui.documents_route import ROUTE, pdf_handler
from assistant.ui.facts_tab import build_facts_tab
from assistant.ui.failures import Blocks, page_error, said
from assistant.ui.finder_tab import build_finder_tab
from assistant.ui.i18n import I18N, both, t
from assistant.ui.library_tab import build_library_tab
from assistant.ui.render import answer_markdown, evidence_panel, safe, sources_html
from assistant.ui.uploads import StaffOnlyUploads

if TYPE_CHECKING:
    from assistant.access import StaffGate
    from assistant.finder import PolicyFinder
    from assistant.library import Library
    from assistant.seams import Engine

CSS_PATH = Path(__file__).with_name("style.css")
EXAMPLES = (
    "How many hours of clearance time does the notification commitment system save each year?",
    "How large is the Xiamen area of the Fujian pilot FTZ?",
    "We import seafood through Dalian — what can speed up our certificates?",
    "Which area of the Guangdong FTZ gives priority to shipping logistics?",
    "福建自贸试验区厦门片区的面积是多少？",
    "大连片区规划面积多少平方公里？",
)
# a question that asks which measures or policies there are: the Policy finder may fit it
# better ("Which measures help seafood importers in Dalian?", "有哪些措施")
ASKS_FOR_MEASURES = re.compile(r"\b(?:which|what)\s+(?:\w+\s+){0,2}(?:measures|policies|"
                               r"support|incentives|reforms|facilitation)\b|\bwhat helps\b|"
                               r"\bwhat can (?:help|speed)|哪些(?:措施|政策|支持|便利)|"
                               r"什么(?:措施|政策)", re.I)
# Scripts the page runs once loaded, for what Gradio's own components get wrong:
# - its upload area is named "Click to upload or drop files" while it shows "Drop File Here -
#   or - Click to Upload", so a voice-control user saying what they see would not reach it
#   (axe: label-content-name-mismatch): the area is named by its visible text;
# - a chat message's "Copy message" copies the message's source (markdown with escapes and
#   the markers' HTML): it copies the text as shown instead;
# - the coverage line's link to the document list opens the Library tab.
PAGE_JS = """() => {
  const rename = () => document.querySelectorAll('.upload-container[aria-label]').forEach(el => {
    const shown = el.innerText.replace(/\\s+/g, ' ').trim();
    if (shown && el.getAttribute('aria-label') !== shown) el.setAttribute('aria-label', shown);
  });
  new MutationObserver(rename).observe(document.body, {childList: true, subtree: true});
  rename();
  document.addEventListener('click', event => {
    if (event.target.closest('a.ftz-to-library')) {
      event.preventDefault();
      document.querySelector('[role=tab][data-tab-id="library"]')?.click();
      setTimeout(() => document.querySelector('#ftz-documents .ftz-table-wrap')?.focus(), 300);
      return;
    }
    const button = event.target.closest('#ftz-chat button[aria-label="Copy message"]');
    const buttons = button && button.closest('.message-buttons');
    let row = buttons && buttons.previousElementSibling;
    while (row && !row.classList.contains('message-row')) row = row.previousElementSibling;
    const shown = row && row.querySelector('.message-content');
    if (!shown) return;
    event.stopImmediatePropagation();
    event.preventDefault();
    navigator.clipboard.writeText(shown.innerText.trim()).then(() => {
      button.setAttribute('title', 'Copied');
      setTimeout(() => button.setAttribute('title', 'Copy message'), 1500);
    });
  }, true);
}"""
# the language switch opens Gradio's own Settings panel, whose Language list changes the page
OPEN_LANGUAGE_SETTING = """() => {
  const settings = [...document.querySelectorAll('footer button, footer a')]
    .find(el => /settings|设置/i.test(el.innerText));
  if (settings) settings.click();
}"""
STREAM_STEPS = 12
STREAM_PAUSE_S = 0.015

Chat = list[dict[str, Any]]


def _stream(text: str) -> Iterator[str]:
    """The text in growing prefixes that end at spaces, so it appears to type itself."""
    words = text.split(" ")
    step = max(1, len(words) // STREAM_STEPS)
    for end in range(step, len(words), step):
        yield " ".join(words[:end]) + " …"
    yield text


def replies(engine: Engine, question: str, asked: list[str],
            k: int = 1) -> Iterator[tuple[str, Answer | None]]:
    """The assistant's message (answer k of the conversation) as it grows, then the finished
    message with its answer. A generative engine's sentences appear once verified; an answer
    that comes in one piece (extractive) types itself."""
    verified: list[str] = []
    for event in engine.stream(question, history=asked):
        if isinstance(event, Answer):
            body = answer_markdown(event, k)
            if not verified:
                for partial in _stream(body):
                    yield partial, None
                    time.sleep(STREAM_PAUSE_S)
            yield body + _source_line(event), event
            return
        verified.append(event)
        yield answer_markdown(Answer(question, " ".join(verified), True, []), k) + " …", None


def _source_line(answer: Answer) -> str:
    """Which engine wrote the answer (and what verification left out of a model's draft),
    then its sources."""
    listed = answer.citations if answer.found else []
    if not listed:
        return ""
    names = " · ".join(f"[{c.n}] {safe(c.title or c.source)}" for c in listed)
    if answer.engine == "llm":
        written = both("Written by a language model, every sentence checked against its "
                       "source. ", "由语言模型撰写，每句均已与出处核对。")
        if answer.dropped:
            written += both(f"{answer.dropped} of its sentences were left out: their sources "
                            "do not say them. ",
                            f"另有 {answer.dropped} 句因出处并无此说而被略去。")
    elif answer.drafted:
        written = both("Quoted from the documents: the language model's answer could not be "
                       "checked against them. ", "摘自文件原文：语言模型的回答未能通过出处核对。")
    else:
        written = both("Quoted from the documents. ", "摘自文件原文。")
    return f"\n\n<small>{written}{both('Sources:', '出处：')} {names}</small>"


def build_app(engine: Engine, library: Library, gate: StaffGate, finder: PolicyFinder,
              upload_cache_minutes: float) -> gr.Blocks:
    """The chat app and the library; `/ask` (one question in, the answer JSON out) is the
    only public API. Files anyone uploads to Gradio are deleted `upload_cache_minutes` after
    they arrived (the Library's handler deletes those it received at once)."""

    def respond(question: str, chat: Chat, asked: list[str],
                evidence: list[str]) -> Iterator[tuple]:
        try:  # (what is no question is not echoed into the chat)
            question = checked_question(question)
        except UserError as error:
            gr.Warning(said(error, "reading a question"))
            yield gr.update(), chat, asked, gr.update(), evidence
            return
        chat = [*chat, {"role": "user", "content": safe(question)},
                {"role": "assistant", "content": "…"}]
        # the question moves into the chat at once and the box is cleared, this once: a
        # follow-up typed while the answer is written stays there (and is asked after it)
        yield "", chat, asked, gr.update(), evidence
        k = len(evidence) + 1  # this answer's number: its markers link to its own cards
        try:
            for content, answer in replies(engine, question, asked, k):
                chat[-1] = {"role": "assistant", "content": content}
                if answer is None:
                    yield gr.update(), chat, asked, gr.update(), evidence
                else:
                    evidence = [*evidence, sources_html(answer, k, question)]
                    yield gr.update(), chat, [*asked, question], evidence_panel(evidence), \
                        evidence
        except Exception as error:  # the page must never show a stack trace
            chat[-1] = {"role": "assistant",
                        "content": f"⚠️ {safe(said(error, f'answering {question[:80]!r}'))}"}
            yield gr.update(), chat, asked, gr.update(), evidence

    def clear() -> tuple:
        return [], [], sources_html(None), "", []

    def ask(question: str) -> dict:
        """Answer one question from the indexed documents (the answer JSON of the contract)."""
        try:
            return engine.answer(question).to_json()
        except Exception as error:  # (a question that is not text is a user error)
            raise page_error(error, "answering /ask") from None

    cache_s = max(1, round(upload_cache_minutes * 60))
    # (no telemetry: without analytics_enabled=False, Gradio asks its site for its newest
    # version when the app is built and reports each launch there)
    with Blocks(title="FTZ Assistant", delete_cache=(cache_s, cache_s),
                analytics_enabled=False) as app:
        asked = gr.State([])
        evidence = gr.State([])  # each answer's sources panel, by answer number
        with gr.Row(equal_height=True, elem_classes="ftz-top"):
            gr.HTML(t("header"))
            language = gr.Button(t("language"), size="sm", scale=0, min_width=130,
                                 elem_id="ftz-language")
        covered = gr.HTML(coverage_html([]), elem_id="ftz-coverage")
        with gr.Tabs() as tabs:
            with gr.Tab(t("tab.ask"), id="ask"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=320):
                        chatbot = gr.Chatbot(
                            label=t("ask.conversation"), height=480, elem_id="ftz-chat",
                            placeholder=t("ask.placeholder"),
                            buttons=["copy"], feedback_options=None,
                        )
                        with gr.Row():
                            question = gr.Textbox(
                                label=t("ask.question"), show_label=False,  # (read out by
                                placeholder=t("ask.type"),  # screen readers)
                                scale=5, elem_id="ftz-question", max_length=2000,
                                autofocus=True,
                            )
                            send = gr.Button(t("ask.send"), variant="primary", scale=1,
                                             min_width=80,
                                             elem_id="ftz-ask")
                        to_finder = gr.Button(
                            t("ask.to_finder"), size="sm",
                            variant="secondary", visible=False, elem_id="ftz-to-finder")
                        clear_button = gr.Button(t("ask.clear"), size="sm",
                                                 elem_id="ftz-clear")
                    with gr.Column(scale=2, min_width=300):
                        sources = gr.HTML(sources_html(None), elem_id="ftz-sources")
                # below the answer and its sources (on a phone too): the examples
                gr.Markdown(t("ask.examples"), elem_classes="ftz-examples-title")
                with gr.Row(elem_classes="ftz-examples"):
                    example_buttons = [gr.Button(text, size="sm", variant="secondary")
                                       for text in EXAMPLES]
            show_library, library_outputs, library_changes = build_library_tab(library, gate)
            show_finder, finder_outputs, handoff = build_finder_tab(finder)
            show_facts, facts_inputs, facts_outputs = build_facts_tab(finder)
        outputs = [question, chatbot, asked, sources, evidence]
        inputs = [question, chatbot, asked, evidence]
        examples_asked = gr.State(0)  # counts the example questions asked: each is answered
        # One event answers, however the question came (Enter, Send, an example), one at a time
        # per page: a question sent while an answer is being written is answered after it,
        # with the conversation as it then stands. Two at once wrote over each other's chat.
        answering = gr.on([question.submit, send.click, examples_asked.change], respond, inputs,
                          outputs, api_visibility="private", trigger_mode="always_last")
        for button, text in zip(example_buttons, EXAMPLES, strict=True):
            button.click(lambda count, t=text: (t, count + 1), examples_asked,
                         [question, examples_asked], api_visibility="private")
        # a question about which measures there are offers the finder, the question carried over
        answering.then(lambda said: gr.update(visible=bool(said) and bool(
            ASKS_FOR_MEASURES.search(said[-1]))), asked, to_finder, api_visibility="private")
        profile, searches_asked = handoff
        to_finder.click(lambda said, count: (gr.Tabs(selected="finder"),
                                             said[-1] if said else "", count + 1),
                        [asked, searches_asked], [tabs, profile, searches_asked],
                        api_visibility="private")
        # clearing stops an answer still being written, which would otherwise refill the chat
        clear_button.click(clear, None, [chatbot, asked, sources, question, evidence],
                           api_visibility="private", cancels=[answering]).then(
            lambda: gr.update(visible=False), None, to_finder, api_visibility="private")
        def coverage() -> Any:
            try:
                return coverage_html(library.documents())
            except UserError as error:  # (the chat and the other tabs say why)
                said(error, "listing the documents")
                return gr.update()

        app.load(coverage, None, covered, api_visibility="private")
        for change in library_changes:  # every tab follows a library change, without a reload
            change.then(coverage, None, covered,
                        api_visibility="private").then(
                show_finder, None, finder_outputs, api_visibility="private").then(
                show_facts, facts_inputs, facts_outputs, api_visibility="private")
        app.load(show_library, None, library_outputs, api_visibility="private")
        app.load(show_finder, None, finder_outputs, api_visibility="private")
        app.load(show_facts, facts_inputs, facts_outputs, api_visibility="private")
        language.click(None, js=OPEN_LANGUAGE_SETTING)
        gr.api(ask, api_name="ask")
    return app


# Gradio sums up every event it keeps (up to 10,000, with pandas) after each event, for a
# monitoring dashboard this app turns off: the more events served, the more each one cost
# (a fuzz round of a few hundred events took twice as long). It sums up this seldom instead.
ANALYTICS_EVERY_EVENTS = str(10**9)


def launch(app: gr.Blocks, host: str, port: int, max_upload_mb: float, docs_dir: Path,
           gate: StaffGate) -> None:
    """Serve with a queue wide enough for several simultaneous chats, uploads only for a staff
    session (`gate`), and the docs folder's PDFs at /documents/ (so that a citation opens its
    page); no monitoring routes."""
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", ANALYTICS_EVERY_EVENTS)
    server, _, _ = app.queue(default_concurrency_limit=8).launch(
        app_kwargs={"middleware": [Middleware(StaffOnlyUploads, gate=gate)]},
        prevent_thread_lock=True,
        server_name=host, server_port=port, css_paths=CSS_PATH,
        max_file_size=int(max_upload_mb * 1024 * 1024),
        show_error=False, footer_links=["api", "settings"], quiet=True, js=PAGE_JS, i18n=I18N,
        enable_monitoring=False,
    )
    server.add_api_route(ROUTE, pdf_handler(docs_dir), methods=["GET"])
    app.block_thread()
