"""A Collibra Data Product API v1 emulator over real HTTP, for tests, demos and benchmarks.

Run it as ``python -m dc43_portal.stores.collibra.emulator --port 8765 --state var/collibra`` and
point the Collibra store at ``http://127.0.0.1:8765`` (user ``admin``, password ``admin`` by default).

It serves the routes the store uses under ``/rest/dataProduct/v1``: multipart bodies, cursor
pagination, error bodies ``{"statusCode", "userMessage", "errorCode"}``, Basic and Bearer auth.
Outside the API, ``/_emulator/`` lets tests inject faults (a status for N calls, slow answers),
read the request log and reset the state. It listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from dc43_portal.stores.collibra.emulator_routes import API, Params, route
from dc43_portal.stores.collibra.emulator_state import ApiError, EmulatorState

MAX_BODY = 32 * 1024 * 1024


@dataclass
class Faults:
    """Failures to inject: ``status`` for the next ``count`` API calls (of ``method``), and a delay."""

    status: int | None = None
    count: int = 0
    method: str | None = None
    delay: float = 0.0
    delay_count: int | None = None

    def take_failure(self, method: str) -> int | None:
        if self.status is None or self.count <= 0 or (self.method and self.method != method):
            return None
        self.count -= 1
        return self.status

    def take_delay(self) -> float:
        if self.delay <= 0 or self.delay_count == 0:
            return 0.0
        if self.delay_count is not None:
            self.delay_count -= 1
        return self.delay


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without this, delayed ACKs add 40 ms to every call.
    disable_nagle_algorithm = True
    server: EmulatorServer

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        if self.server.verbose:
            super().log_message(format, *args)

    # ------------------------------------------------------------------ plumbing

    def _dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        path = unquote(url.path)
        body = self._read_body()
        if body is None:
            return
        if path.startswith("/_emulator/"):
            self._control(method, path, body)
            return
        emulator = self.server
        with emulator.lock:
            emulator.requests.append((method, path))
            failure = emulator.faults.take_failure(method)
            delay = emulator.faults.take_delay()
        if delay:
            emulator.stopping.wait(delay)
        try:
            if failure is not None:
                raise ApiError(failure, f"Injected failure {failure}.", "INJECTED_FAILURE")
            user = self._authenticate()
            params = Params({k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()})
            status, payload = route(
                method, path, params, body, self.headers.get("Content-Type", ""), user, emulator.state
            )
        except ApiError as exc:
            self._send(exc.status, exc.body())
            return
        self._send(status, payload)

    def _read_body(self) -> bytes | None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self._send(411, ApiError(411, "Send a Content-Length.", "LENGTH_REQUIRED").body(), close=True)
            return None
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(413, ApiError(413, "The request body is too large.", "PAYLOAD_TOO_LARGE").body(), close=True)
            return None
        return self.rfile.read(length) if length else b""

    def _authenticate(self) -> str:
        scheme, _, credentials = self.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and credentials in self.server.tokens:
            return "token-user"
        if scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(credentials, validate=True).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                user, password = "", ""
            if user and self.server.users.get(user) == password:
                return user
        raise ApiError(401, "Full authentication is required to access this resource.", "UNAUTHORIZED")

    def _send(self, status: int, payload: Any, *, close: bool = False) -> None:
        if isinstance(payload, str):
            data, ctype = payload.encode("utf-8"), "application/x-yaml; charset=utf-8"
        else:
            data, ctype = json.dumps(payload).encode("utf-8"), "application/json"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        if status == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="Collibra"')
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(data)

    def _control(self, method: str, path: str, body: bytes) -> None:
        emulator = self.server
        with emulator.lock:
            if path == "/_emulator/faults" and method == "POST":
                try:
                    emulator.faults = Faults(**json.loads(body or b"{}"))
                except (TypeError, ValueError) as exc:
                    self._send(400, ApiError(400, f"Bad faults: {exc}", "INVALID_PARAMETER").body())
                    return
            elif path == "/_emulator/faults" and method == "DELETE":
                emulator.faults = Faults()
            elif path == "/_emulator/reset" and method == "POST":
                emulator.reset()
            elif path == "/_emulator/requests" and method == "GET":
                self._send(200, {"requests": [list(r) for r in emulator.requests]})
                return
            elif path != "/_emulator/health":
                self._send(404, ApiError(404, "Unknown control route.", "NOT_FOUND").body())
                return
        self._send(200, {"ok": True})


# ---------------------------------------------------------------------- server


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str, port: int, *, state: EmulatorState, users: dict[str, str],
                 tokens: set[str], verbose: bool = False) -> None:  # fmt: skip
        super().__init__((host, port), Handler)
        self.state, self.users, self.tokens, self.verbose = state, users, tokens, verbose
        self.faults = Faults()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.requests: list[tuple[str, str]] = []

    def reset(self) -> None:
        self.state.reset()
        self.faults = Faults()
        self.requests.clear()


class CollibraEmulator:
    """The emulator in a background thread: ``with CollibraEmulator() as emu: emu.url``."""

    def __init__(self, *, port: int = 0, state_dir: str | None = None, users: dict[str, str] | None = None,
                 tokens: set[str] | None = None, verbose: bool = False) -> None:  # fmt: skip
        self.server = EmulatorServer(
            "127.0.0.1", port, state=EmulatorState(state_dir), users=users if users is not None else {"admin": "admin"},
            tokens=tokens or set(), verbose=verbose,
        )  # fmt: skip
        self._thread = threading.Thread(target=self.server.serve_forever, name="collibra-emulator", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def state(self) -> EmulatorState:
        return self.server.state

    def start(self) -> CollibraEmulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def fail(self, status: int, count: int = 1, method: str | None = None) -> None:
        with self.server.lock:
            self.server.faults = Faults(status=status, count=count, method=method, delay=self.server.faults.delay)

    def slow(self, seconds: float, count: int | None = None) -> None:
        with self.server.lock:
            self.server.faults.delay, self.server.faults.delay_count = seconds, count

    def clear_faults(self) -> None:
        with self.server.lock:
            self.server.faults = Faults()

    def reset(self) -> None:
        with self.server.lock:
            self.server.reset()

    @property
    def requests(self) -> list[tuple[str, str]]:
        with self.server.lock:
            return list(self.server.requests)

    def __enter__(self) -> CollibraEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port (printed on start)")
    parser.add_argument("--state", help="folder for the state (default: in memory)")
    parser.add_argument("--user", action="append", help="USER:PASSWORD for Basic auth (default admin:admin)")
    parser.add_argument("--token", action="append", default=[], help="a Bearer token to accept")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    users = dict(u.partition(":")[::2] for u in args.user or ["admin:admin"])
    emulator = CollibraEmulator(port=args.port, state_dir=args.state, users=users, tokens=set(args.token),
                                verbose=args.verbose)  # fmt: skip
    print(f"Collibra emulator listening on {emulator.url}{API}", flush=True)
    try:
        emulator.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
