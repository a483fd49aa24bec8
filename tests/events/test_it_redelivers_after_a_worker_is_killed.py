"""A real ``manage.py events_worker`` process killed mid-delivery: another worker sends the event again,
with the same id, once the lease has expired (at least once). Runs on its own SQLite file, since two
processes share it; the receiver is real, on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from standardwebhooks import Webhook

from tests.events.conftest import Receiver

REPO = Path(__file__).resolve().parents[2]
SETUP = """
from django.contrib.auth.models import Group, User
from dc43_portal.contracts import services
from dc43_portal.events import subscriptions
from tests.conftest import make_doc
user = User.objects.create_user("sam", password="pw"); user.groups.add(Group.objects.get(name="stewards"))
sub, secret = subscriptions.webhook_create(user=user, url="{url}")
services.contract_publish(document=make_doc(), actor="sam")
print(secret)
"""
STATE = """
import json
from dc43_portal.events.models import Delivery
print(json.dumps(list(Delivery.objects.values("status", "attempts"))))
"""


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "dc43_portal.settings",
        "DC43_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DC43_STORE_OPTIONS": json.dumps({"base_path": str(tmp_path / "contracts")}),
        "DC43_WEBHOOK_ALLOW_PRIVATE": "true",
        "DC43_WEBHOOK_LEASE_SECONDS": "2",
        "DC43_WEBHOOK_TIMEOUT_SECONDS": "30",
        "DC43_EVENTS_SWEEP_SECONDS": "0.5",
    }


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "events_worker", "--", "--interval", "0.1", "--no-startup-delay"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait(condition: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_it_redelivers_after_a_worker_is_killed(tmp_path: Path, receiver: Receiver) -> None:
    env = _env(tmp_path)
    _manage(env, "migrate", "--noinput", "-v0")
    receiver.delays = [60.0]  # the first delivery hangs until its worker dies
    secret = _manage(env, "shell", "-c", SETUP.format(url=receiver.url)).strip().splitlines()[-1]
    first = _worker(env)
    try:
        _wait(lambda: len(receiver.arrived) == 1, 30)
        os.killpg(first.pid, signal.SIGKILL)  # mid-delivery: the request is in flight
        first.wait(10)
        second = _worker(env)
        try:
            _wait(lambda: any(r["status"] == 204 for r in receiver.received), 30)
        finally:
            os.killpg(second.pid, signal.SIGTERM)
            second.wait(10)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    delivered = next(r for r in receiver.received if r["status"] == 204)
    assert receiver.arrived[0] == delivered["headers"]["webhook-id"]  # the same event, the same id
    assert Webhook(secret).verify(delivered["body"], delivered["headers"])["type"].endswith(".published")
    assert json.loads(_manage(env, "shell", "-c", STATE).strip().splitlines()[-1]) == [
        {"status": "delivered", "attempts": 1}
    ]
