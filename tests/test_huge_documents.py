"""A huge document of one line beside an ordinary one: its 5 MB form in-process with the fake
embedding, its 0.25 MB form with the real model and the CLI (a file of its own, so that a second
test worker can take it while the other faults run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes import extractive_engine
from tests.test_faults import run, summary

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.long]

QINGDAO = "How large is the Qingdao area of the Shandong FTZ?"
QINGDAO_SHEET = ("---\ntitle: Qingdao Area Fact Sheet\nzone: Shandong FTZ / Qingdao Area\n---\n"
                 "# Qingdao Area Fact Sheet\n\n## Area\n\n"
                 "The Qingdao area of the Shandong FTZ covers 52 square kilometres.\n")
HUGE_LINE = "The Ningbo test area covers 12.5 square kilometres and handles bonded repair "


def one_line_document(folder: Path, megabytes: float) -> None:
    """The Qingdao sheet beside a document of one line of `megabytes`, repeating one clause."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "qingdao.md").write_text(QINGDAO_SHEET)
    size = int(megabytes * 1024 * 1024)
    (folder / "ningbo-one-line.txt").write_text(
        (HUGE_LINE * (size // len(HUGE_LINE) + 1))[:size])


def test_a_five_megabyte_single_line_document_neither_crashes_nor_hangs(
    tmp_path: Path, ingestor, store, lexical, fake_embeddings,
) -> None:
    # Reading, repairing, screening, chunking and storing its ~14,000 chunks, in-process with the
    # fake embedding (the real model would take minutes over them: the next test gives it a
    # smaller such document)
    one_line_document(tmp_path / "five", 5)
    results = ingestor.ingest(sorted((tmp_path / "five").iterdir()))
    assert [(r.source, r.status) for r in results] == [
        ("ningbo-one-line.txt", "added"), ("qingdao.md", "added")]
    assert results[0].chunks > 5_000
    answer = extractive_engine(store, lexical, fake_embeddings).answer(QINGDAO)
    assert "52 square kilometres" in answer.answer
    assert [c.source for c in answer.citations] == ["qingdao.md"]


def test_other_documents_still_answer_beside_a_huge_one_line_document(tmp_path: Path) -> None:
    # With the real model and the CLI as a user runs it: hundreds of near-identical vectors
    # (about 700 chunks) beside the sheet's few. A thousand once hid the sheet's sentences
    # from Chroma's filtered vector search, differently in each process. Dense search now
    # compares the question with every vector in memory (below
    # FTZ_RETRIEVAL__EXACT_SEARCH_LIMIT), the same in every process: one ask tells.
    one_line_document(tmp_path / "docs", 0.25)
    done = run(tmp_path / "index", "ingest", str(tmp_path / "docs"), timeout=900)
    assert done.returncode == 0 and summary(done.stdout) == {"added": 2}, done.stdout
    answer = run(tmp_path / "index", "ask", QINGDAO)
    assert answer.returncode == 0, answer.stderr
    assert "52 square kilometres" in answer.stdout, answer.stdout
    assert "qingdao.md" in answer.stdout
