"""What the page says when a handler fails: a user error is one line in the log and its
public message on the page (no internal address); anything else is a bug, logged with its
traceback, and the page apologises. The page never shows a traceback."""

from __future__ import annotations

import html
import logging

import gradio as gr

from assistant.errors import UserError

log = logging.getLogger(__name__)

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
