"""Security finding 10 (first half): sessions lasted 14 days with no idle timeout. Now a session unused for
``DC43_SESSION_IDLE_SECONDS`` is signed out, and any request within it keeps the session alive."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import LazySettings
from django.test import Client

from dc43_portal.accounts.middleware import SESSION_KEY

pytestmark = pytest.mark.database


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get("/").status_code == 200
    return client


def _age(client: Client, seconds: int) -> None:
    session = client.session
    session[SESSION_KEY] = int(time.time()) - seconds
    session.save()


def test_an_idle_session_is_signed_out(viewer: Any, settings: LazySettings) -> None:
    settings.DC43_SESSION_IDLE_SECONDS = 600
    client = _signed_in(viewer)
    _age(client, 601)
    response = client.get("/activity/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/activity/")
    follow = client.get(response["Location"])
    assert "signed out after a period of inactivity" in follow.content.decode()
    assert client.get("/").status_code == 302  # still signed out


def test_an_htmx_request_gets_a_full_page_redirect(viewer: Any, settings: LazySettings) -> None:
    settings.DC43_SESSION_IDLE_SECONDS = 600
    client = _signed_in(viewer)
    _age(client, 601)
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Redirect"].startswith("/accounts/login/")


def test_an_active_session_stays(viewer: Any, settings: LazySettings) -> None:
    settings.DC43_SESSION_IDLE_SECONDS = 600
    client = _signed_in(viewer)
    _age(client, 599)
    assert client.get("/").status_code == 200
    assert client.session[SESSION_KEY] >= int(time.time()) - 5  # the request renewed it


def test_sessions_end_within_a_day(settings: LazySettings) -> None:
    assert settings.SESSION_COOKIE_AGE <= 24 * 3600
