"""The temporary copies Gradio keeps of uploaded files: deleted by the handler that received
them once it is done, whatever the outcome (only inside Gradio's upload folder)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gradio.utils import get_upload_folder
from starlette.requests import HTTPConnection

if TYPE_CHECKING:
    from assistant.access import StaffGate

log = logging.getLogger(__name__)


def received_paths(files: Any) -> list[Path]:
    """The paths of the files a handler received (Gradio gives paths or file objects)."""
    if not isinstance(files, list):
        files = [files] if files else []
    paths = []
    for item in files:
        name = getattr(item, "name", None) or getattr(item, "path", None) or item
        if isinstance(name, str | Path) and str(name):
            paths.append(Path(name))
    return paths


def discard(files: Any) -> int:
    """Delete the received files that lie in Gradio's upload folder, and their folders once
    empty; returns how many files were deleted (anything elsewhere is left alone)."""
    root = Path(get_upload_folder()).resolve()
    deleted = 0
    for path in received_paths(files):
        try:
            resolved = path.resolve()
            if root not in resolved.parents or not resolved.is_file():
                continue
            resolved.unlink()
            deleted += 1
            if resolved.parent != root and not any(resolved.parent.iterdir()):
                resolved.parent.rmdir()
        except OSError as error:
            log.warning("could not delete the upload %s: %s", path.name, error)
    return deleted


STAFF_COOKIE = "ftz_staff"  # the page's staff session token, set by the page once signed in
REFUSED_UPLOAD = (b'{"error": "Uploads need a staff session: sign in on the Library tab '
                  b'first."}')


class StaffOnlyUploads:
    """ASGI middleware: Gradio's upload route stores files for whoever posts them, before any
    handler runs, so a POST to it is refused (403, one line, nothing read or stored) unless
    the request carries the cookie of a live staff session (`gate.signed_in`)."""

    def __init__(self, app: Any, gate: StaffGate) -> None:
        self._app = app
        self._gate = gate

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if (scope["type"] == "http" and scope.get("method") == "POST"
                and scope.get("path", "").rstrip("/").endswith("/upload")
                and not self._gate.signed_in(_cookie(scope, STAFF_COOKIE))):
            await send({"type": "http.response.start", "status": 403,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(REFUSED_UPLOAD)).encode())]})
            await send({"type": "http.response.body", "body": REFUSED_UPLOAD})
            return
        await self._app(scope, receive, send)


def _cookie(scope: dict, name: str) -> str:
    """The value of cookie `name` in an ASGI request ("" when it has none)."""
    return HTTPConnection(scope).cookies.get(name, "")
