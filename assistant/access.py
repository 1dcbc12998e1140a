"""The staff gate: every change to the library passes `StaffGate.check` on the server."""

from __future__ import annotations

import hmac
import logging
import threading
import time

from assistant.errors import UserError

log = logging.getLogger(__name__)

BASE_DELAY_S = 0.5
MAX_DELAY_S = 8.0
FAILURE_WINDOW_S = 600.0


class AccessDenied(UserError):
    """A change was attempted without the right staff password."""


class StaffGate:
    """Checks the staff password in constant time and slows down repeated failures.

    With no password configured, every change is refused: the library is read-only.
    """

    def __init__(self, password: str | None, sleep=time.sleep, clock=time.monotonic) -> None:
        self._password = password.encode("utf-8") if password else None
        self._sleep = sleep
        self._clock = clock
        self._failures: list[float] = []
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._password is not None

    def check(self, given: str | None) -> None:
        """Return if `given` is the staff password; otherwise wait a little and refuse."""
        if self._password is None:
            raise AccessDenied("Library changes are switched off: start the app with "
                               "FTZ_ADMIN_PASSWORD set to enable them.")
        if not given:  # no guess at all: said plainly, and no wait
            raise AccessDenied("Type the staff password first: nothing was changed.")
        if hmac.compare_digest(self._password, given.encode("utf-8")):
            return
        with self._lock:
            now = self._clock()
            self._failures = [t for t in self._failures if now - t < FAILURE_WINDOW_S]
            self._failures.append(now)
            delay = min(MAX_DELAY_S, BASE_DELAY_S * 2 ** (len(self._failures) - 1))
        log.warning("wrong staff password (%d recent failures)", len(self._failures))
        self._sleep(delay)
        raise AccessDenied("Wrong staff password: nothing was changed.")
