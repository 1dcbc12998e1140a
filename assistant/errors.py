"""Errors that carry a message meant for the user (printed as one line, no traceback)."""

from __future__ import annotations


class UserError(Exception):
    """A mistake or condition the user can fix; its message is shown as is."""


class UnreadableDocument(UserError):
    """A file that cannot be turned into text: unsupported, empty, corrupt or unreadable."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreUnavailable(UserError):
    """The Chroma index (embedded folder or server) cannot be reached."""
