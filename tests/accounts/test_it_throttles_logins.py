"""Security finding 2: 190 wrong passwords and then the right one logged in, and ``password1`` was a
valid password. Now django-axes locks a username after ``DC43_LOGIN_FAILURE_LIMIT`` failures with a clear
page, and Django's validators ask for 12 characters outside the common-password list."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from dc43_portal.contracts.management.commands.demo_setup import ADMIN_PASSWORD, DEMO_USERS

pytestmark = pytest.mark.database
LOGIN = "/accounts/login/"


def _login(client: Client, username: str, password: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def test_it_locks_a_username_after_repeated_failures(author: Any) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "alice", "wrong-guess").status_code == 200
    assert _login(client, "alice", "wrong-guess").status_code == 429  # the last failure locks
    response = _login(client, "alice", "alice-pw")  # the right password, too late
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed logins" in page and "alice" in page and "Try again later" in page
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_from_another_client(author: Any) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(), "alice", "wrong-guess")
    assert _login(Client(REMOTE_ADDR="10.9.8.7"), "alice", "alice-pw").status_code == 429


def test_a_good_login_below_the_limit_resets_the_count(author: Any) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "alice", "wrong-guess")
    assert _login(client, "alice", "alice-pw").status_code == 302
    assert _login(Client(), "alice", "wrong-guess").status_code == 200


@pytest.mark.parametrize("weak", ["password1", "12345678", "alice-pw", "qwertyuiop12", "123456789012"])
def test_it_refuses_weak_passwords(author: Any, weak: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(weak, author)


def test_the_demo_users_have_passwords_the_validators_accept_and_log_in(db: None, tmp_path: Path) -> None:
    call_command("demo_setup", contracts=str(tmp_path), stdout=StringIO(), stderr=StringIO())
    for username, password in [*((u, p) for u, p, _ in DEMO_USERS), ("admin", ADMIN_PASSWORD)]:
        validate_password(password, get_user_model().objects.get(username=username))
        assert _login(Client(), username, password).status_code == 302, username
