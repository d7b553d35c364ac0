"""A Kavenegar-like SMS provider on 127.0.0.1, for tests: the outside world, faked."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

API_KEY = "test-api-key"
SENDER = "10004346"


class FakeKavenegar:
    """``POST /v1/{api_key}/sms/send.json`` and ``status.json`` in Kavenegar's shapes.

    Like the real service, a repeated ``localid`` sends nothing new and answers with the first
    message's entry. ``requests`` holds every call, ``delivered`` every message that reached a phone;
    ``failures`` are (HTTP status, message) answers given to the next sends, in order.
    """

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.delivered: list[dict[str, Any]] = []
        self.failures: list[tuple[int, str]] = []
        self.statuses: dict[str, int] = {}
        self.raw_reply: bytes | None = None
        self._by_localid: dict[str, dict[str, Any]] = {}
        self._next_id = 8792343
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                fields = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode("utf-8")))
                self._answer(*fake.handle(self.path, fields, self.headers.get("Content-Type", "")))

            def _answer(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1"

    def start(self) -> None:
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def _reply(status: int, message: str, entries: list[dict[str, Any]] | None = None) -> tuple[int, bytes]:
        body: dict[str, Any] = {"return": {"status": status, "message": message}, "entries": entries}
        return status, json.dumps(body, ensure_ascii=False).encode("utf-8")

    def handle(self, path: str, fields: dict[str, str], content_type: str) -> tuple[int, bytes]:
        with self._lock:
            self.requests.append({"path": path, "fields": fields, "content_type": content_type})
            prefix = f"/v1/{API_KEY}/sms/"
            if not path.startswith(prefix):
                return self._reply(401, "کلید وب‌سرویس نامعتبر است")
            if self.raw_reply is not None:
                return 200, self.raw_reply
            action = path[len(prefix) :]
            if action == "send.json":
                return self._send(fields)
            if action == "status.json":
                entries = []
                for message_id in fields.get("messageid", "").split(","):
                    status = self.statuses.get(message_id, 1 if message_id in self._ids() else 100)
                    entries.append({"messageid": int(message_id), "status": status, "statustext": ""})
                return self._reply(200, "تایید شد", entries)
            return self._reply(404, "not found")

    def _ids(self) -> set[str]:
        return {str(entry["messageid"]) for entry in self._by_localid.values()}

    def _send(self, fields: dict[str, str]) -> tuple[int, bytes]:
        if self.failures:
            status, message = self.failures.pop(0)
            return self._reply(status, message)
        localid = fields.get("localid", "")
        entry = self._by_localid.get(localid) if localid else None
        if entry is None:
            entry = {
                "messageid": self._next_id,
                "message": fields["message"],
                "status": 1,
                "statustext": "در صف ارسال",
                "sender": fields.get("sender", ""),
                "receptor": fields["receptor"],
                "date": 1356619709,
                "cost": 120,
            }
            self._next_id += 1
            self.delivered.append(entry)
            if localid:
                self._by_localid[localid] = entry
        return self._reply(200, "تایید شد", [entry])
