"""The profile page: a user creates a token (shown once), sees its use, and revokes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dc43_portal.api.models import ApiToken
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.database


@pytest.fixture
def browser(author: Any) -> Client:
    client = Client()
    client.force_login(author)
    return client


def test_a_token_is_shown_once_after_creation(browser: Client) -> None:
    response = browser.post("/account/tokens/", {"name": "orders job", "scopes": ["read", "write"]}, follow=True)
    token = response.context["new_token"]["token"]
    assert token.encode() in response.content
    assert ApiClient(token).get("/contracts").status_code == 200
    again = browser.get("/account/tokens/")
    assert token.encode() not in again.content
    assert b"orders job" in again.content and b"read,write" in again.content
    assert b'href="/account/tokens/"' in again.content  # linked from the header


def test_a_revoked_token_gets_401(browser: Client, author: Any) -> None:
    browser.post("/account/tokens/", {"name": "temp", "scopes": ["read"]})
    token = browser.get("/account/tokens/").context["new_token"]["token"]
    row = ApiToken.objects.get()
    response = browser.post(f"/account/tokens/{row.pk}/revoke", follow=True)
    assert b"revoked" in response.content
    assert ApiClient(token).get("/contracts").status_code == 401


def test_nobody_revokes_someone_elses_token(browser: Client, steward: Any) -> None:
    other = ApiToken.objects.create(user=steward, name="theirs", key_id="a" * 12, secret_sha256="0" * 64, scopes="read")
    assert browser.post(f"/account/tokens/{other.pk}/revoke").status_code == 404
    assert ApiToken.objects.get(pk=other.pk).revoked_at is None


def test_a_form_without_scopes_is_refused(browser: Client) -> None:
    response = browser.post("/account/tokens/", {"name": "none"})
    assert response.status_code == 400
    assert ApiToken.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(anonymous: Client) -> None:
    response = anonymous.get("/account/tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
