"""The staff gate: staff sign in once with the staff password and get a session; every change to
the library passes `StaffGate.allow` with that session on the server."""

from __future__ import annotations

import hmac
import math
import secrets
import threading
import time
from collections import OrderedDict

from assistant.errors import UserError


class AccessDenied(UserError):
    """A change was attempted without the right staff password or a live staff session."""


class Backoff:
    """Wrong passwords counted per client: after the n-th in a row a client is refused for
    `base_s * 2**(n-1)` seconds (at most `max_s`), at once and without a wait, while other
    clients are unaffected. A success, or `max_s` of quiet after the back-off, starts the
    count again. The table keeps the `clients` most recent failing clients."""

    def __init__(self, base_s: float, max_s: float, clients: int, clock=time.monotonic) -> None:
        self._base_s = base_s
        self._max_s = max_s
        self._clients = clients
        self._clock = clock
        self._failed: OrderedDict[str, tuple[int, float]] = OrderedDict()  # -> (count, until)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._failed)

    def wait_s(self, client: str) -> float:
        """Seconds `client` must still wait before its next guess (0: none)."""
        with self._lock:
            _, until = self._failed.get(client, (0, 0.0))
        return max(0.0, until - self._clock())

    def failed(self, client: str) -> None:
        """Count a wrong password of `client` (a client quiet for `max_s` after its last
        back-off starts again from one)."""
        with self._lock:
            now = self._clock()
            count, until = self._failed.pop(client, (0, 0.0))
            count = count + 1 if now - until < self._max_s else 1
            delay = min(self._max_s, self._base_s * 2 ** min(count - 1, 64))
            self._failed[client] = (count, now + delay)
            while len(self._failed) > self._clients:
                self._failed.popitem(last=False)  # the longest-quiet client goes first

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failed.pop(client, None)


class StaffGate:
    """Checks the staff password in constant time, refuses a client that guessed wrong until
    its back-off has passed (without ever sleeping), and keeps the sessions it handed out (in
    memory: a restart signs everyone out).

    With no password configured, every change is refused: the library is read-only.
    """

    def __init__(self, password: str | None, session_minutes: float = 120.0,
                 backoff: Backoff | None = None, clock=time.monotonic) -> None:
        self._password = password.encode("utf-8") if password else None
        self._session_s = session_minutes * 60
        self._backoff = backoff if backoff is not None else Backoff(1.0, 300.0, 10_000, clock)
        self._clock = clock
        self._sessions: dict[str, float] = {}  # token -> when it ends
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._password is not None

    def check(self, given: str | None, client: str = "") -> None:
        """Return if `given` is the staff password; otherwise refuse. A `client` still in
        back-off is refused before its password is even looked at."""
        if self._password is None:
            raise AccessDenied("Library changes are switched off: start the app with "
                               "FTZ_ADMIN_PASSWORD set to enable them.")
        wait = self._backoff.wait_s(client)
        if wait > 0:
            raise AccessDenied(f"Too many wrong passwords: try again in {math.ceil(wait)} s.")
        if not isinstance(given, str) or not given:  # no guess at all: said plainly
            raise AccessDenied("Type the staff password first: nothing was changed.")
        if hmac.compare_digest(self._password, given.encode("utf-8", "replace")):
            self._backoff.succeeded(client)
            return
        self._backoff.failed(client)
        raise AccessDenied("Wrong staff password: nothing was changed.")

    def sign_in(self, given: str | None, client: str = "") -> str:
        """A new session token for the staff password (refused as `check` refuses)."""
        self.check(given, client)
        token = secrets.token_urlsafe(32)
        with self._lock:
            now = self._clock()
            self._sessions = {t: end for t, end in self._sessions.items() if end > now}
            self._sessions[token] = now + self._session_s
        return token

    def signed_in(self, token: str | None) -> bool:
        """Whether `token` is a live session."""
        if not isinstance(token, str) or not token or self._password is None:
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
        if isinstance(token, str):
            with self._lock:
                self._sessions.pop(token, None)
