"""The indexed PDFs served to the browser, so that a citation's page opens at that page
(`/documents/NAME.pdf#page=N`). Only a regular PDF file directly inside the docs folder is
served, by its exact name: no folders, no links out of the folder, no other types."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import HTTPException
from fastapi.responses import FileResponse

ROUTE = "/documents/{name}"


def document_link(source: str, page: int | None) -> str:
    """Where the app serves a cited PDF, at its page; "" for anything that is not a PDF."""
    if not source.lower().endswith(".pdf") or "/" in source or "\\" in source:
        return ""
    return f"/documents/{quote(source)}" + (f"#page={page}" if page else "")


def pdf_handler(docs_dir: Path):
    """The request handler for ROUTE over `docs_dir`."""
    folder = docs_dir.resolve()

    def serve(name: str) -> FileResponse:
        path = folder / name
        if (Path(name).name != name or not name.lower().endswith(".pdf") or path.is_symlink()
                or not path.is_file() or path.resolve().parent != folder):
            raise HTTPException(status_code=404, detail="no such document")
        return FileResponse(path, media_type="application/pdf",
                            headers={"Content-Disposition": "inline",
                                     "X-Content-Type-Options": "nosniff"})

    return serve
