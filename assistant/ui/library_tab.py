"""The Library tab: everyone sees the document list; staff sign in once (a session held on the
server for this page) and then add, update, re-index and remove documents.

Every handler that changes anything passes the staff gate with the page's session on the
server first, whatever path the call came by. Removing and re-indexing ask for confirmation;
a removal can be undone (its set-aside file is indexed again). The change log is staff data
and is shown only to a signed-in page.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.errors import UserError
from assistant.ingest.pipeline import FileResult
from assistant.library import require_files
from assistant.ui.failures import said
from assistant.ui.i18n import both, t
from assistant.ui.tables import table_html
from assistant.ui.uploads import STAFF_COOKIE, discard

if TYPE_CHECKING:
    from assistant.access import StaffGate
    from assistant.library import Library

DOC_COLUMNS = [("Title", "标题"), ("File", "文件"), ("Zone", "自贸试验区"), ("Date", "日期"),
               ("Chunks", "分块"), ("Ingested (UTC)", "收录时间（UTC）"),
               ("Size (KB)", "大小（KB）")]
RESULT_COLUMNS = [("File", "文件"), ("Result", "结果"), ("Chunks", "分块"), ("Why", "原因")]
LOG_COLUMNS = [("When (UTC)", "时间（UTC）"), ("Who", "操作人"), ("Action", "操作"),
               ("File", "文件"), ("Result", "结果"), ("Chunks", "分块"), ("Detail", "说明")]
ACCEPTED = [".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx"]
# what each confirmed change does, as the confirmation says it
CONFIRMING = {
    "remove": ("Remove", "They stop being cited at once. Their files are set aside, and the "
                         "removal can be undone.",
               "删除", "删除后立即不再被引用；文件会被另行保存，可以撤销。"),
    "reindex": ("Re-index", "Their text is read and embedded again from their files; answers "
                            "keep working meanwhile.",
                "重建索引", "将从文件重新读取文本并生成向量；期间仍可正常回答。"),
}


def documents_html(documents: list[dict[str, Any]]) -> str:
    rows = [[d["title"], d["source"], d["zone"], d["date"], d["chunks"],
             d["ingested_at"][:16].replace("T", " "), round(d["size_bytes"] / 1024, 1)]
            for d in documents]
    return table_html(DOC_COLUMNS, rows, (f"Indexed documents ({len(rows)})",
                                          f"已收录的文件（{len(rows)}）"),
                      empty=("No documents are indexed yet.", "尚未收录任何文件。"))


def history_html(library: Library) -> str:
    rows = [[c["when"][:19].replace("T", " "), c["who"], c["action"], c["source"],
             c["status"], c["chunks"], c.get("detail", "")] for c in library.history()]
    return table_html(LOG_COLUMNS, rows, ("Change log (newest first)", "变更日志（最新在前）"),
                      empty=("No changes yet.", "暂无变更。"))


def results_html(results: list[FileResult]) -> str:
    rows = [[r.source, r.status, r.chunks, r.reason] for r in results]
    return table_html(RESULT_COLUMNS, rows, ("Results of the last change", "上次变更的结果"),
                      empty=("", ""))


# the page keeps its staff session in a cookie for Gradio's upload route (`StaffOnlyUploads`);
# an empty token deletes it
SET_UPLOAD_COOKIE = f"""(token) => {{
  document.cookie = "{STAFF_COOKIE}=" + (token || "") + "; path=/; SameSite=Strict"
    + (token ? "" : "; max-age=0");
}}"""


def client_of(request: gr.Request | None) -> str:
    """Who is signing in, for the back-off: the client's address, else its page session."""
    host = getattr(getattr(request, "client", None), "host", None)
    return str(host or getattr(request, "session_hash", None) or "")


def _names(sources: list[str]) -> str:
    return ", ".join(f"<strong>{html.escape(s)}</strong>" for s in sources)


