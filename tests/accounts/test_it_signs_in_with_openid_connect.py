"""OpenID Connect sign-in against a real provider process (oidc-provider-mock on 127.0.0.1): the code flow,
users keyed by (issuer, subject), roles from the groups claim, and local accounts kept for break-glass."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import Client

from dc43_portal.accounts.models import ExternalIdentity, RoleAssignment
from dc43_portal.accounts.roles import grants_of
from tests.accounts.oidc_provider import Provider

pytestmark = pytest.mark.database


def sign_in(client: Client, provider: Provider, sub: str) -> Any:
    """Follow the code flow: the portal sends us to the provider, the provider back with a code."""
    start = client.get("/oidc/authenticate/?next=/queue/")
    assert start.status_code == 302 and start["Location"].startswith(provider.url)
    answer = httpx.post(start["Location"], data={"sub": sub}, follow_redirects=False, timeout=10)
    assert answer.status_code in (302, 303), answer.text
    callback = urlsplit(answer.headers["Location"])
    assert callback.path == "/oidc/callback/" and "code" in parse_qs(callback.query)
    return client.get(f"{callback.path}?{callback.query}")


def test_a_new_person_signs_in_with_the_roles_of_their_groups(provider: Provider) -> None:
    provider.add_user("fred", ["sales-authors", "finance-stewards", "unmapped"])
    client = Client()
    response = sign_in(client, provider, "fred")
    assert response.status_code == 302 and response["Location"] == "/queue/"
    identity = ExternalIdentity.objects.get(subject="fred")
    user = identity.user
    assert identity.issuer == provider.url and user.username == "fred" and not user.has_usable_password()
    assert grants_of(user).by_role == {"author": frozenset({"sales"}), "steward": frozenset({"finance"})}
    assert client.get("/queue/").status_code == 200


def test_the_next_sign_in_replaces_roles_from_groups_but_keeps_others(provider: Provider) -> None:
    provider.add_user("gina", ["sales-stewards"])
    sign_in(Client(), provider, "gina")
    user = ExternalIdentity.objects.get(subject="gina").user
    RoleAssignment.objects.create(user=user, role="viewer", domain="hr", note="granted in the admin")
    provider.add_user("gina", ["finance-stewards"])
    sign_in(Client(), provider, "gina")
    assert set(RoleAssignment.objects.filter(user=user).values_list("role", "domain")) == {
        ("steward", "finance"),
        ("viewer", "hr"),
    }


def test_an_identity_never_takes_over_a_local_account(provider: Provider, admin_user: Any) -> None:
    provider.add_user("mallory", ["sales-authors"], preferred_username=admin_user.username)
    client = Client()
    sign_in(client, provider, "mallory")
    user = ExternalIdentity.objects.get(subject="mallory").user
    assert user.pk != admin_user.pk and user.username.startswith(f"{admin_user.username}-")
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_person_without_a_mapped_group_sees_whom_to_ask(provider: Provider) -> None:
    provider.add_user("nina", ["marketing"])
    client = Client()
    sign_in(client, provider, "nina")
    response = client.get("/")
    assert response.status_code == 403 and "no role" in response.content.decode()


def test_the_login_page_offers_both(provider: Provider) -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert "Sign in with Example SSO" in page and 'href="/oidc/authenticate/' in page
    assert 'name="password"' in page  # local accounts stay, for the demo and break-glass admins


def test_without_a_provider_there_is_no_sso(db: None) -> None:
    assert Client().get("/oidc/authenticate/").status_code == 404
    assert "Sign in with" not in Client().get("/accounts/login/").content.decode()


def test_a_forged_callback_signs_nobody_in(provider: Provider) -> None:
    client = Client()
    client.get("/oidc/authenticate/")
    response = client.get("/oidc/callback/?code=forged&state=forged")
    assert response.status_code in (302, 400)
    assert "_auth_user_id" not in client.session
