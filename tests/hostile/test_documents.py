"""Hostile documents (a security review's findings): bombs, controls, names and links.

Parsing is measured in a fresh interpreter that imports only the sandbox, so its own and its
worker's peak memory are the parse's; the rest runs the ingest command on a real Chroma with
the fake embedding (the model adds nothing to these questions).
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import time
import zipfile
from itertools import pairwise
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from fpdf import FPDF

from assistant.cli import cli
from assistant.config import load_settings
from assistant.errors import UnreadableDocument
from assistant.ingest.chunking import SentenceChunker
from assistant.ingest.loaders import (
    MAX_UNZIPPED_BYTES,
    MAX_ZIP_RATIO,
    SNIFF_BYTES,
    load_document,
    sniff,
)
from assistant.ingest.pipeline import Ingestor
from assistant.ingest.sandbox import Sandbox
from assistant.library import Library, safe_name
from assistant.wiring import Components
from tests.conftest import ROOT
from tests.fakes import BagOfWordsEmbeddings, count_words

GIGABYTE_KB = 1024 * 1024
DALIAN = "dalian-ftz-5th-anniversary-2022.md"
# what a terminal or a text field would obey instead of show
HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")

PROBE = """
import json, resource, sys, time
from pathlib import Path
from assistant.errors import UnreadableDocument
from assistant.ingest.sandbox import Sandbox

sandbox = Sandbox(768, 25)
started = time.monotonic()
try:
    [doc] = sandbox(Path(sys.argv[1]))
    outcome = {"title": doc.metadata["title"], "text": doc.page_content}
except UnreadableDocument as error:
    outcome = {"reason": error.reason}
sandbox.close()
outcome["seconds"] = time.monotonic() - started
# this interpreter's own peak (VmHWM): getrusage's ru_maxrss keeps the peak of the process
# it was forked from, across exec (a pytest worker that had held 1.3 GB failed this so)
status = Path("/proc/self/status").read_text()
outcome["self_kb"] = int(status.split("VmHWM:")[1].split()[0])
outcome["children_kb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps(outcome))
"""


def _parse_bounded(path: Path) -> dict:
    """Parse `path` with the default limits in a fresh interpreter; what came out, with the
    peak memory of that interpreter and of its worker (both under 1 GB) and the wall time."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", PROBE, str(path)], cwd=ROOT, timeout=120,
                          capture_output=True, text=True,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"})
    wall = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    assert outcome["self_kb"] < GIGABYTE_KB and outcome["children_kb"] < GIGABYTE_KB, outcome
    assert wall < 30, wall
    return outcome


def _components(store, ingestor: Ingestor, docs: Path, index: Path) -> Components:
    """Components over the given store and ingestor, with the fake embedding (no model is
    loaded: an ingest also prepares the term vectors)."""
    components = Components(load_settings(docs_dir=docs, index_dir=index))
    components.__dict__.update(store=store, ingestor=ingestor, embeddings=BagOfWordsEmbeddings())
    return components


def _ingest(components: Components, *paths: Path) -> tuple[int, list[str]]:
    """Run `ftz-assistant ingest`; its exit code and the lines it wrote to stderr."""
    done = CliRunner().invoke(cli, ["ingest", *map(str, paths)], obj=components,
                              catch_exceptions=False)
    assert "Traceback" not in done.output
    return done.exit_code, done.stderr.splitlines()


def _sources(store) -> set[str]:
    return {meta["source"] for meta in store.chunk_metadatas()}


def _upload(tmp_path: Path, name: str, content: bytes) -> tuple[str, Path]:
    path = tmp_path / "incoming" / f"upload-{len(list(tmp_path.glob('incoming/*')))}"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    return name, path


# ---------------------------------------------------------------- 1. parsing in a sandbox


