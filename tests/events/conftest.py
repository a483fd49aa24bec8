"""Events fixtures: a real webhook receiver on 127.0.0.1 and a worker run in-process (``run_worker``)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.conf import LazySettings


@dataclass
class Receiver:
    """Records every POST; ``answers`` (status codes, popped in order) then 204 for the rest."""

    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    delays: list[float] = field(default_factory=list)  # popped per request, before answering
    arrived: list[str] = field(default_factory=list)  # webhook-ids, as requests arrive

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r["body"]) for r in self.received if r["status"] < 300]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("content-length") or 0)).decode()
            receiver.arrived.append(self.headers.get("webhook-id", ""))
            delay = receiver.delays.pop(0) if receiver.delays else 0.0
            if delay:
                threading.Event().wait(delay)
            status = receiver.answers.pop(0) if receiver.answers else 204
            receiver.received.append(
                {
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body,
                    "status": status,
                }
            )
            self.send_response(status)
            if status == 302:
                self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            payload = b"x" * 5000 if status >= 500 else b""
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    box = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(box))
    box.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield box
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def events_settings(settings: LazySettings) -> None:
    settings.DC43_WEBHOOK_ALLOW_PRIVATE = True
    settings.DC43_WEBHOOK_RETRY_SCHEDULE = [1, 1, 1]
    settings.DC43_WEBHOOK_TIMEOUT_SECONDS = 2
    settings.DC43_BASE_URL = "https://portal.example.com"


@pytest.fixture
def run_worker(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Run every ready task with django-tasks-db's own worker, in this process, then return.

    Inside a test's transaction its ``close_old_connections`` would close the connection (autocommit is off
    there), so it is a no-op here; the worker-process test runs the real loop."""
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.management.commands.db_worker import Worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()

    return run


@dataclass
class Mailbox:
    """What a real SMTP server (aiosmtpd) on 127.0.0.1 received: (recipients, subject, body)."""

    messages: list[tuple[list[str], str, str]] = field(default_factory=list)
    # Mail to these addresses is answered "451 try again later" (a real transient failure) and not kept.
    busy: set[str] = field(default_factory=set)

    def to(self, address: str) -> list[tuple[str, str]]:
        return [(subject, body) for rcpts, subject, body in self.messages if address in rcpts]


@pytest.fixture
def smtp(settings: LazySettings) -> Iterator[Mailbox]:
    import email
    import socket

    from aiosmtpd.controller import Controller

    box = Mailbox()

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
            if box.busy & set(envelope.rcpt_tos):
                return "451 4.3.0 try again later"
            message = email.message_from_bytes(envelope.content)
            body = message.get_payload(decode=True).decode()
            box.messages.append((list(envelope.rcpt_tos), str(message["Subject"]), body))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield box
    controller.stop()
