"""Security finding 10 (second half): users could not change their password. Local users now can, under
the same validators; other sessions of the account end."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.database
PAGE = "/accounts/password/"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_local_user_changes_their_password(author: Any) -> None:
    client, other = _client(author), _client(author)
    assert "Change your password" in client.get(PAGE).content.decode()
    new = "quiet-meadow-lantern-81"
    response = client.post(PAGE, {"old_password": "alice-pw", "new_password1": new, "new_password2": new})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/done/"
    author.refresh_from_db()
    assert author.check_password(new)
    assert client.get("/").status_code == 200  # this session goes on
    assert other.get("/").status_code == 302  # the other one ended


def test_it_refuses_a_weak_password_and_keeps_the_old_one(author: Any) -> None:
    response = _client(author).post(
        PAGE, {"old_password": "alice-pw", "new_password1": "password1", "new_password2": "password1"}
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode() or "too short" in response.content.decode()
    author.refresh_from_db()
    assert author.check_password("alice-pw")


def test_it_needs_the_old_password(author: Any) -> None:
    new = "quiet-meadow-lantern-81"
    _client(author).post(PAGE, {"old_password": "guess", "new_password1": new, "new_password2": new})
    author.refresh_from_db()
    assert author.check_password("alice-pw")


def test_an_account_of_the_identity_provider_is_sent_there(author: Any) -> None:
    author.set_unusable_password()
    author.save()
    response = _client(author).get(PAGE)
    assert response.status_code == 404 and "identity provider" in response.content.decode()


def test_the_nav_links_to_it(author: Any) -> None:
    assert f'href="{PAGE}"' in _client(author).get("/").content.decode()
