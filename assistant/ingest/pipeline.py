"""Idempotent ingestion: files in, whole document versions in the store, BM25 kept in step.

A document's version is the SHA-256 of its bytes (and of the pipeline version). A version is
written sentences first, chunks second, and only then are other versions of the same source
deleted; a version is *complete* when the store holds exactly its expected chunk and sentence
counts. An ingest killed at any point therefore leaves either the old version or a partial new
one, and the next ingest finishes the job, re-embedding only what is missing.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from textwrap import shorten
from typing import Literal

from filelock import FileLock, Timeout
from langchain_core.documents import Document

from assistant.catalogue import Catalogue
from assistant.config import SUPPORTED_SUFFIXES
from assistant.errors import UnreadableDocument, UserError
from assistant.ingest.chunking import Chunk, SentenceChunker
from assistant.ingest.loaders import load_document
from assistant.ingest.repair import repair_text
from assistant.injection import SteeringModel, first_steering, withhold
from assistant.lexical import LexicalIndex, fingerprint
from assistant.seams import SpanEmbedder
from assistant.store import ChromaStore

log = logging.getLogger(__name__)

# part of every document version: raise it when loading or cleaning reads documents differently
# (2: datelines without a date, tables written as text rows, chunks that open a paragraph;
# 3: a sentence cut by a PDF page break kept whole; 4: terminal escape sequences, control,
# bidi and zero-width characters taken out of text and metadata, front matter with YAML
# aliases unread, Markdown comments unread, documents that steer the assistant refused), so
# that an index re-reads them
PIPELINE_VERSION = "4"
FLUSH_CHUNKS = 1024  # embed pending documents together once this many chunks wait

Steering = Literal["reject", "withhold"]  # what ingest does with a document that steers
Status = Literal["added", "updated", "unchanged", "repaired", "rejected", "removed", "restored"]


@dataclass
class FileResult:
    """The outcome for one file."""

    source: str
    status: Status
    chunks: int = 0
    reason: str = ""


@dataclass
class _Pending:
    """A loaded and chunked document waiting for its embeddings."""

    path: Path
    doc_hash: str
    chunks: list[Chunk]
    status: Status
    missing: list[Chunk] = field(default_factory=list)


@dataclass
class Collected:
    """The files to ingest, and those refused (a rejected result each, named by its path)."""

    files: list[Path]
    refused: list[FileResult]


def name_key(name: str) -> str:
    """A file name as the index tells documents apart: case and compatibility forms (full-width
    letters) do not count."""
    return unicodedata.normalize("NFKC", name).casefold()


def collect_files(paths: Iterable[Path], ignore_names: Iterable[str] = ()) -> Collected:
    """Files named directly, plus supported files found under folders (sorted, no duplicates,
    no hidden files, none of `ignore_names`), as their real paths.

    Refused: a file or folder under a folder whose real place is outside it (a symlink out of
    the docs folder; a symlink that stays inside reads the file it points to, once), and a
    file whose name (see `name_key`) an earlier file has: the index knows a document by its
    file name, so two would replace each other at every ingest. The first in order stays."""
    ignored = {name_key(name) for name in ignore_names}
    found: dict[Path, str] = {}  # real path -> the path as the user gave it
    refused: list[FileResult] = []
    for path in paths:
        if not path.exists():
            raise UserError(f"no such file or folder: {path}")
        if not path.is_dir():
            found.setdefault(path.resolve(), str(path))
            continue
        root = path.resolve()
        for child in sorted(path.rglob("*")):  # (3.11: not into symlinked folders)
            if any(part.startswith(".") for part in child.relative_to(path).parts):
                continue
            wanted = child.is_dir() or (
                child.is_file() and name_key(child.name) not in ignored
                and child.suffix.lower() in SUPPORTED_SUFFIXES)
            real = child.resolve()
            if wanted and not real.is_relative_to(root):
                refused.append(FileResult(str(child), "rejected",
                                          reason=f"it links outside {path} (to {real})"))
            elif wanted and not child.is_dir():
                found.setdefault(real, str(child))
    files: dict[str, Path] = {}
    for real, shown in found.items():
        first = files.setdefault(name_key(real.name), real)
        if first != real:
            refused.append(FileResult(shown, "rejected", reason=(
                f"{found[first]} has the same file name; rename one of them to index both")))
    return Collected(list(files.values()), refused)


def document_hash(data: bytes) -> str:
    return hashlib.sha256(PIPELINE_VERSION.encode() + b"\0" + data).hexdigest()


class Ingestor:
    """Adds, updates and removes documents; the store and the lexical index stay in step."""

    def __init__(
        self,
        store: ChromaStore,
        embedder: SpanEmbedder,
        chunker: SentenceChunker,
        lexical: LexicalIndex,
        loader: Callable[[Path], list[Document]] = load_document,
        release: Callable[[], None] = lambda: None,
        repair: Callable[[str], str] = repair_text,
        lock_path: Path | None = None,
        catalogue: Catalogue | None = None,
        steering: Steering = "reject",
        steering_model: SteeringModel | None = None,
    ) -> None:
        self._store = store
        self._steering = steering
        self._steering_model = steering_model  # the learned detector, if any
        self._embedder = embedder
        self._chunker = chunker
        self._lexical = lexical
        self._load = loader
        self._release = release  # frees what the loader holds, after each batch
        self._repair = repair
        self._catalogue = catalogue
        if lock_path:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
        # one writer at a time, across threads and processes (and one sync of the side indexes)
        self._lock: FileLock | threading.RLock = \
            FileLock(str(lock_path)) if lock_path else threading.RLock()

    def ingest(
        self, files: list[Path], on_result: Callable[[FileResult], None] | None = None,
        force: bool = False,
    ) -> list[FileResult]:
        """Ingest files (see `collect_files`); one result per file, in order. `force` embeds
        and writes documents again even when the index already holds them whole."""
        with self._lock:
            try:
                return self._ingest(files, on_result, force)
            finally:
                self._release()  # (e.g. no idle parsing worker between batches)

    def _ingest(
        self, files: list[Path], on_result: Callable[[FileResult], None] | None, force: bool
    ) -> list[FileResult]:
        results: dict[Path, FileResult] = {}
        pending: list[_Pending] = []

        def report(path: Path, result: FileResult) -> None:
            results[path] = result
            if on_result:
                on_result(result)

        for path in files:
            try:
                prepared = self._prepare(path, force)
            except UnreadableDocument as error:
                report(path, FileResult(path.name, "rejected", reason=error.reason))
                continue
            if isinstance(prepared, FileResult):
                report(path, prepared)
                continue
            pending.append(prepared)
            if sum(len(p.missing) for p in pending) >= FLUSH_CHUNKS:
                for done in self._write(pending):
                    report(done.path, FileResult(done.path.name, done.status, len(done.chunks)))
                pending = []
        for done in self._write(pending):
            report(done.path, FileResult(done.path.name, done.status, len(done.chunks)))
        changed = any(r.status in ("added", "updated", "repaired") for r in results.values())
        self._sync(force=changed)
        return [results[path] for path in files if path in results]

    def remove(self, sources: Iterable[str]) -> tuple[list[str], list[str]]:
        """Delete documents by source name; returns (removed, not found)."""
        with self._lock:
            return self._remove(sources)

    def _remove(self, sources: Iterable[str]) -> tuple[list[str], list[str]]:
        removed, missing = [], []
        for source in sources:
            if self._store.document_state(source).chunk_ids:
                self._store.delete_source(source)
                removed.append(source)
            else:
                missing.append(source)
        if removed:
            self._sync(force=True)
        return removed, missing

    def sync_lexical(self, force: bool = False) -> bool:
        """Rebuild the side indexes (BM25, and the catalogue if any) from the store when forced
        or out of step with it; True if anything was rebuilt. Skipped (False) while a writer
        is at work, which syncs them when it has written: a sync that read the store halfway
        through a write could otherwise finish last and keep the half-written state."""
        if not self._try_lock():
            return False
        try:
            return self._sync(force)
        finally:
            self._lock.release()

    def _try_lock(self) -> bool:
        """Take the writer lock if no one holds it (this thread may: it is re-entrant)."""
        if isinstance(self._lock, FileLock):
            try:
                self._lock.acquire(blocking=False)
            except Timeout:
                return False
            return True
        return self._lock.acquire(blocking=False)

    def _sync(self, force: bool) -> bool:
        """`sync_lexical`, the writer lock held."""
        current = None if force else fingerprint(self._store.chunk_ids())
        rebuilt = False
        if force or not (self._lexical.fingerprint or self._lexical.load()) \
                or self._lexical.fingerprint != current:
            if not force:
                log.warning("lexical index missing or out of step with the store; rebuilding")
            self._lexical.rebuild(
                (hit.id, f"{hit.metadata.get('header', '')}\n{hit.text}")
                for hit in self._store.iter_chunks()
            )
            rebuilt = True
        if self._catalogue is not None and (
            force or not (self._catalogue.fingerprint or self._catalogue.load())
            or self._catalogue.fingerprint != current
        ):
            self._catalogue.update(self._store)
            rebuilt = True
        return rebuilt

    def _prepare(self, path: Path, force: bool = False) -> _Pending | FileResult:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise UnreadableDocument(path.name, f"cannot read file ({error.strerror})") from error
        doc_hash = document_hash(data)
        state = self._store.document_state(path.name)
        if state.is_complete(doc_hash) and not force:
            return FileResult(path.name, "unchanged", len(state.chunk_ids))
        pages = self._load(path)
        for page in pages:
            page.page_content = self._repair(page.page_content)
            page.metadata["size_bytes"] = len(data)
        self._screen(path.name, pages)
        chunks = self._chunker.split(pages, doc_hash)
        if not chunks:
            raise UnreadableDocument(path.name, "no text found")
        status: Status = "added"
        if doc_hash in state.hashes:
            status = "repaired"
        elif state.hashes:
            status = "updated"
        missing = chunks if force else [
            chunk for chunk in chunks
            if chunk.id not in state.chunk_ids
            or any(f"{chunk.id}-{n}" not in state.sentence_ids for n in range(len(chunk.sentences)))
        ]
        return _Pending(path, doc_hash, chunks, status, missing)

    def _screen(self, name: str, pages: list[Document]) -> None:
        """Refuse a document that tries to steer the assistant (with `steering="withhold"`,
        take out only its steering blocks): a writer who hid one command may have hidden
        others in words no detector reads, so none of its text is trusted."""
        if self._steering == "withhold":
            for page in pages:
                page.page_content = withhold(page.page_content, name, self._steering_model)
            return
        title = str(pages[0].metadata.get("title", "")) if pages else ""
        found = first_steering([title, *(page.page_content for page in pages)],
                               self._steering_model)
        if found:
            kind, block = found
            raise UnreadableDocument(name, (
                f"it holds text that tries to steer the assistant ({kind}: "
                f"\"{shorten(block, 90, placeholder=' …')}\"); not indexed (FTZ_STEERING=withhold "
                "indexes it without such text)"))

    def _write(self, pending: list[_Pending]) -> list[_Pending]:
        """Embed the missing chunks of all pending documents at once, then store them together:
        every sentence first, then every chunk, then drop the replaced versions."""
        missing = [chunk for item in pending for chunk in item.missing]
        vectors = iter(self._embedder.embed_with_spans(
            [c.embed_text for c in missing], [c.sentence_spans() for c in missing]
        ))
        now = datetime.now(UTC).isoformat(timespec="seconds")
        sentences: tuple[list, list, list, list] = ([], [], [], [])
        chunks: tuple[list, list, list, list] = ([], [], [], [])
        for item in pending:
            n_sentences = sum(len(c.sentences) for c in item.chunks)
            for chunk in item.missing:
                vector = next(vectors)
                for n, (sentence, span_vector) in enumerate(
                    zip(chunk.sentences, vector.spans, strict=True)
                ):
                    _append(sentences, f"{chunk.id}-{n}", sentence.text, span_vector, {
                        "source": chunk.source, "doc_hash": item.doc_hash, "chunk_id": chunk.id,
                        "position": n, "start": sentence.start, "end": sentence.end,
                    })
                _append(chunks, chunk.id, chunk.text, vector.chunk, {
                    **chunk.metadata,
                    "source": chunk.source, "doc_hash": item.doc_hash, "header": chunk.header,
                    "section": chunk.section, "page": chunk.page or 0,
                    "start": chunk.start, "end": chunk.end,
                    "opens_paragraph": chunk.opens_paragraph,
                    "n_chunks": len(item.chunks), "n_sentences": n_sentences,
                    "ingested_at": now,
                })
        try:
            self._store.upsert_sentences(*sentences)
            self._store.upsert_chunks(*chunks)
        except Exception:
            # a live failure (not a kill): take back the partial new versions, keep the old
            for item in pending:
                if item.status != "repaired":
                    self._store.delete_version(item.path.name, item.doc_hash)
            raise
        for item in pending:
            if item.status != "added":
                self._store.delete_source(item.path.name, keep_hash=item.doc_hash)
            log.info("%s %s: %d chunks", item.status, item.path.name, len(item.chunks))
        return pending


def _append(columns: tuple[list, list, list, list], *values: object) -> None:
    """Add one record (id, text, vector, metadata) to column lists."""
    for column, value in zip(columns, values, strict=True):
        column.append(value)
