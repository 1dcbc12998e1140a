"""A real OpenAI-compatible chat server on loopback for the tests that need one (stdlib only).

`POST /v1/chat/completions` answers with `reply(passages)`, where `passages` maps each number to
the text of the numbered passages in the request's last user message; with `"stream": true`
the reply comes word by word as server-sent events, as OpenAI's API sends them.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = Callable[[dict[int, str]], str]
BLOCK = re.compile(r"<passages>\n(.*?)\n</passages>", re.S)


def passages_of(request: dict[str, Any]) -> dict[int, str]:
    """The numbered passages of the request's last user message."""
    user = [m["content"] for m in request["messages"] if m["role"] == "user"][-1]
    found = BLOCK.search(user)
    parts = re.split(r"\n\n(?=\[\d+\] )", found.group(1)) if found else []
    return {int(n): text for n, text in (re.match(r"\[(\d+)\] (.*)", p, re.S).groups()
                                         for p in parts)}


def _handler(reply: Reply, requests: list[dict[str, Any]]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
            if self.path != "/v1/chat/completions":
                self.send_error(404)
                return
            request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            requests.append(request)
            text = reply(passages_of(request))
            if request.get("stream"):
                self._stream(text, request["model"])
            else:
                self._send("application/json", json.dumps({
                    "id": "chatcmpl-test", "object": "chat.completion", "created": 0,
                    "model": request["model"],
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": text}}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }).encode())

        def _stream(self, text: str, model: str) -> None:
            def event(delta: dict[str, str], finish: str | None = None) -> str:
                chunk = {"id": "chatcmpl-test", "object": "chat.completion.chunk",
                         "created": 0, "model": model,
                         "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
                return f"data: {json.dumps(chunk)}\n\n"

            events = [event({"role": "assistant", "content": ""})]
            events += [event({"content": word}) for word in re.findall(r"\S+\s*", text)]
            events += [event({}, "stop"), "data: [DONE]\n\n"]
            self.send_response(200)  # HTTP/1.0: the body ends when the connection closes
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for data in events:
                self.wfile.write(data.encode())
                self.wfile.flush()

        def _send(self, content_type: str, body: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            pass

    return Handler


@contextmanager
def chat_server(reply: Reply) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A running server on a free loopback port: yields its base URL (…/v1) and the list of
    requests it receives."""
    requests: list[dict[str, Any]] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(reply, requests))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
