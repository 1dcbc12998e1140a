"""Text from documents and answers made safe to print on a terminal: escape sequences and
control characters (C0 and C1, but newline and tab) removed, lone surrogates replaced."""

from __future__ import annotations

import logging
import re

# ESC sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC strings (up to BEL, ESC \\ or
# the line's end: never more), two-character escapes, the 8-bit CSI; the other C1 controls
# go one by one with any control left
ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]PX^_][^\x07\x1b\n]*(?:\x07|\x1b\\)?"
    r"|\x1b[ -/]*[0-~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]")
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` without terminal escape sequences or control characters (newline and tab
    kept); undecodable bytes (lone surrogates) shown as "?"."""
    text = text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text
    return CONTROLS.sub("", ESCAPES.sub("", text))


class PrintableFormatter(logging.Formatter):
    """Log lines made printable (a log line may quote a document's name or text)."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))
