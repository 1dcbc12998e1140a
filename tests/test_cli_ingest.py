"""The ingest/list/remove commands as a user runs them: real model, real Chroma, real processes."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests import launcher
from tests.conftest import SHIPPED, copy_index

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def run(index: Path, *args: str, check_code: int | None = 0) -> subprocess.CompletedProcess:
    env = {**os.environ, "FTZ_INDEX_DIR": str(index), "HF_HUB_OFFLINE": "1",
           "FTZ_DOCS_DIR": str(index.parent / "docs")}
    done = launcher.run(args, env=env)
    assert "Traceback" not in done.stderr, done.stderr
    if check_code is not None:
        assert done.returncode == check_code, done.stderr
    return done


def listed(index: Path) -> dict[str, dict]:
    return {row["source"]: row for row in json.loads(run(index, "list", "--json").stdout)}


def test_ingest_is_idempotent_and_remove_and_list_behave(docs_copy: Path, tmp_path: Path,
                                                         shipped_index: Path) -> None:
    index = copy_index(shipped_index, tmp_path / "index")  # (docs/ ingested by the same command)
    # the ingest left the index ready to answer: the term vectors beside it too
    terms = json.loads((index / "terms" / "terms.json").read_text(encoding="utf-8"))
    assert "enterpris" in terms["terms"]
    before = listed(index)
    assert len(before) == SHIPPED and "SOURCES.md" not in before
    assert before["dalian-ftz-new-measures-2-0.md"]["title"].startswith("Dalian's")

    second = run(index, "ingest", str(docs_copy))
    assert f"{SHIPPED} unchanged" in second.stdout
    assert listed(index) == before

    (docs_copy / "fujian-ftz-overview-ipim-macao.md").write_text(
        "---\ntitle: Fujian short\n---\n# Fujian short\n\nThe Xiamen area covers 43.78 km².\n")
    third = run(index, "ingest", str(docs_copy))
    assert "1 updated" in third.stdout and f"{SHIPPED - 1} unchanged" in third.stdout
    assert listed(index)["fujian-ftz-overview-ipim-macao.md"]["chunks"] == 1

    run(index, "remove", "fujian-ftz-overview-ipim-macao.md")
    assert "fujian-ftz-overview-ipim-macao.md" not in listed(index)
    assert not (docs_copy / "fujian-ftz-overview-ipim-macao.md").exists()  # set aside
    assert list((index / "removed").glob("*-fujian-ftz-overview-ipim-macao.md"))
    missing = run(index, "remove", "no-such-file.md", check_code=1)
    assert "no-such-file.md" in missing.stderr


def test_a_batch_with_bad_files_still_ingests_the_good_ones(tmp_path: Path) -> None:
    import docx

    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.txt").write_text("The Ningbo area cleared 4,500 ships in 2022.\n")
    (batch / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(2048))
    docx.Document().save(batch / "empty.docx")
    (batch / "picture.md").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(1024))
    done = run(tmp_path / "index", "ingest", str(batch), check_code=1)
    skipped = [line for line in done.stderr.splitlines() if line.startswith("skipped ")]
    assert sorted(line.split(":")[0] for line in skipped) == [
        "skipped corrupt.pdf", "skipped empty.docx", "skipped picture.md"]
    assert "1 added" in done.stdout and "3 rejected" in done.stdout
    assert set(listed(tmp_path / "index")) == {"good.txt"}


def test_user_mistakes_are_one_line_without_traceback(tmp_path: Path) -> None:
    done = run(tmp_path / "index", "ingest", str(tmp_path / "missing-folder"), check_code=2)
    assert done.stderr.strip().count("\n") == 0
    assert "no such file or folder" in done.stderr
    bad_url = run(tmp_path / "index", "--chroma-url", "http://127.0.0.1:9", "list",
                  check_code=2)
    assert "Chroma" in bad_url.stderr and bad_url.stderr.strip().count("\n") == 0
