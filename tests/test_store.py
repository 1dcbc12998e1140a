"""How the store tells a Chroma server that cannot be reached from other failures: by the HTTP
client's exception types, not by the words of a message (a fake client: no server); and that
it reads every record of a kind a page at a time."""

from __future__ import annotations

import chromadb
import httpx
import pytest

from assistant import store as store_module
from assistant.errors import StoreUnavailable
from assistant.store import ChromaStore


class FailingCollection:
    """A collection whose every call fails with one error."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def count(self) -> int:
        raise self.error


class FakeClient:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def get_or_create_collection(self, name: str, **_: object) -> FailingCollection:
        return FailingCollection(self.error)


@pytest.mark.parametrize(("error", "unreachable"), [
    (httpx.ConnectError("[Errno 111] Connection refused"), True),
    (httpx.ReadTimeout("timed out"), True),
    (httpx.RemoteProtocolError("Server disconnected without sending a response."), True),
    # words of an outage in another failure's message are not an outage
    (ValueError("could not connect the metadata filter: refused key"), False),
])
def test_only_the_http_client_s_failures_mean_the_server_is_unreachable(
        monkeypatch, fake_embeddings, error: Exception, unreachable: bool) -> None:
    monkeypatch.setattr(chromadb, "HttpClient", lambda **_: FakeClient(error))
    store = ChromaStore(fake_embeddings, url="http://127.0.0.1:9")
    if unreachable:
        with pytest.raises(StoreUnavailable, match="is not reachable"):
            store.count()
    else:
        with pytest.raises(type(error)):
            store.count()


def test_records_are_read_a_page_at_a_time_and_none_is_lost(
        monkeypatch, store: ChromaStore) -> None:
    # class: one `get` of every chunk's metadata failed in SQLite past about 32,000 chunks
    # ("too many SQL variables"): the catalogue's listing of ten thousand editions did
    vector = [1.0] + [0.0] * 255
    for version, count in (("v1", 4), ("v2", 3)):
        ids = [f"{version}-chunk-{n}" for n in range(count)]
        metas = [{"source": "report.md", "doc_hash": version, "chunk_id": i} for i in ids]
        store.upsert_sentences([f"{i}-0" for i in ids], ["A sentence."] * count,
                               [vector] * count, metas)
        store.upsert_chunks(ids, ["A chunk."] * count, [vector] * count, metas)
    asked: list[dict] = []
    calling = store._call
    monkeypatch.setattr(store, "_call", lambda method, collection, **kwargs: (
        asked.append(kwargs), calling(method, collection, **kwargs))[1])
    monkeypatch.setattr(store_module, "PAGE_SIZE", 2)
    assert [(i, h) for i, _, h in store.chunk_versions()] == [
        *((f"v1-chunk-{n}", "v1") for n in range(4)), *((f"v2-chunk-{n}", "v2") for n in range(3))]
    assert len(store.chunk_metadatas()) == 7
    state = store.document_state("report.md")
    assert len(state.chunk_ids) == 7 and state.hashes == {"v1", "v2"}
    chunks, sentences = store.version_records("report.md", "v2")
    assert [hit.id for hit in chunks] == [f"v2-chunk-{n}" for n in range(3)]
    assert [hit.id for hit in sentences] == [f"v2-chunk-{n}-0" for n in range(3)]
    # (every read of texts or metadata in pages; ids alone are read in one: a `get` of the ids
    # of 46,495 chunks worked)
    assert asked and all(kwargs["limit"] == 2 for kwargs in asked if kwargs.get("include"))
