"""Staff library operations and the staff gate, on a real Chroma with the fake embedding."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from assistant.access import AccessDenied, StaffGate
from assistant.answering.engine import AnswerEngine
from assistant.lexical import fingerprint
from assistant.library import Library, safe_name
from tests.fakes import extractive_engine

SHEET = """---
title: Wenzhou Area Fact Sheet
zone: Zhejiang FTZ / Wenzhou Area
---
# Wenzhou Area Fact Sheet

## Size
The Wenzhou Area covers 37.21 square kilometres of reclaimed coast.
"""


@pytest.fixture
def library(ingestor, store, settings) -> Library:
    return Library(ingestor, store, settings.docs_dir, settings.index_dir,
                   max_upload_bytes=64 * 1024)


@pytest.fixture
def engine(store, lexical, fake_embeddings) -> AnswerEngine:
    return extractive_engine(store, lexical, fake_embeddings)


def _upload(tmp_path: Path, name: str, content: bytes | str) -> tuple[str, Path]:
    path = tmp_path / "incoming" / f"tmp-{abs(hash(name))}"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return name, path


def _state(library: Library, store) -> tuple:
    return ([d["source"] for d in library.documents()], sorted(store.chunk_ids()))


def test_upload_makes_a_document_answerable_and_is_logged(
    library: Library, engine: AnswerEngine, settings, tmp_path: Path
) -> None:
    [result] = library.upload([_upload(tmp_path, "wenzhou.md", SHEET)], who="Li")
    assert result.status == "added"
    assert (settings.docs_dir / "wenzhou.md").read_text() == SHEET
    answer = engine.answer("How large is the Wenzhou Area?")
    assert answer.found and "37.21" in answer.answer
    assert answer.citations[0].source == "wenzhou.md"
    [change] = library.history()
    assert (change["who"], change["action"], change["source"], change["status"]) == (
        "Li", "upload", "wenzhou.md", "added")


def test_an_update_removes_the_old_figures(
    library: Library, engine: AnswerEngine, store, tmp_path: Path
) -> None:
    library.upload([_upload(tmp_path, "wenzhou.md", SHEET)], who="Li")
    [result] = library.upload([_upload(tmp_path, "wenzhou.md",
                                       SHEET.replace("37.21", "41.05"))], who="Li")
    assert result.status == "updated"
    texts = " ".join(hit.text for hit in store.iter_chunks())
    assert "41.05" in texts and "37.21" not in texts
    assert "41.05" in engine.answer("How large is the Wenzhou Area?").answer


def test_remove_takes_a_document_out_and_sets_its_file_aside(
    library: Library, engine: AnswerEngine, settings, tmp_path: Path
) -> None:
    library.upload([_upload(tmp_path, "wenzhou.md", SHEET)], who="Li")
    [result] = library.remove(["wenzhou.md"], who="Li")
    assert result.status == "removed"
    assert not (settings.docs_dir / "wenzhou.md").exists()
    assert list((settings.index_dir / "removed").glob("*-wenzhou.md"))
    answer = engine.answer("How large is the Wenzhou Area?")
    assert not any(c.source == "wenzhou.md" for c in answer.citations + answer.related)


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("big.md", "x" * (70 * 1024), "too large"),
    ("photo.pdf", b"\x89PNG\r\n\x1a\n" + bytes(100), "not a valid PDF"),
    ("notes.docx", b"just some text, not a zip", "not a valid DOCX"),
    ("binary.txt", b"abc\x00\x01\x02" * 10, "binary"),
    ("run.exe", b"MZ\x90\x00", "unsupported"),
    ("empty.md", b"", "empty"),
])
def test_bad_uploads_are_rejected_and_nothing_else_changes(
    library: Library, store, ingestor, docs_copy, tmp_path: Path, name, content, reason
) -> None:
    ingestor.ingest([docs_copy / "fujian-ftz-overview-ipim-macao.md"])
    before = _state(library, store)
    [result] = library.upload([_upload(tmp_path, name, content)], who="x")
    assert result.status == "rejected" and reason in result.reason
    assert _state(library, store) == before


def test_file_names_are_sanitised(library: Library, settings, tmp_path: Path) -> None:
    assert safe_name("../../etc/passwd.md") == "passwd.md"
    assert safe_name("..\\..\\windows\\evil name!.TXT") == "evil-name.txt"
    assert safe_name(".hidden.md") == "hidden.md"
    [result] = library.upload([_upload(tmp_path, "../../outside.md", SHEET)], who="x")
    assert result.source == "outside.md"
    assert (settings.docs_dir / "outside.md").exists()
    assert not (tmp_path / "outside.md").exists()


def test_a_failed_ingest_keeps_the_old_version_whole(
    library: Library, store, tmp_path: Path, monkeypatch
) -> None:
    library.upload([_upload(tmp_path, "wenzhou.md", SHEET)], who="x")
    before = sorted(store.chunk_ids())

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "upsert_chunks", broken)
    with pytest.raises(RuntimeError):
        library.upload([_upload(tmp_path, "wenzhou.md", SHEET.replace("37.21", "99.99"))],
                       who="x")
    monkeypatch.undo()
    assert sorted(store.chunk_ids()) == before
    state = store.document_state("wenzhou.md")
    assert len(state.hashes) == 1 and len(state.sentence_ids) == state.expected_sentences


def test_two_staff_uploading_at_once_do_not_corrupt_the_index(
    library: Library, store, lexical, tmp_path: Path
) -> None:
    batches = [[_upload(tmp_path, f"zone-{who}-{n}.md", SHEET.replace("Wenzhou", f"Zone{who}{n}"))
                for n in range(4)] for who in ("a", "b")]
    threads = [threading.Thread(target=library.upload, args=(batch, f"staff-{i}"))
               for i, batch in enumerate(batches)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(library.documents()) == 8
    ids = store.chunk_ids()
    assert len(ids) == len(set(ids))
    assert lexical.fingerprint == fingerprint(ids)
    assert len(library.history()) == 8


def test_the_gate_refuses_wrong_and_missing_passwords_and_backs_off() -> None:
    now = [100.0]
    gate = StaffGate("correct horse", clock=lambda: now[0])
    gate.check("correct horse", "a")
    with pytest.raises(AccessDenied, match="Wrong staff password"):
        gate.check("wrong", "a")
    with pytest.raises(AccessDenied, match=r"Too many wrong passwords: try again in 1 s"):
        gate.check("correct horse", "a")  # in back-off: the password is not even looked at
    now[0] += 1.5
    with pytest.raises(AccessDenied, match="Wrong staff password"):
        gate.check("wrong again", "a")
    with pytest.raises(AccessDenied, match=r"try again in 2 s"):  # (doubled)
        gate.check("wrong", "a")
    for missing in ("", None):  # class: an empty password answered "Wrong staff password"
        with pytest.raises(AccessDenied, match="Type the staff password first"):
            gate.check(missing, "b")


def test_without_a_password_the_library_is_read_only() -> None:
    gate = StaffGate(None)
    assert not gate.enabled
    with pytest.raises(AccessDenied, match="FTZ_ADMIN_PASSWORD"):
        gate.check("anything")


def test_remove_leaves_a_different_file_of_the_same_name_alone(
    library: Library, ingestor, settings, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere" / "wenzhou.md"
    elsewhere.parent.mkdir()
    elsewhere.write_text(SHEET)
    ingestor.ingest([elsewhere])
    settings.docs_dir.mkdir(exist_ok=True)
    (settings.docs_dir / "wenzhou.md").write_text("# Another document of the same name\n")
    [result] = library.remove(["wenzhou.md"], who="x")
    assert result.status == "removed"
    assert (settings.docs_dir / "wenzhou.md").exists()


def test_a_removal_is_undone_by_restoring_its_set_aside_file(
    library: Library, engine: AnswerEngine, settings, tmp_path: Path
) -> None:
    library.upload([_upload(tmp_path, "wenzhou.md", SHEET)], who="Li")
    library.upload([_upload(tmp_path, "x-wenzhou.md", "# Old\n\nAn old note.\n")], who="Li")
    library.remove(["x-wenzhou.md", "wenzhou.md"], who="Li")  # (sorts after wenzhou.md)
    assert not engine.answer("How large is the Wenzhou Area?").found
    [result] = library.restore(["wenzhou.md"], who="Li")
    assert (result.status, result.chunks > 0) == ("restored", True)
    assert (settings.docs_dir / "wenzhou.md").read_text() == SHEET
    assert [p.name.split("-", 1)[1] for p in (settings.index_dir / "removed").iterdir()] == [
        "x-wenzhou.md"]
    assert "37.21" in engine.answer("How large is the Wenzhou Area?").answer
    assert library.history()[0]["action"] == "restore"
    # nothing left to restore, and a document of that name in the library, are refusals
    [again] = library.restore(["wenzhou.md"], who="Li")
    assert (again.status, again.reason) == ("rejected", "a document of that name is in the library")
    [never] = library.restore(["never-removed.md"], who="Li")
    assert (never.status, never.reason) == ("rejected", "no removed copy is kept")


def test_a_staff_session_allows_changes_until_it_ends_or_is_signed_out() -> None:
    now = [100.0]
    gate = StaffGate("correct horse", session_minutes=1, clock=lambda: now[0])
    for missing in ("", None, "made-up-token"):
        with pytest.raises(AccessDenied, match="Sign in as staff first"):
            gate.allow(missing)
    with pytest.raises(AccessDenied, match="Wrong staff password"):
        gate.sign_in("wrong", "a guesser")
    token = gate.sign_in("correct horse")
    gate.allow(token)
    other = gate.sign_in("correct horse")
    assert other != token
    gate.sign_out(token)
    with pytest.raises(AccessDenied):
        gate.allow(token)
    gate.allow(other)
    now[0] += 61  # the session's minute is over
    with pytest.raises(AccessDenied, match="session may have ended"):
        gate.allow(other)


def test_without_a_password_no_session_can_be_had() -> None:
    gate = StaffGate(None)
    with pytest.raises(AccessDenied, match="FTZ_ADMIN_PASSWORD"):
        gate.sign_in("anything")
    with pytest.raises(AccessDenied, match="FTZ_ADMIN_PASSWORD"):
        gate.allow("anything")
