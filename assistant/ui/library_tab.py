"""The Library tab: staff add, update, re-index and remove documents; everyone sees the list.

Every handler that changes anything takes the password as an input and passes the staff gate
on the server first, whatever path the call came by (button, queue API, named or not).
"""

from __future__ import annotations

import logging
from typing import Any

import gradio as gr

from assistant.errors import UserError
from assistant.ingest.pipeline import FileResult
from assistant.library import require_files

log = logging.getLogger(__name__)

DOC_COLUMNS = ["Title", "File", "Zone", "Date", "Chunks", "Ingested (UTC)", "Size (KB)"]
RESULT_COLUMNS = ["File", "Result", "Chunks", "Why"]
LOG_COLUMNS = ["When (UTC)", "Who", "Action", "File", "Result", "Chunks", "Detail"]
ACCEPTED = [".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx"]


def _documents_table(library: Any) -> list[list[Any]]:
    return [[d["title"], d["source"], d["zone"], d["date"], d["chunks"],
             d["ingested_at"][:16].replace("T", " "), round(d["size_bytes"] / 1024, 1)]
            for d in library.documents()]


def _history_table(library: Any) -> list[list[Any]]:
    return [[c["when"][:19].replace("T", " "), c["who"], c["action"], c["source"],
             c["status"], c["chunks"], c.get("detail", "")] for c in library.history()]


def _results_table(results: list[FileResult]) -> list[list[Any]]:
    return [[r.source, r.status, r.chunks, r.reason] for r in results]


def build_library_tab(library: Any, gate: Any) -> tuple[Any, list[Any], list[Any]]:
    """Add the Library tab to the Blocks being built; returns a refresh function and its
    outputs, for the page to call on load, and the change events (for the other tabs to
    follow a change)."""
    with gr.Tab("Library", id="library"):
        if gate.enabled:
            gr.Markdown("Staff can add, update, re-index and remove documents. Every change "
                        "needs the staff password and is written to the change log below.")
        else:
            gr.Markdown("**Read-only.** Changes are switched off because no staff password is "
                        "set. Start the app with `FTZ_ADMIN_PASSWORD=...` to enable uploads "
                        "and removals.", elem_id="ftz-library-readonly")
        documents = gr.Dataframe(
            _documents_table(library), headers=DOC_COLUMNS, interactive=False, wrap=True,
            elem_id="ftz-documents", max_height=420,
            column_widths=["30%", "26%", "14%", "8%", "6%", "10%", "6%"])
        with gr.Group(visible=gate.enabled):
            with gr.Row():
                password = gr.Textbox(label="Staff password", type="password",
                                      elem_id="ftz-password", scale=2)
                who = gr.Textbox(label="Your name (for the change log)", scale=2,
                                 elem_id="ftz-who")
            uploads = gr.File(label="Add or update documents (.md .txt .html .pdf .docx)",
                              file_count="multiple", file_types=ACCEPTED, elem_id="ftz-upload")
            upload_button = gr.Button("Upload and index", variant="primary",
                                      elem_id="ftz-upload-button")
            with gr.Row():
                chosen = gr.Dropdown(label="Documents", multiselect=True,
                                     choices=[d["source"] for d in library.documents()],
                                     elem_id="ftz-chosen", scale=3)
                remove_button = gr.Button("Remove selected", variant="stop",
                                          elem_id="ftz-remove", scale=1)
                reindex_button = gr.Button("Re-index selected", elem_id="ftz-reindex",
                                           variant="secondary", scale=1)
                reindex_all = gr.Button("Re-index all", elem_id="ftz-reindex-all",
                                        variant="secondary", scale=1)
        results = gr.Dataframe(headers=RESULT_COLUMNS, interactive=False, wrap=True,
                               label="Results", elem_id="ftz-results", visible=gate.enabled)
        history = gr.Dataframe(_history_table(library), headers=LOG_COLUMNS,
                               interactive=False, wrap=True, label="Change log",
                               elem_id="ftz-history")

        def refreshed(found: list[FileResult]) -> tuple:
            sources = [d["source"] for d in library.documents()]
            return (_results_table(found), _documents_table(library),
                    gr.update(choices=sources, value=[]), _history_table(library))

        def guarded(secret: str, change, clear_upload: bool = False) -> tuple:
            """Run a change only after the staff gate. A refusal or failure is a warning and
            leaves the tab as it was (an error would blank every output)."""
            extra = (None,) if clear_upload else ()
            try:
                gate.check(secret)
                found = change()
            except UserError as error:
                gr.Warning(str(error))
                return (gr.update(),) * (len(outputs) + len(extra))
            except Exception:
                log.exception("library change failed")
                gr.Warning("The change failed; nothing half-done was kept. See the server log.")
                return (gr.update(),) * (len(outputs) + len(extra))
            return (*refreshed(found), *extra)

        def upload(secret: str, name: str, files: list[Any] | None,
                   progress=gr.Progress()) -> tuple:  # noqa: B008 (Gradio injects it)
            def change() -> list[FileResult]:
                pairs = require_files(files)
                return library.upload(pairs, name or "staff", progress=lambda number, original:
                                      progress((number, len(pairs)), desc=f"Indexing {original}"))
            return guarded(secret, change, clear_upload=True)

        def remove(secret: str, name: str, sources: list[str] | None) -> tuple:
            def change() -> list[FileResult]:
                if not sources:
                    raise UserError("Select the documents to remove first.")
                return library.remove(sources, name or "staff")
            return guarded(secret, change)

        def reindex(secret: str, name: str, sources: list[str] | None) -> tuple:
            def change() -> list[FileResult]:
                if not sources:
                    raise UserError("Select the documents to re-index first.")
                return library.reindex(sources, name or "staff")
            return guarded(secret, change)

        def reindex_everything(secret: str, name: str) -> tuple:
            return guarded(secret, lambda: library.reindex(None, name or "staff"))

        def show() -> tuple:
            return refreshed([])[1:]

        outputs = [results, documents, chosen, history]
        private = {"api_visibility": "private", "concurrency_id": "library",
                   "concurrency_limit": 1}
        # a done upload empties the file box, so the same files are not sent again
        changes = [
            upload_button.click(upload, [password, who, uploads], [*outputs, uploads],
                                **private),
            remove_button.click(remove, [password, who, chosen], outputs, **private),
            reindex_button.click(reindex, [password, who, chosen], outputs, **private),
            reindex_all.click(reindex_everything, [password, who], outputs, **private)]
    return show, [documents, chosen, history], changes