@pytest.mark.integration  # (parsing workers: real processes)
def test_a_yaml_alias_bomb_is_read_without_its_front_matter(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{b}: &{b} [{','.join([f'*{a}'] * 9)}]" for a, b in pairwise("abcdefghi")]
    bomb = "---\n" + "\n".join(lines) + "\ntitle: *i\n---\n# Ningbo Area\n\nIt opened in 2020.\n"
    path = tmp_path / "laughs.md"
    path.write_text(bomb)
    assert len(bomb.encode()) < 400  # 9**9 values in a few hundred bytes
    outcome = _parse_bounded(path)
    assert outcome["title"] == "Ningbo Area"  # the body's heading: the front matter is unread
    assert outcome["text"] == "# Ningbo Area\n\nIt opened in 2020."


def _padded_docx_bomb(path: Path, inflated_mb: int = 180) -> Path:
    """A valid docx whose document part is `inflated_mb` of paragraphs packed about a
    thousand to one, diluted with incompressible members: as a whole it packs less than a
    hundred to one and stays under the unzipped-size cap, so only a check of each member
    by itself sees the bomb."""
    base = path.with_name("base.docx")
    document = docx.Document()
    document.add_paragraph("A harmless looking report.")
    document.save(str(base))
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w='
            b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
    block = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 30_000  # about 1 MB
    with zipfile.ZipFile(base) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                bomb.writestr(info, source.read(info))
        with bomb.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(head)
            for _ in range(inflated_mb):
                part.write(block)
            part.write(b"</w:body></w:document>")
        for n in range(3):
            bomb.writestr(f"word/media/padding{n}.bin", os.urandom(1024 * 1024),
                          compress_type=zipfile.ZIP_STORED)
    return path


@pytest.mark.integration  # (parsing workers: real processes)
def test_a_docx_zip_bomb_diluted_with_padding_is_rejected(tmp_path: Path) -> None:
    path = _padded_docx_bomb(tmp_path / "report.docx")
    infos = zipfile.ZipFile(path).infolist()
    unzipped = sum(info.file_size for info in infos)
    assert unzipped < MAX_UNZIPPED_BYTES  # passes a check of the sums...
    assert unzipped < MAX_ZIP_RATIO * sum(info.compress_size for info in infos)
    assert max(i.file_size / i.compress_size for i in infos) > 3 * MAX_ZIP_RATIO  # ...a bomb
    outcome = _parse_bounded(path)
    assert outcome.get("reason") == "file expands too much when unzipped"


@pytest.mark.integration  # (parsing workers: real processes)
def test_a_batch_goes_on_past_a_file_over_the_memory_limit(
    store, fake_embeddings, lexical, tmp_path: Path
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.md").write_text("# Good\n\nThe Ningbo area cleared 4,500 ships in 2022.\n")
    (batch / "huge.html").write_text("<html><body>" + "<p>a</p>" * 400_000 + "</body></html>")
    (batch / "later.txt").write_text("The Wenzhou Area covers 37.21 square kilometres.\n")
    parser = Sandbox(memory_mb=160, seconds=30)
    ingestor = Ingestor(store, fake_embeddings, SentenceChunker(count_words, 120), lexical,
                        loader=parser, release=parser.close)
    code, lines = _ingest(_components(store, ingestor, batch, tmp_path / "index"), batch)
    assert parser._worker is None  # no idle parsing worker is left between batches
    assert code == 1
    assert [line for line in lines if "huge.html" in line] == [
        "skipped huge.html: parsing needed more than 160 MB"]
    assert _sources(store) == {"good.md", "later.txt"}


def _slow_pdf(path: Path, pages: int = 60) -> Path:
    """A PDF whose layout takes seconds (dense pages of small print)."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=6)
    for _ in range(pages):
        pdf.add_page()
        for _ in range(90):
            pdf.cell(0, 3, " ".join(f"w{k}" for k in range(40)), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


@pytest.mark.integration  # (parsing workers: real processes)
def test_a_file_over_the_time_limit_is_rejected_and_the_next_one_read(tmp_path: Path) -> None:
    slow = _slow_pdf(tmp_path / "slow.pdf")
    good = tmp_path / "good.txt"
    good.write_text("The Wenzhou Area covers 37.21 square kilometres.\n")
    sandbox = Sandbox(memory_mb=768, seconds=1)
    try:
        started = time.monotonic()
        with pytest.raises(UnreadableDocument, match="^slow.pdf: parsing took longer than 1 s$"):
            sandbox(slow)
        assert time.monotonic() - started < 5  # the worker was killed, not waited for
        [doc] = sandbox(good)  # by a new worker
        assert "37.21" in doc.page_content
    finally:
        sandbox.close()


@pytest.mark.integration  # (parsing workers: real processes)
def test_a_server_with_much_memory_of_its_own_reuses_one_worker(tmp_path: Path) -> None:
    """The worker ends early when its own memory nears the limit, never for its parent's (a
    server holding the model is far over half the limit; a worker per file made an ingest of
    thousands of files take hours)."""
    ballast = bytearray(b"x") * (500 * 1024 * 1024)  # this process's memory, as a server's
    paths = []
    for n in range(3):
        paths.append(tmp_path / f"note-{n}.md")
        paths[-1].write_text(f"# Note {n}\n\nThe port has {n + 10} berths.\n")
    sandbox = Sandbox(memory_mb=768, seconds=60)
    workers = set()
    try:
        for path in paths:
            [page] = sandbox(path)
            assert "berths" in page.page_content
            workers.add(sandbox._worker.pid if sandbox._worker else None)
    finally:
        sandbox.close()
        del ballast
    assert len(workers) == 1 and None not in workers


# ---------------------------------------------------------------- 2. controls and escapes


def test_escape_sequences_and_controls_are_not_stored(ingestor: Ingestor, store,
                                                      tmp_path: Path) -> None:
    path = tmp_path / "dalian.md"
    path.write_text(
        "---\ntitle: \x1b[31mDalian\x1b[0m \u202eArea\u202c\nzone: Liaoning\x07\n---\n"
        "# Dalian Area\n\nThe Dal\u200bian Area covers 59.96 square kilometres.\x1b]0;pwned\x07"
        " 大连片区面积59.96平方公里。\n\nIts port\x9b2J handles \u2066containers\u2069, "
        "grain\x08 and ore.\r\nMore follows.\n", encoding="utf-8")
    [result] = ingestor.ingest([path])
    assert result.status == "added"
    texts = [hit.text for hit in store.iter_chunks()] + [hit.text for hit in
                                                          store.iter_sentences()]
    metadata = [value for meta in store.chunk_metadatas() for value in meta.values()
                if isinstance(value, str)]
    assert not [text for text in texts + metadata if HIDDEN.search(text)]
    joined = "\n".join(texts)
    assert "The Dalian Area covers 59.96 square kilometres." in joined
    assert "大连片区面积59.96平方公里。" in joined
    assert "Its port handles containers, grain and ore." in joined
    assert "pwned" not in joined
    assert store.chunk_metadatas()[0]["title"] == "Dalian Area"


# ---------------------------------------------------------------- 3. source identity


def test_two_files_of_one_name_in_two_folders_keep_the_first(
    ingestor: Ingestor, store, tmp_path: Path
) -> None:
    docs = tmp_path / "in"
    (docs / "a").mkdir(parents=True)
    (docs / "b").mkdir()
    (docs / "a" / "report.md").write_text("# A\n\nThe Alpha area covers 10 square kilometres.\n")
    (docs / "b" / "Report.md").write_text("# B\n\nThe Beta area covers 20 square kilometres.\n")
    components = _components(store, ingestor, docs, tmp_path / "index")
    seen = []
    for _ in range(2):
        code, lines = _ingest(components)
        assert code == 1
        assert [line for line in lines if "eport.md" in line] == [
            f"skipped {docs / 'b' / 'Report.md'}: {docs / 'a' / 'report.md'} has the same "
            "file name; rename one of them to index both"]
        seen.append(sorted(store.chunk_ids()))
        assert _sources(store) == {"report.md"}
        assert "Alpha" in " ".join(hit.text for hit in store.iter_chunks())
        assert "Beta" not in " ".join(hit.text for hit in store.iter_chunks())
    assert seen[0] == seen[1]


# ---------------------------------------------------------------- 4. symlinks


def test_links_out_of_the_docs_folder_are_refused(ingestor: Ingestor, store,
                                                  tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.md").write_text("# Secret\n\nThe launch code is 4242-SECRET.\n")
    (outside / "folder" / "more.md").write_text("# More\n\nThe vault code is 9999-HIDDEN.\n")
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "ok.md").write_text("# Ok\n\nThe Wenzhou Area covers 37.21 square kilometres.\n")
    (docs / "secret.md").symlink_to(outside / "secret.md")
    (docs / "linked").symlink_to(outside / "folder", target_is_directory=True)
    (docs / "alias.md").symlink_to(docs / "ok.md")  # stays inside: read once, as ok.md
    code, lines = _ingest(_components(store, ingestor, docs, tmp_path / "index"))
    assert code == 1
    assert sorted(line for line in lines if line.startswith("skipped")) == [
        f"skipped {docs / 'linked'}: it links outside {docs} (to {outside / 'folder'})",
        f"skipped {docs / 'secret.md'}: it links outside {docs} (to {outside / 'secret.md'})"]
    assert _sources(store) == {"ok.md"}
    stored = " ".join(hit.text for hit in store.iter_chunks())
    assert "SECRET" not in stored and "HIDDEN" not in stored


# ---------------------------------------------------------------- 5. names


@pytest.fixture
def library(ingestor, store, settings) -> Library:
    return Library(ingestor, store, settings.docs_dir, settings.index_dir,
                   max_upload_bytes=1024 * 1024, reserved=settings.ignore_names)


def test_reserved_and_look_alike_upload_names(library: Library, ingestor: Ingestor, store,
                                              docs_copy: Path, tmp_path: Path) -> None:
    ingestor.ingest([docs_copy / DALIAN])
    sources_list = (docs_copy / "SOURCES.md").read_bytes()
    sheet = b"# Dalian\n\nThe Dalian Area covers 59.96 square kilometres.\n"
    for name in ("SOURCES.md", "readme.MD", "\uff32\uff25\uff21\uff24\uff2d\uff25.md"):
        [result] = library.upload([_upload(tmp_path, name, sheet)], who="x")
        assert result.status == "rejected" and "reserved name" in result.reason, name
    assert (docs_copy / "SOURCES.md").read_bytes() == sources_list
    assert not (docs_copy / "README.md").exists()

    wide = "".join(chr(ord(c) + 0xFEE0) for c in "dalian") + DALIAN.removeprefix("dalian")
    for n, name in enumerate((wide, "Dalian-FTZ-5th-Anniversary-2022.md")):
        [result] = library.upload([_upload(tmp_path, name, sheet + b"Update %d." % n)], who="x")
        assert (result.source, result.status) == (DALIAN, "updated"), name
        assert result.reason == f"uploaded as '{name}'"
    cyrillic = DALIAN.replace("a", "\u0430", 1)  # a Cyrillic "а"
    [result] = library.upload([_upload(tmp_path, cyrillic, sheet)], who="x")
    assert (result.source, result.status) == ("d-lian-ftz-5th-anniversary-2022.md", "added")
    assert _sources(store) == {DALIAN, "d-lian-ftz-5th-anniversary-2022.md"}
    assert all(path.name.isascii() for path in docs_copy.iterdir())
    assert safe_name("caf\u00e9 \u0434\u043e\u043a.md") == "cafe.md"


def test_utf16_text_is_read_alike_by_upload_and_ingest(library: Library, store,
                                                       tmp_path: Path) -> None:
    text = "# 大连片区\n\nThe Dalian Area covers 59.96 square kilometres.\n"
    name, path = _upload(tmp_path, "dalian-utf16.txt", text.encode("utf-16"))  # with its BOM
    [doc] = load_document(path.rename(path.with_name(name)))
    assert "59.96 square kilometres" in doc.page_content
    [result] = library.upload([(name, path.with_name(name))], who="x")
    assert result.status == "added"
    assert "59.96 square kilometres" in " ".join(hit.text for hit in store.iter_chunks())
    # one check: whatever upload refuses for its content, ingest refuses for the same reason
    for suffix, content in ((".pdf", b"\x89PNG\r\n\x1a\n" + bytes(64)),
                            (".docx", b"plain text"), (".md", b"abc\x00\x01" * 20)):
        name, path = _upload(tmp_path, f"bad{suffix}", content)
        [result] = library.upload([(name, path)], who="x")
        with pytest.raises(UnreadableDocument) as refused:
            load_document(path.rename(path.with_name(name)))
        assert result.reason == refused.value.reason == sniff(content[:SNIFF_BYTES], suffix)


@pytest.mark.integration  # (parsing workers: real processes)
def test_the_sandbox_works_with_descriptors_above_1024(tmp_path: Path) -> None:
    """A long-running server holds many files open; the worker's pipe may get a high number."""
    path = tmp_path / "note.md"
    path.write_text("# Note\n\nThe port has 12 berths.\n", encoding="utf-8")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip("this machine allows fewer than 1,200 open files")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        sandbox = Sandbox(memory_mb=768, seconds=60)
        [page] = sandbox(path)
        sandbox.close()
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert "12 berths" in page.page_content
