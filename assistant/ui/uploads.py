"""The temporary copies Gradio keeps of uploaded files: deleted by the handler that received
them once it is done, whatever the outcome (only inside Gradio's upload folder)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from gradio.utils import get_upload_folder

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
