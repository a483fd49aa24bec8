"""The admin creates a token (its plain text shown once, on its own page), lists and revokes, never shows secrets."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from dc43_portal.api.models import ApiToken
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.database


def test_the_admin_creates_a_working_token_and_shows_it_once(admin_client: Client, author: Any) -> None:
    form = {"user": author.pk, "name": "from admin", "scope_list": ["read", "write"]}
    response = admin_client.post("/admin/api/apitoken/add/", form, follow=True)
    assert response.status_code == 200
    token = re.search(rb"dc43p_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", response.content)
    assert token is not None
    row = ApiToken.objects.get()
    assert (row.user, row.scopes) == (author, "read,write")
    assert ApiClient(token.group().decode()).get("/contracts").status_code == 200
    change_page = admin_client.get(f"/admin/api/apitoken/{row.pk}/change/")
    assert token.group() not in change_page.content and row.secret_sha256.encode() not in change_page.content


def test_the_admin_revokes_selected_tokens(admin_client: Client, author: Any, make_token: Any) -> None:
    token = make_token(author, "read")
    row = ApiToken.objects.get()
    form = {"action": "revoke", "_selected_action": [row.pk]}
    admin_client.post("/admin/api/apitoken/", form, follow=True)
    assert ApiClient(token).get("/contracts").status_code == 401
