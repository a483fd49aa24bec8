"""Bearer tokens: 401 without a good one, 403 beyond its scopes or its user's groups, hashed at rest."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from dc43_portal.api.models import ApiToken
from dc43_portal.api.tokens import callers, forget_credentials, split_token, token_authenticate, token_revoke
from tests.api.conftest import ApiClient, TokenFactory
from tests.conftest import make_doc

pytestmark = pytest.mark.database
BODY = json.dumps(make_doc())
PATH = "/contracts/sales.orders/versions/1.0.0"


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer nope", "Basic YWxpY2U6cHc=", "Bearer dc43p_000000000000_wrong-secret"],
)
def test_it_refuses_a_missing_or_bad_token_with_json_401(author: Any, header: str | None) -> None:
    api = ApiClient()
    headers = {"Authorization": header} if header else {}
    response = api.get("/contracts", headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_the_right_key_with_a_wrong_secret_is_refused(author: Any, make_token: TokenFactory) -> None:
    token = make_token(author, "read")
    assert ApiClient(token).get("/contracts").status_code == 200
    assert ApiClient(token[:-2] + "xx").get("/contracts").status_code == 401


def test_a_revoked_token_stops_working_at_once(author: Any, make_token: TokenFactory) -> None:
    token = make_token(author, "read")
    token_revoke(token=ApiToken.objects.get())
    assert ApiClient(token).get("/contracts").status_code == 401


def test_an_inactive_user_s_token_is_refused(author: Any, make_token: TokenFactory) -> None:
    token = make_token(author, "read")
    author.is_active = False
    author.save()
    assert ApiClient(token).get("/contracts").status_code == 401


def test_a_read_token_cannot_write(author: Any, make_token: TokenFactory) -> None:
    response = ApiClient(make_token(author, "read")).put(PATH, BODY)
    assert response.status_code == 403
    assert response.json() == {"detail": "this token lacks the 'write' scope", "error": "permission_denied"}


def test_a_token_never_exceeds_its_users_groups(viewer_api: ApiClient) -> None:
    response = viewer_api.put(PATH, BODY)  # the viewer's token claims every scope
    assert response.status_code == 403
    assert "groups do not allow the 'write' scope" in response.json()["detail"]
    assert viewer_api.get("/contracts").status_code == 200


def test_a_user_in_no_group_cannot_even_read(django_user_model: Any, make_token: TokenFactory) -> None:
    nobody = django_user_model.objects.create_user("nobody")
    assert ApiClient(make_token(nobody, "read")).get("/contracts").status_code == 403


def test_a_superuser_holds_every_scope_the_token_names(django_user_model: Any, make_token: TokenFactory) -> None:
    admin = django_user_model.objects.create_superuser("root")
    assert ApiClient(make_token(admin, "read,write")).put(PATH, BODY).status_code == 204


def test_anonymous_reads_only_when_the_setting_allows(author_api: ApiClient, anonymous_api: ApiClient) -> None:
    author_api.put(PATH, BODY)
    assert anonymous_api.get(PATH).status_code == 401
    with override_settings(DC43_API_ANONYMOUS_READ=True):
        assert anonymous_api.get(PATH).status_code == 200
        assert anonymous_api.put(PATH, BODY).status_code == 401


def test_only_a_hash_of_the_secret_is_stored(author: Any, make_token: TokenFactory) -> None:
    token = make_token(author, "read")
    row = ApiToken.objects.get()
    parts = split_token(token)
    assert parts is not None and parts[0] == row.key_id
    secret = parts[1]
    assert len(secret) >= 43  # 32 random bytes, base64url
    assert row.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in json.dumps(list(ApiToken.objects.values()), default=str)


def test_last_used_is_written_at_most_once_a_minute(author: Any, make_token: TokenFactory) -> None:
    token = make_token(author, "read")
    assert token_authenticate(token, fresh=True) is not None
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    assert token_authenticate(token, fresh=True) is not None
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(minutes=2))
    assert token_authenticate(token, fresh=True) is not None
    assert ApiToken.objects.get().last_used_at > first


def test_reads_reuse_a_checked_token_briefly_and_writes_never(
    author: Any, make_token: TokenFactory, django_assert_num_queries: Any
) -> None:
    token = make_token(author, "read,write")
    token_authenticate(token)  # checks the token, reads the groups' grants, writes last_used
    with django_assert_num_queries(0):
        caller = token_authenticate(token)
    assert caller is not None and caller.allows("read") and caller.allows("write") and not caller.allows("steward")
    with django_assert_num_queries(2):  # the token and the grants, both read again
        token_authenticate(token, fresh=True)


def test_a_revocation_elsewhere_stops_writes_at_once_and_reads_within_seconds(
    author: Any, make_token: TokenFactory
) -> None:
    api = ApiClient(make_token(author, "read,write"))
    assert api.get("/contracts").status_code == 200
    ApiToken.objects.update(revoked_at=timezone.now())  # as another worker would: this process hears nothing
    assert api.get("/contracts").status_code == 200  # for up to CALLER_TTL_SECONDS
    assert api.put(PATH, BODY).status_code == 401
    callers.clear()  # what the TTL does
    assert api.get("/contracts").status_code == 401


def test_a_write_sees_a_group_change_at_once(author: Any, make_token: TokenFactory) -> None:
    token = make_token(author, "read,write")
    api = ApiClient(token)
    assert api.get("/contracts").status_code == 200  # caller and grants now cached for reads
    # A bulk delete sends no m2m_changed signal, as when another process changes the groups.
    author.groups.through.objects.filter(user=author).delete()
    assert api.get("/contracts").status_code == 200  # reads may lag by a few seconds
    assert api.put(PATH, BODY).status_code == 403  # writes never do
    forget_credentials()
    assert api.get("/contracts").status_code == 403