def build_library_tab(library: Library, gate: StaffGate) -> tuple[Any, list[Any], list[Any]]:
    """Add the Library tab to the Blocks being built; returns a refresh function and its
    outputs, for the page to call on load, and the change events (for the other tabs to
    follow a change)."""
    with gr.Tab(t("tab.library"), id="library"):
        session = gr.State("")  # this page's staff session token (kept on the server)
        # ... and handed to the page once, for the cookie that opens Gradio's upload route
        upload_pass = gr.Textbox(visible=False, elem_id="ftz-upload-pass")
        pending = gr.State(None)  # the change awaiting confirmation: (action, sources)
        undoable = gr.State([])  # the documents of the last removal
        if gate.enabled:
            gr.Markdown(t("library.intro"))
        else:
            gr.Markdown(t("library.readonly"), elem_id="ftz-library-readonly")
        # (filled when the page loads: a list made now would be stale by then)
        documents = gr.HTML(elem_id="ftz-documents")
        with gr.Accordion(t("library.sign_in_panel"), open=False, visible=gate.enabled,
                          elem_id="ftz-signin") as signin:
            with gr.Row(equal_height=True):
                password = gr.Textbox(label=t("library.password"), type="password", scale=3,
                                      elem_id="ftz-password")
                sign_in_button = gr.Button(t("library.sign_in"), variant="primary", scale=1,
                                           elem_id="ftz-sign-in")
        with gr.Column(visible=False, elem_id="ftz-staff") as staff:
            with gr.Row(equal_height=True):
                who = gr.Textbox(label=t("library.who"), scale=3,
                                 elem_id="ftz-who")
                sign_out_button = gr.Button(t("library.sign_out"), scale=1, size="sm",
                                            elem_id="ftz-sign-out")
            uploads = gr.File(label=t("library.upload"),
                              file_count="multiple", file_types=ACCEPTED, elem_id="ftz-upload")
            upload_button = gr.Button(t("library.upload_button"), variant="primary",
                                      elem_id="ftz-upload-button")
            with gr.Row():
                chosen = gr.Dropdown(label=t("library.documents"), multiselect=True,
                                     choices=[], elem_id="ftz-chosen", scale=3)
                remove_button = gr.Button(t("library.remove"), variant="stop",
                                          elem_id="ftz-remove", scale=1)
                reindex_button = gr.Button(t("library.reindex"), elem_id="ftz-reindex",
                                           variant="secondary", scale=1)
                reindex_all = gr.Button(t("library.reindex_all"), elem_id="ftz-reindex-all",
                                        variant="secondary", scale=1)
            with gr.Column(visible=False, elem_id="ftz-confirm", variant="panel") as confirm_box:
                confirm_text = gr.Markdown()
                with gr.Row():
                    confirm_button = gr.Button(t("library.confirm.remove"), variant="stop",
                                               elem_id="ftz-confirm-yes")
                    cancel_button = gr.Button(t("library.cancel"), elem_id="ftz-confirm-no")
            with gr.Column(visible=False, elem_id="ftz-undo", variant="panel") as undo_box:
                undo_text = gr.Markdown()
                undo_button = gr.Button(t("library.undo"), elem_id="ftz-undo-button")
            results = gr.HTML(elem_id="ftz-results")
            history = gr.HTML(elem_id="ftz-history")

        def changed(found: list[FileResult], extra: tuple = ()) -> tuple:
            documents_now = library.documents()  # (read once: the list and the choices)
            return (results_html(found), documents_html(documents_now),
                    gr.update(choices=[d["source"] for d in documents_now], value=[]),
                    history_html(library), *extra)

        def attempt(token: str, change) -> list[FileResult] | None:
            """Run a change only for a live staff session; None when it was refused or
            failed (said in a warning: an error would blank every output)."""
            try:
                gate.allow(token)
                return change()
            except UserError as error:
                gr.Warning(said(error, "changing the library"))
            except Exception as error:
                said(error, "changing the library")
                gr.Warning("The change failed; nothing half-done was kept. See the server log.")
            return None

        def guarded(token: str, change, extra: tuple = ()) -> tuple:
            """The tab after a change, or left as it was when the change did not happen."""
            found = attempt(token, change)
            if found is None:
                return (gr.update(),) * (len(outputs) + len(extra))
            return changed(found, extra)

        def sign_in(secret: str, request: gr.Request) -> tuple:
            client = client_of(request)
            try:
                token = gate.sign_in(secret, client)
            except UserError as error:  # (logged with the client, in one line)
                gr.Warning(said(error, f"signing in from {client or 'an unknown client'}"))
                return gr.update(), gr.update(), "", gr.update(), gr.update(), gr.update()
            return (token, token, "", gr.update(visible=False), gr.update(visible=True),
                    history_html(library))

        def sign_out(token: str) -> tuple:
            gate.sign_out(token)
            return ("", "", gr.update(visible=True), gr.update(visible=False), "", "",
                    gr.update(visible=False), gr.update(visible=False), None, [])

        def upload(token: str, name: str, files: list[Any] | None,
                   progress=gr.Progress()) -> tuple:  # noqa: B008 (Gradio injects it)
            def change() -> list[FileResult]:
                pairs = require_files(files)
                return library.upload(pairs, name or "staff", progress=lambda number, original:
                                      progress((number, len(pairs)), desc=f"Indexing {original}"))
            try:
                found = attempt(token, change)
            finally:  # whatever happened (the library keeps its own copies)
                discard(files)
            # the files leave the box: sent, they are not sent twice; refused, they are gone
            if found is None:
                return (*(gr.update(),) * len(outputs), None)
            return changed(found, extra=(None,))

        def ask_first(action: str):
            def to_confirm(token: str, sources: list[str] | None) -> tuple:
                everything = sources is None
                try:
                    gate.allow(token)
                    if not everything and not sources:
                        raise UserError(f"Select the documents to "
                                        f"{CONFIRMING[action][0].lower()} first.")
                except UserError as error:
                    gr.Warning(str(error))
                    return gr.update(), gr.update(), gr.update(), gr.update()
                verb, consequence, verb_zh, consequence_zh = CONFIRMING[action]
                count = len(library.documents())
                what = f"all {count} documents" if everything else _names(sources)
                what_zh = f"全部 {count} 份文件" if everything else _names(sources)
                return ((action, None if everything else list(sources)),
                        gr.update(visible=True),
                        both(f"{verb} {what}? {consequence}",
                             f"{verb_zh}{what_zh}？{consequence_zh}"),
                        gr.update(value=t(f"library.confirm.{action}")))
            return to_confirm

        def confirm(token: str, name: str, waiting: tuple | None) -> tuple:
            hide = (gr.update(visible=False), None)
            if not waiting:
                return (*(gr.update(),) * len(outputs), *hide, gr.update(), gr.update(), [])
            action, sources = waiting
            if action == "remove":
                found = attempt(token, lambda: library.remove(sources, name or "staff"))
            else:
                found = attempt(token, lambda: library.reindex(sources, name or "staff"))
            if found is None:
                return (*(gr.update(),) * len(outputs), *hide, gr.update(), gr.update(),
                        gr.update())
            gone = [r.source for r in found if r.status == "removed"]
            return changed(found, (*hide, gr.update(visible=bool(gone)),
                                   both(f"Removed {_names(gone)}.", f"已删除 {_names(gone)}。")
                                   if gone else "", gone))

        def cancel() -> tuple:
            return gr.update(visible=False), None

        def undo(token: str, name: str, sources: list[str]) -> tuple:
            def change() -> list[FileResult]:
                if not sources:
                    raise UserError("There is no removal to undo.")
                return library.restore(sources, name or "staff")
            return guarded(token, change, extra=(gr.update(visible=False), []))

        def show() -> tuple:
            try:
                documents_now = library.documents()
            except UserError as error:  # a damaged or unreachable index: said in its place
                return (f'<p class="ftz-table-empty">⚠️ '
                        f'{html.escape(said(error, "listing the documents"))}</p>',
                        gr.update())
            return documents_html(documents_now), gr.update(
                choices=[d["source"] for d in documents_now])

        outputs = [results, documents, chosen, history]
        private = {"api_visibility": "private", "concurrency_id": "library",
                   "concurrency_limit": 1}
        # a sign-in never waits (a client in back-off is refused at once), and has its own
        # slots, not the library's
        signing = {"api_visibility": "private", "concurrency_id": "staff-sign-in",
                   "concurrency_limit": 4}
        for trigger in (sign_in_button.click, password.submit):
            trigger(sign_in, password, [session, upload_pass, password, signin, staff, history],
                    **signing).then(None, upload_pass, None, js=SET_UPLOAD_COOKIE)
        sign_out_button.click(sign_out, session, [session, upload_pass, signin, staff, results,
                                                  history, confirm_box, undo_box, pending,
                                                  undoable],
                              api_visibility="private").then(None, upload_pass, None,
                                                             js=SET_UPLOAD_COOKIE)
        confirming = [confirm_box, confirm_text, confirm_button]
        remove_button.click(ask_first("remove"), [session, chosen], [pending, *confirming],
                            api_visibility="private")
        reindex_button.click(ask_first("reindex"), [session, chosen], [pending, *confirming],
                             api_visibility="private")
        reindex_all.click(lambda token: ask_first("reindex")(token, None), session,
                          [pending, *confirming], api_visibility="private")
        cancel_button.click(cancel, None, [confirm_box, pending], api_visibility="private")
        changes = [
            upload_button.click(upload, [session, who, uploads], [*outputs, uploads],
                                **private),
            confirm_button.click(confirm, [session, who, pending],
                                 [*outputs, confirm_box, pending, undo_box, undo_text,
                                  undoable], **private),
            undo_button.click(undo, [session, who, undoable], [*outputs, undo_box, undoable],
                              **private)]
    return show, [documents, chosen], changes
