"""The PDFs a citation opens at its page: only a PDF file directly in the docs folder."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.contract import Citation
from assistant.ui.documents_route import ROUTE, document_link, pdf_handler
from assistant.ui.render import source_card

PDF = b"%PDF-1.4\n% a tiny stand-in\n"


def _client(tmp_path: Path) -> TestClient:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "brief.pdf").write_bytes(PDF)
    (docs / "notes.md").write_text("# not a PDF\n")
    (tmp_path / "secret.pdf").write_bytes(PDF)
    (docs / "link.pdf").symlink_to(tmp_path / "secret.pdf")
    app = FastAPI()
    app.add_api_route(ROUTE, pdf_handler(docs), methods=["GET"])
    return TestClient(app)


def test_a_pdf_in_the_docs_folder_is_served_inline(tmp_path: Path) -> None:
    served = _client(tmp_path).get("/documents/brief.pdf")
    assert served.status_code == 200 and served.content == PDF
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["content-disposition"] == "inline"


def test_nothing_else_is_served(tmp_path: Path) -> None:
    # class: a document route that reaches files outside the docs folder, or other types
    client = _client(tmp_path)
    for path in ("/documents/notes.md", "/documents/link.pdf", "/documents/..%2Fsecret.pdf",
                 "/documents/missing.pdf", "/documents/%2E%2E%2Fsecret.pdf"):
        assert client.get(path).status_code == 404, path


def test_a_pdf_citation_links_to_its_page() -> None:
    assert document_link("brief.pdf", 3) == "/documents/brief.pdf#page=3"
    assert document_link("a b.pdf", 1) == "/documents/a%20b.pdf#page=1"
    assert document_link("notes.md", 2) == "" and document_link("sub/x.pdf", 2) == ""
    card = source_card(Citation(1, "brief.pdf", "Brief", "", 3, "It covers 5 km².", None))
    assert 'href="/documents/brief.pdf#page=3"' in card and "Open page 3 of the PDF" in card
    web = source_card(Citation(1, "notes.md", "Notes", "", None, "x", "https://example.org/n"))
    assert "/documents/" not in web
