"""Errors that carry a message meant for the user (printed as one line, no traceback)."""

from __future__ import annotations


class UserError(Exception):
    """A mistake or condition the user can fix; its message is shown as is (`public` is what
    a visitor of the app is told: the same message unless a subclass hides details)."""

    @property
    def public(self) -> str:
        return str(self)


class UnreadableDocument(UserError):
    """A file that cannot be turned into text: unsupported, empty, corrupt or unreadable."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreUnavailable(UserError):
    """The Chroma index (embedded folder or server) cannot be reached; its message names the
    address (for the operator), its public line does not."""

    @property
    def public(self) -> str:
        return "The library is unreachable at the moment: please try again later."


REBUILD_COMMAND = "ftz-assistant ingest --rebuild"


class StoreDamaged(StoreUnavailable):
    """The embedded Chroma database is damaged (not merely unreachable): only a rebuild from
    the documents mends it."""

    @property
    def public(self) -> str:
        return (f"The library's index is damaged: staff can rebuild it from the documents "
                f"with `{REBUILD_COMMAND}`.")
