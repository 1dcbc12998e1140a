"""FTZ_CHROMA_URL: every read and write goes to a real Chroma server (`chroma run`), nothing to
an embedded index; a server that is down is one clear line, and the commands recover."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import launcher
from tests.conftest import DOCS
from tests.serving import free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]
CHROMA = Path(sys.executable).with_name("chroma")
# the two documents asked about and two others about the same zones (the whole of docs/ is
# ingested by other tests; here the server is what is tested)
SOME_DOCS = ("dalian-ftz-5th-anniversary-2022.md", "fujian-ftz-overview-ipim-macao.md",
             "dalian-ftz-new-measures-2-0.md",
             "fujian-ftz-xiamen-fuzhou-pingtan-areas-profile-2024.txt")


class ChromaServer:
    """`chroma run` on a free loopback port, stoppable and restartable on the same data."""

    def __init__(self, path: Path) -> None:
        self.path, self.port = path, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1",
             "--port", str(self.port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("chroma run did not start")

    def stop(self) -> None:
        if self._process:
            self._process.terminate()
            self._process.wait(timeout=30)
            self._process = None


@pytest.fixture
def chroma(tmp_path: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path / "chroma-data")
    server.start()
    yield server
    server.stop()


def run(url: str, index: Path, *args: str, code: int = 0) -> subprocess.CompletedProcess:
    env = {**os.environ, "FTZ_CHROMA_URL": url, "FTZ_INDEX_DIR": str(index),
           "HF_HUB_OFFLINE": "1"}
    done = launcher.run(args, env=env)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == code, done.stderr
    return done


def test_ingest_list_and_ask_go_to_the_server(chroma: ChromaServer, tmp_path: Path) -> None:
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    for name in SOME_DOCS:
        shutil.copy2(DOCS / name, docs / name)
    assert f"{len(SOME_DOCS)} added" in run(chroma.url, index, "ingest", str(docs)).stdout
    assert not (index / "chroma").exists()  # nothing embedded: the chunks live on the server
    listed = json.loads(run(chroma.url, index, "list", "--json").stdout)
    assert sorted(row["source"] for row in listed) == sorted(SOME_DOCS)
    answer = json.loads(run(chroma.url, index, "ask", "--json",
                            "How large is the Xiamen area of the Fujian FTZ?").stdout)
    assert answer["found"] and "43.78" in answer["answer"]
    # a second app instance with its own side files sees the same index on the server
    other = tmp_path / "other-instance"
    answer = json.loads(run(chroma.url, other, "ask", "--json",
                            "How big is the planned area of the Dalian Free Trade Area?").stdout)
    assert "59.96" in answer["answer"]


def test_a_server_that_is_down_is_one_clear_line_and_commands_recover(
    chroma: ChromaServer, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    run(chroma.url, index, "ingest", str(DOCS / "fujian-ftz-overview-ipim-macao.md"))
    chroma.stop()
    for args in (("list",), ("ask", "How large is the Xiamen area?"),
                 ("ingest", str(DOCS / "dalian-ftz-new-measures-2-0.md"))):
        down = run(chroma.url, index, *args, code=2)
        assert down.stderr.strip().count("\n") == 0, down.stderr
        assert "Chroma" in down.stderr and chroma.url in down.stderr
    chroma.start()
    assert "fujian-ftz-overview-ipim-macao.md" in run(chroma.url, index, "list").stdout


def test_an_instance_sees_what_another_instance_changed(
    chroma: ChromaServer, tmp_path: Path
) -> None:
    from assistant.config import load_settings
    from assistant.lexical import fingerprint
    from assistant.wiring import Components

    def instance(name: str) -> Components:
        return Components(load_settings(chroma_url=chroma.url, index_dir=tmp_path / name,
                                        refresh_seconds=0))

    writer, reader = instance("writer"), instance("reader")
    writer.ingestor.ingest([DOCS / "fujian-ftz-overview-ipim-macao.md"])
    assert reader.engine.answer("How large is the Xiamen area?").found
    writer.ingestor.ingest([DOCS / "dalian-ftz-new-measures-2-0.md"])
    answer = reader.engine.answer("How many measures are in Dalian's Support Free Trade 2.0?")
    assert "43" in answer.answer
    assert reader.lexical.fingerprint == fingerprint(reader.store.chunk_ids())
    sources = {m.citation["source"] for m in reader.catalogue.measures}
    assert "dalian-ftz-new-measures-2-0.md" in sources
