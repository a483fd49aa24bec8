"""Security finding 1: a staff user holding "Can add API token" minted tokens for any user, the superuser
included. Now only a superuser creates tokens for someone else; everyone else only for themselves."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from dc43_portal.api.models import ApiToken

pytestmark = pytest.mark.database
ADD = "/admin/api/apitoken/add/"


def _token_clerk(user: Any) -> Client:
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_apitoken", "view_apitoken"]))
    client = Client()
    client.force_login(user)
    return client


def test_it_refuses_a_token_for_the_superuser(author: Any, admin_user: Any) -> None:
    client = _token_clerk(author)
    form = {"user": admin_user.pk, "name": "stolen", "scope_list": ["read", "write", "steward"]}
    response = client.post(ADD, form)
    assert response.status_code == 200  # the form again, with its error
    assert b"Select a valid choice" in response.content
    assert not ApiToken.objects.exists()


def test_it_refuses_a_token_for_another_steward(author: Any, steward: Any) -> None:
    client = _token_clerk(author)
    client.post(ADD, {"user": steward.pk, "name": "four eyes bypass", "scope_list": ["steward"]})
    assert not ApiToken.objects.filter(user=steward).exists()


def test_it_offers_only_themselves(author: Any, steward: Any, admin_user: Any) -> None:
    page = _token_clerk(author).get(ADD).content.decode()
    assert f'value="{author.pk}"' in page
    assert f'value="{steward.pk}"' not in page and f'value="{admin_user.pk}"' not in page


def test_it_lets_a_staff_user_mint_their_own(author: Any) -> None:
    response = _token_clerk(author).post(ADD, {"user": author.pk, "name": "mine", "scope_list": ["read"]})
    assert response.status_code == 200
    assert ApiToken.objects.get().user == author


def test_a_superuser_still_mints_for_others(admin_client: Client, steward: Any) -> None:
    admin_client.post(ADD, {"user": steward.pk, "name": "for sam", "scope_list": ["read"]})
    assert ApiToken.objects.get().user == steward
