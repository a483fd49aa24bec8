"""``manage.py create_api_token USERNAME --scopes ...`` prints only the token, and the token works."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from dc43_portal.api.models import ApiToken
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.database


def create(*args: str) -> str:
    out = StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue()


def test_it_prints_only_a_working_token(author: Any) -> None:
    printed = create("alice", "--scopes", "read,write", "--name", "nightly job")
    token = printed.strip()
    assert printed == token + "\n" and token.startswith("dc43p_") and " " not in token
    row = ApiToken.objects.get()
    assert (row.name, row.scopes, row.user) == ("nightly job", "read,write", author)
    assert ApiClient(token).get("/contracts").status_code == 200


def test_it_refuses_unknown_scopes_and_users(author: Any) -> None:
    with pytest.raises(CommandError, match="unknown scope"):
        create("alice", "--scopes", "read,admin")
    with pytest.raises(CommandError, match="no user"):
        create("mallory")
    assert ApiToken.objects.count() == 0
