"""The staff gate: staff sign in once with the staff password and get a session; every change to
the library passes `StaffGate.allow` with that session on the server."""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
import time

from assistant.errors import UserError

log = logging.getLogger(__name__)

BASE_DELAY_S = 0.5
MAX_DELAY_S = 8.0
FAILURE_WINDOW_S = 600.0


class AccessDenied(UserError):
    """A change was attempted without the right staff password or a live staff session."""


class StaffGate:
    """Checks the staff password in constant time, slows down repeated failures, and keeps the
    sessions it handed out (in memory: a restart signs everyone out).

    With no password configured, every change is refused: the library is read-only.
    """

    def __init__(self, password: str | None, session_minutes: float = 120.0,
                 sleep=time.sleep, clock=time.monotonic) -> None:
        self._password = password.encode("utf-8") if password else None
        self._session_s = session_minutes * 60
        self._sleep = sleep
        self._clock = clock
        self._failures: list[float] = []
        self._sessions: dict[str, float] = {}  # token -> when it ends
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

    def sign_in(self, given: str | None) -> str:
        """A new session token for the staff password (refused as `check` refuses)."""
        self.check(given)
        token = secrets.token_urlsafe(32)
        with self._lock:
            now = self._clock()
            self._sessions = {t: end for t, end in self._sessions.items() if end > now}
            self._sessions[token] = now + self._session_s
        return token

    def signed_in(self, token: str | None) -> bool:
        """Whether `token` is a live session."""
        if not token or self._password is None:
            return False
        with self._lock:
            end = self._sessions.get(token)
            return end is not None and end > self._clock()

    def allow(self, token: str | None) -> None:
        """Return if `token` is a live staff session; otherwise refuse."""
        if self._password is None:
            self.check(None)  # says that changes are switched off
        if not self.signed_in(token):
            raise AccessDenied("Sign in as staff first (the session may have ended): "
                               "nothing was changed.")

    def sign_out(self, token: str | None) -> None:
        """End a session (an unknown token is ignored)."""
        with self._lock:
            self._sessions.pop(token or "", None)
