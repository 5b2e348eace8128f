"""A real HTTP server speaking the OpenAI chat-completions protocol, replaying scripted replies.

Each request to ``POST /v1/chat/completions`` takes the next script item:

- a string: answered as the assistant message content;
- ``{"status": 503}``: an HTTP error with an OpenAI-style error body;
- ``{"sleep": s, "content": c}``: answered after ``s`` seconds;
- ``{"reject_response_format": True}``: 400 when the request carries ``response_format``
  (as local servers without guided decoding do), else answered with ``content``.

Requests are recorded in ``requests`` so tests can check what the client sent.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ScriptedOpenAIServer:
    def __init__(self, script: list[Any], model: str = "tiny") -> None:
        self.script = list(script)
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    self._send(
                        200, {"object": "list", "data": [{"id": server.model, "object": "model"}]}
                    )
                else:
                    self._send(
                        404, {"error": {"message": "not found", "type": "invalid_request_error"}}
                    )

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                req = json.loads(self.rfile.read(length) or b"{}")
                if not self.path.endswith("/chat/completions"):
                    self._send(
                        404, {"error": {"message": "not found", "type": "invalid_request_error"}}
                    )
                    return
                with server._lock:
                    server.requests.append(req)
                    item = server.script.pop(0) if server.script else {"status": 500}
                if isinstance(item, str):
                    item = {"content": item}
                if "sleep" in item:
                    time.sleep(item["sleep"])
                if item.get("reject_response_format") and "response_format" in req:
                    with server._lock:  # the retry without response_format gets the content
                        server.script.insert(0, {"content": item["content"]})
                    self._send(
                        400,
                        {
                            "error": {
                                "message": "response_format is not supported",
                                "type": "invalid_request_error",
                            }
                        },
                    )
                    return
                if "status" in item:
                    self._send(
                        item["status"],
                        {"error": {"message": "scripted failure", "type": "server_error"}},
                    )
                    return
                self._send(
                    200,
                    {
                        "id": f"chatcmpl-{len(server.requests)}",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": req.get("model", server.model),
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": item["content"]},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    },
                )

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> ScriptedOpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
