"""The generative path as people see it: a real `ftz-assistant serve` with a loopback
OpenAI-compatible chat server, a real Chromium. Verified sentences stream into the chat, the
answer says a language model wrote it and how many of its sentences were left out, and an
invented figure never shows, not even while the answer is being written."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from assistant.verify import split_sentences
from tests.browsing import ask, open_app
from tests.chat_server import chat_server
from tests.hostile.probe import few_docs
from tests.serving import running_app

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]
INVENTED = "987,654"
# every text the chat shows, kept as it changes (streamed steps included)
RECORD_CHAT = """() => {
  window.__seen = [];
  const chat = document.querySelector('#ftz-chat');
  new MutationObserver(() => window.__seen.push(chat.innerText))
    .observe(chat, {childList: true, subtree: true, characterData: true});
}"""


def _reply(passages: dict[int, str]) -> str:
    """A model that copies the first sentence of the passages that gives an area, cited, then
    invents a figure."""
    n, sentence = next((n, s) for n, text in sorted(passages.items())
                       for s in split_sentences(text.split("\n", 1)[-1])
                       if re.search(r"\d.*(?:km|kilomet)", s))
    return f"{sentence.rstrip('.')} [{n}]. The area also employs {INVENTED} people [{n}]."


@pytest.fixture(scope="module")
def generative_server(tmp_path_factory) -> Iterator[str]:
    base = tmp_path_factory.mktemp("generative")
    docs = few_docs(base / "docs")
    with chat_server(_reply) as (model_url, requests), running_app(docs, base / "index", env={
            "FTZ_LLM": "openai", "FTZ_LLM_BASE_URL": model_url, "FTZ_LLM_MODEL": "test-model",
            "FTZ_LLM_TIMEOUT": "20"}) as url:
        yield url
    assert requests, "the app never asked the chat model"


def test_a_model_answer_streams_verified_and_says_what_was_left_out(
        browser, generative_server: str) -> None:  # noqa: F811 (the fixture)
    context, page = open_app(browser, generative_server)
    page.evaluate(RECORD_CHAT)
    ask(page, "How large is the Dalian area of the Liaoning pilot free trade zone?")
    page.wait_for_function(
        "document.querySelector('#ftz-chat').innerText.includes('Sources:')", timeout=60_000)
    final = page.locator("#ftz-chat").inner_text()
    seen = page.evaluate("window.__seen")
    context.close()
    assert "Written by a language model" in final
    assert "1 of its sentences were left out" in final
    assert re.search(r"\d", final.split("Written by")[0])  # the model's verified figure
    assert len(seen) > 1  # (the answer was seen while it was written)
    assert not any(INVENTED in text or "987" in text for text in [*seen, final])
