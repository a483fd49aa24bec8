"""``manage.py wait_for_db``: the container's entrypoint waits for a database that is still starting.

Found in the image: ``migrate`` exited at once when the portal started beside a PostgreSQL that was still
starting. "Still starting" is a port that refuses connections until a forwarder to the real PostgreSQL
opens on it (nothing is mocked: the wait ends on PostgreSQL's own answer).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing

import psycopg
import pytest

from tests.conftest import REPO

PG = ("127.0.0.1", 5432)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_db(port: int, timeout: float) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run the command against a port where nothing listens (or will, later)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{port}/test"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "manage.py", "wait_for_db", "--timeout", str(timeout)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout + 60,
    )
    return done, time.monotonic() - started


def pipe(src: socket.socket, dst: socket.socket) -> None:
    with closing(src), closing(dst):
        while data := src.recv(65536):
            dst.sendall(data)


def forward_later(port: int, delay: float, stop: threading.Event) -> None:
    """After ``delay`` seconds, accept on ``port`` and forward every connection to PostgreSQL."""
    time.sleep(delay)
    with socket.create_server(("127.0.0.1", port)) as server:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                client, _ = server.accept()
            except TimeoutError:
                continue
            upstream = socket.create_connection(PG)
            threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()


@pytest.fixture
def postgres() -> Iterator[None]:
    try:
        psycopg.connect("postgres://postgres@127.0.0.1:5432/test", connect_timeout=3).close()
    except psycopg.Error as exc:
        pytest.skip(f"PostgreSQL does not answer at 127.0.0.1:5432: {exc}")
    yield


def test_it_waits_until_a_starting_database_answers(postgres: None) -> None:
    port, stop = free_port(), threading.Event()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{port}/test"
    waiting = subprocess.Popen(
        [sys.executable, "manage.py", "wait_for_db", "--timeout", "60"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    thread = threading.Thread(target=forward_later, args=(port, 0.5, stop), daemon=True)
    try:
        assert waiting.stderr is not None
        first = waiting.stderr.readline()  # the first refusal: only now does the database "finish starting"
        thread.start()
        out, err = waiting.communicate(timeout=60)
    finally:
        waiting.kill()
        stop.set()
        thread.join(timeout=5)
    assert waiting.returncode == 0, first + err
    assert first.startswith("Waiting for the database") and "The database answers" in out


def test_it_gives_up_within_its_bound_with_the_reason() -> None:
    done, took = wait_for_db(free_port(), timeout=1.5)
    assert done.returncode == 1
    assert "The database did not answer within 1.5 s" in done.stderr and "Traceback" not in done.stderr
    assert took < 1.5 + 20  # the bound, plus the start of Django on a busy machine


def test_it_refuses_a_negative_bound() -> None:
    done, _ = wait_for_db(free_port(), timeout=-1)
    assert done.returncode == 2 and "--timeout must be 0 or more" in done.stderr
