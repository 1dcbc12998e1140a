"""How the store tells a Chroma server that cannot be reached from other failures: by the HTTP
client's exception types, not by the words of a message (a fake client: no server)."""

from __future__ import annotations

import chromadb
import httpx
import pytest

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
