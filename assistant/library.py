"""The document library as staff see it: uploads, removals, re-indexing and the change log.

Uploads are untrusted: size-limited, checked by content as well as by suffix (the check ingest
makes), saved under a sanitised plain-ASCII name, ingested from a staging folder and moved into
the docs folder only once the index holds the whole new version. The docs folder's own files
(`ignore_names`: README.md, SOURCES.md) cannot be uploaded. An upload whose name differs from a
document's only in case or look-alike letters (full-width "ｄａｌｉａｎ.md", "Dalian.md" for
"dalian.md") is that document: it updates it, under the document's name, and says so.
Changes are serialised (thread lock and a file lock shared with other processes) and appended
to `changes.jsonl` in the index folder.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock

from assistant.config import SUPPORTED_SUFFIXES
from assistant.errors import UserError
from assistant.ingest.loaders import SNIFF_BYTES, sniff
from assistant.ingest.pipeline import FileResult, Ingestor, document_hash, name_key
from assistant.store import ChromaStore

log = logging.getLogger(__name__)

SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Change:
    """One line of the change log."""

    when: str
    who: str
    action: str
    source: str
    status: str
    chunks: int
    detail: str = ""


def safe_name(name: str) -> str:
    """A plain ASCII file name: no folders, no traversal, no odd characters, the suffix kept;
    compatibility forms and accents become their plain letters ("ｄａｌｉａｎ", "café"), other
    letters (Cyrillic "а") a hyphen."""
    base = unicodedata.normalize("NFKD", unicodedata.normalize(
        "NFKC", _base_name(name)))
    base = "".join(c for c in base if not unicodedata.combining(c)).strip()
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    stem = SAFE_NAME.sub("-", stem).strip("-.") or "document"
    return f"{stem[:120]}{SAFE_NAME.sub('', suffix)}"


def _base_name(name: str) -> str:
    return Path(name.replace("\\", "/")).name


class Library:
    """Staff operations on the indexed documents (callers check access first)."""

    def __init__(
        self, ingestor: Ingestor, store: ChromaStore, docs_dir: Path, index_dir: Path,
        max_upload_bytes: int, on_change: Callable[[], None] | None = None,
        reserved: Iterable[str] = (),
    ) -> None:
        self._ingestor = ingestor
        self._store = store
        self._docs_dir = docs_dir
        self._index_dir = index_dir
        self._max_bytes = max_upload_bytes
        self._on_change = on_change
        self._reserved = {name_key(name) for name in reserved}
        self._lock = threading.Lock()
        self._log_path = index_dir / "changes.jsonl"

    def _exclusive(self) -> FileLock:
        self._index_dir.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self._index_dir / "library.lock"))

    def documents(self) -> list[dict[str, Any]]:
        """One row per indexed source, aggregated from chunk metadata."""
        rows: dict[str, dict[str, Any]] = {}
        for meta in self._store.chunk_metadatas():
            row = rows.setdefault(meta["source"], {
                "source": meta["source"], "title": meta.get("title", ""),
                "zone": meta.get("zone", ""), "date": meta.get("date", ""), "chunks": 0,
                "ingested_at": meta.get("ingested_at", ""),
                "size_bytes": int(meta.get("size_bytes", 0) or 0),
            })
            row["chunks"] += 1
            row["ingested_at"] = max(row["ingested_at"], meta.get("ingested_at", ""))
        return sorted(rows.values(), key=lambda row: row["source"])

    def upload(self, files: list[tuple[str, Path]], who: str,
               progress: Callable[[int, str], None] | None = None) -> list[FileResult]:
        """Add or update uploaded files ((original name, temporary path) pairs), one by one."""
        results = []
        for number, (original, temporary) in enumerate(files):
            if progress:
                progress(number, original)
            results.append(self._upload_one(original, Path(temporary), who))
        return results

    def _upload_one(self, original: str, temporary: Path, who: str) -> FileResult:
        name = safe_name(original)
        suffix = Path(name).suffix
        reason = None
        if suffix not in SUPPORTED_SUFFIXES:
            reason = f"unsupported file type '{suffix or '(none)'}'"
        elif name_key(name) in self._reserved:
            reason = "a reserved name (one of the docs folder's own files)"
        elif not temporary.is_file():
            reason = "the upload did not arrive"
        elif temporary.stat().st_size > self._max_bytes:
            reason = (f"too large ({temporary.stat().st_size / 1e6:.1f} MB; the limit is "
                      f"{self._max_bytes / 1e6:.0f} MB)")
        elif temporary.stat().st_size == 0:
            reason = "empty file"
        else:
            with temporary.open("rb") as handle:
                reason = sniff(handle.read(SNIFF_BYTES), suffix)
        if reason:
            result = FileResult(name, "rejected", reason=reason)
            self.record(who, "upload", result)
            return result
        with self._lock, self._exclusive():
            name = self._known_name(name)
            result = self._index_into_docs(temporary, name)
            if result.status == "updated" and name != _base_name(original):
                result.reason = f"uploaded as '{_base_name(original)}'"
            self.record(who, "upload", result)
        self._changed(result)
        return result

    def _known_name(self, name: str) -> str:
        """The name of the document (indexed or in the docs folder) that `name` stands for:
        the same but for case and look-alike letters; `name` itself when none is."""
        known = {row["source"] for row in self.documents()}
        if self._docs_dir.is_dir():
            known |= {path.name for path in self._docs_dir.iterdir() if path.is_file()}
        same = sorted(other for other in known if name_key(other) == name_key(name))
        return name if name in same or not same else same[0]

    def _index_into_docs(self, file: Path, name: str) -> FileResult:
        """Index a copy of `file` as `name` from the staging folder; move it into the docs
        folder only once the index holds it (callers hold the locks)."""
        staging = self._index_dir / "staging"
        staging.mkdir(parents=True, exist_ok=True)
        staged = staging / name
        shutil.copyfile(file, staged)
        try:
            [result] = self._ingestor.ingest([staged])
            if result.status != "rejected":
                self._docs_dir.mkdir(parents=True, exist_ok=True)
                shutil.move(str(staged), self._docs_dir / name)
        finally:
            staged.unlink(missing_ok=True)
        return result

    def remove(self, sources: list[str], who: str) -> list[FileResult]:
        """Remove documents from the index; their files move to `index/removed/`."""
        results = []
        with self._lock, self._exclusive():
            for source in sources:
                name = Path(source).name
                versions = self._store.document_state(name).hashes
                removed, _ = self._ingestor.remove([name])
                if removed:
                    self._set_aside(name, versions)
                    result = FileResult(name, "removed")
                else:
                    result = FileResult(name, "rejected", reason="not in the index")
                self.record(who, "remove", result)
                results.append(result)
        if any(r.status == "removed" for r in results):
            self._changed(results[0])
        return results

    def restore(self, sources: list[str], who: str) -> list[FileResult]:
        """Undo removals: the newest set-aside file of each name is indexed again and goes
        back into the docs folder."""
        results = []
        with self._lock, self._exclusive():
            for source in sources:
                name = Path(source).name
                kept = sorted(p for p in (self._index_dir / "removed").glob(f"*-{name}")
                              if p.name.split("-", 1)[1] == name)  # not "x-{name}"
                if (self._docs_dir / name).exists():
                    result = FileResult(name, "rejected",
                                        reason="a document of that name is in the library")
                elif not kept:
                    result = FileResult(name, "rejected", reason="no removed copy is kept")
                else:
                    result = self._index_into_docs(kept[-1], name)
                    if result.status != "rejected":
                        kept[-1].unlink()
                        result = FileResult(name, "restored", result.chunks)
                self.record(who, "restore", result)
                results.append(result)
        if any(r.status == "restored" for r in results):
            self._changed(results[0])
        return results

    def reindex(self, sources: list[str] | None, who: str) -> list[FileResult]:
        """Embed documents again from their files in the docs folder (all if `sources` is None)."""
        if sources is None:
            sources = [row["source"] for row in self.documents()]
        files, results = [], []
        for source in sources:
            path = self._docs_dir / Path(source).name
            if path.is_file():
                files.append(path)
            else:
                results.append(FileResult(path.name, "rejected",
                                          reason="its file is not in the docs folder"))
        with self._lock, self._exclusive():
            results += self._ingestor.ingest(files, force=True) if files else []
            for result in results:
                self.record(who, "reindex", result)
        self._changed(results[0] if results else None)
        return results

    def history(self, limit: int = 200) -> list[dict[str, Any]]:
        """The newest changes first."""
        if not self._log_path.exists():
            return []
        rows = []
        for line in self._log_path.read_text(encoding="utf-8").splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                log.warning("skipping a damaged line of %s", self._log_path)
        return rows[::-1][:limit]

    def _set_aside(self, name: str, versions: frozenset[str]) -> None:
        """Move the document's file out of the docs folder, if it is the removed version
        (a different file of the same name, ingested from elsewhere, stays)."""
        path = self._docs_dir / name
        if path.is_file() and document_hash(path.read_bytes()) in versions:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            target = self._index_dir / "removed" / f"{stamp}-{name}"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), target)

    def record(self, who: str, action: str, result: FileResult) -> None:
        """Append one change to the log."""
        change = Change(datetime.now(UTC).isoformat(timespec="seconds"), who or "staff",
                        action, result.source, result.status, result.chunks, result.reason)
        self._index_dir.mkdir(parents=True, exist_ok=True)
        with self._log_path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(change), ensure_ascii=False) + "\n")

    def _changed(self, result: FileResult | None) -> None:
        if result is not None and self._on_change:
            self._on_change()


def require_files(files: list[Any] | None) -> list[tuple[str, Path]]:
    """Gradio's uploaded files as (original name, path) pairs; none is a user error."""
    if not files:
        raise UserError("Choose one or more files to upload first.")
    pairs = []
    for item in files:
        path = Path(getattr(item, "name", None) or str(item))
        original = getattr(item, "orig_name", None) or path.name
        pairs.append((str(original), path))
    return pairs
