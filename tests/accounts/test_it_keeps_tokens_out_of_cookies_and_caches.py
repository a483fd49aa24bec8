"""Security finding 4: a token created in the admin travelled in the messages cookie, and the token page
had no ``Cache-Control: no-store``. Now the token is shown once on the response's own page, never cached."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.database
TOKEN = re.compile(r"dc43p_[0-9a-f]{12}_[A-Za-z0-9_-]{43}")


def _cookies_text(client: Client, response: Any) -> str:
    jar = [*response.cookies.values(), *client.cookies.values()]
    return " ".join(f"{c.key}={c.value}" for c in jar)


def test_the_admin_shows_a_new_token_once_without_a_cookie(admin_client: Client, author: Any) -> None:
    form = {"user": author.pk, "name": "job", "scope_list": ["read"]}
    response = admin_client.post("/admin/api/apitoken/add/", form)
    assert response.status_code == 200  # the page itself, not a redirect to a message
    found = TOKEN.search(response.content.decode())
    assert found is not None
    assert "no-store" in response["Cache-Control"]
    assert found.group() not in _cookies_text(admin_client, response)
    assert found.group() not in admin_client.get("/admin/api/apitoken/").content.decode()


def test_the_profile_page_is_never_stored(author: Any) -> None:
    client = Client()
    client.force_login(author)
    response = client.post("/account/tokens/", {"name": "nightly", "scopes": ["read"]}, follow=True)
    found = TOKEN.search(response.content.decode())
    assert found is not None
    assert "no-store" in response["Cache-Control"]
    assert found.group() not in _cookies_text(client, response)
    assert TOKEN.search(client.get("/account/tokens/").content.decode()) is None


def test_messages_never_ride_in_a_cookie(author: Any) -> None:
    client = Client()
    client.force_login(author)
    client.post("/account/tokens/", {"name": "nightly", "scopes": ["read"]})
    from dc43_portal.api.models import ApiToken

    response = client.post(f"/account/tokens/{ApiToken.objects.get().pk}/revoke")
    assert "messages" not in response.cookies
