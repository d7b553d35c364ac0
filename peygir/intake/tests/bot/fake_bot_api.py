"""A local stand-in for the Bot API (Telegram's, which Bale copies), on 127.0.0.1 in a thread.

It records every call (method and JSON body, or the downloaded file's path), answers in the Bot
API's shapes, keeps ``getUpdates``' queue the way the real server does (an ``offset`` confirms and
drops every earlier update) and serves the files it was given through ``getFile`` and
``/file/bot<token>/<path>``. Never the internet.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "123456:TEST-token"


class FakeBotApi:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.pending: list[dict[str, Any]] = []
        self.files: dict[str, bytes] = {}
        self.failing: set[str] = set()
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: Any, content_type: str = "application/json") -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                prefix = f"/bot{fake.token}/"
                if not self.path.startswith(prefix):
                    self._answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                    return
                method = self.path[len(prefix) :]
                with fake.lock:
                    fake.calls.append((method, payload))
                if method in fake.failing:
                    self._answer(
                        500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}
                    )
                    return
                status, body = fake.answer(method, payload)
                self._answer(status, body)

            def do_GET(self) -> None:
                prefix = f"/file/bot{fake.token}/"
                path = self.path[len(prefix) :] if self.path.startswith(prefix) else ""
                with fake.lock:
                    fake.calls.append(("file", {"path": path}))
                file_id = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
                if file_id not in fake.files:
                    self._answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    return
                self._answer(200, fake.files[file_id], "application/octet-stream")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.message_ids = 0

    def answer(self, method: str, payload: dict[str, Any]) -> tuple[int, Any]:
        if method == "sendMessage":
            self.message_ids += 1
            result = {
                "message_id": self.message_ids,
                "chat": {"id": payload["chat_id"]},
                "text": payload["text"],
            }
            return 200, {"ok": True, "result": result}
        if method == "getUpdates":
            offset = payload.get("offset")
            with self.lock:
                if offset is not None:
                    self.pending = [update for update in self.pending if update["update_id"] >= offset]
                batch = list(self.pending)
            return 200, {"ok": True, "result": batch}
        if method == "getFile":
            file_id = payload.get("file_id", "")
            if file_id not in self.files:
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: wrong file_id"}
            result = {
                "file_id": file_id,
                "file_size": len(self.files[file_id]),
                "file_path": f"photos/{file_id}.jpg",
            }
            return 200, {"ok": True, "result": result}
        if method in ("setWebhook", "deleteWebhook"):
            return 200, {"ok": True, "result": True, "description": "Webhook was set"}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}

    def start(self) -> None:
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def methods(self) -> list[str]:
        return [method for method, _payload in self.calls]

    def sent(self) -> list[dict[str, Any]]:
        """The sendMessage bodies, in order."""
        return [payload for method, payload in self.calls if method == "sendMessage"]

    def texts(self) -> list[str]:
        return [payload["text"] for payload in self.sent()]

    def clear(self) -> None:
        with self.lock:
            self.calls.clear()
