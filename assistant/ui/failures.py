"""What the page says when a handler fails: a user error is one line in the log and its
public message on the page (no internal address); anything else is a bug, logged with its
traceback, and the page apologises. The page never shows a traceback. A value Gradio itself
cannot take for a component (a number sent to a text box) is a user error too."""

from __future__ import annotations

import html
import logging
import traceback
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.errors import UserError

log = logging.getLogger(__name__)
PACKAGE = Path(__file__).resolve().parents[1]  # assistant/

SORRY = "Sorry, something went wrong. Please try again in a moment."


def said(error: Exception, doing: str = "handling a request") -> str:
    """The page's line for `error`, logged once (one line without traceback for a user
    error; a bug keeps its traceback)."""
    if isinstance(error, UserError):
        log.warning("%s while %s: %s", type(error).__name__, doing, error)
        return error.public
    log.error("%s failed", doing, exc_info=error)
    return SORRY


def page_error(error: Exception, doing: str = "handling a request") -> gr.Error:
    """`error` as a Gradio error whose one line the page shows, as text (Gradio renders an
    error's message as HTML) and without a traceback in the log."""
    return gr.Error(html.escape(said(error, doing)), print_exception=False)


class Blocks(gr.Blocks):
    """`gr.Blocks` whose refusals of a request no page sends (a number for a text box, a
    value not in a list, an event that runs nothing in Python) are one line in the log, not
    Gradio's printed traceback. An error raised in this package's code is left as it is."""

    async def process_api(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            return await super().process_api(*args, **kwargs)
        except gr.Error as error:
            if error.print_exception and not _raised_here(error):
                log.warning("refused a request: %.200s", " ".join(str(error).split()))
                error.print_exception = False
            raise
        except Exception as error:
            if _raised_here(error):
                raise
            log.warning("refused a request: %s: %.200s", type(error).__name__,
                        " ".join(str(error).split()))
            raise gr.Error("That request cannot be handled.", print_exception=False) from None


def _raised_here(error: BaseException) -> bool:
    """Whether `error` came through this package's code (below the frame that caught it)."""
    return any(Path(frame.filename).is_relative_to(PACKAGE)
               for frame in traceback.extract_tb(error.__traceback__)[1:])
