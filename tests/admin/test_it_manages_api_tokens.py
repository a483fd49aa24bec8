"""API tokens in the admin: created with the secret shown once, listed by date, revoked; the hash never shown."""

from __future__ import annotations

from typing import Any

import pytest

from dc43_portal.api.models import ApiToken
from tests.fixtures.cast import login

pytestmark = pytest.mark.database

TOKENS = "/admin/api/apitoken/"


def test_it_creates_and_revokes_a_token(superuser: Any, steward: Any) -> None:
    client = login(superuser)
    response = client.post(
        f"{TOKENS}add/", {"user": steward.pk, "name": "ci", "scope_list": ["read", "steward"]}, follow=True
    )
    token = ApiToken.objects.get()
    # Shown once on the answer's own page (never through the messages cookie).
    page = response.content.decode()
    shown = [line for line in page.splitlines() if 'id="new-token"' in line]
    assert "shown only on this page" in page and len(shown) == 1 and f"dc43p_{token.key_id}_" in shown[0]
    assert token.scopes == "read,steward" and token.secret_sha256 not in shown[0]
    change = client.get(f"{TOKENS}{token.pk}/change/").content.decode()
    assert token.secret_sha256 not in change
    assert client.get(TOKENS).context["cl"].date_hierarchy == "created_at"
    client.post(TOKENS, {"action": "revoke", "_selected_action": [token.pk], "index": "0"})
    token.refresh_from_db()
    assert token.revoked_at is not None
