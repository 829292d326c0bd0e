"""A small OpenAI-compatible chat server on loopback for the llm summarizer's tests."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class FakeChat:
    answer: str = ""
    fail_first: int = 0  # answer HTTP 503 to this many requests first
    delay: float = 0.0  # seconds to wait before answering
    status: int = 200
    requests: list[dict] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    url: str = ""


@contextmanager
def fake_chat_server(chat: FakeChat) -> Iterator[FakeChat]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            chat.requests.append(json.loads(self.rfile.read(length) or b"{}"))
            chat.headers.append(dict(self.headers))
            if self.path != "/v1/chat/completions":
                return self._send(404, {"error": "not found"})
            if chat.delay:
                time.sleep(chat.delay)
            if len(chat.requests) <= chat.fail_first:
                return self._send(503, {"error": "overloaded"})
            body = {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": chat.answer}}],
            }
            self._send(chat.status, body)

        def _send(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a time-out test)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    chat.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield chat
    finally:
        server.shutdown()
        server.server_close()
