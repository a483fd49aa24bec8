"""The groups give the roles the lifecycle rules read; logging in and out with Django auth."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from dc43_portal.contracts.lifecycle import ActorFacts


@pytest.mark.database
def test_it_reads_roles_from_the_groups(author: Any, steward: Any, viewer: Any, django_user_model: Any) -> None:
    assert ActorFacts.of(author) == ActorFacts("alice", is_author=True)
    assert ActorFacts.of(steward) == ActorFacts("sam", is_steward=True)
    assert ActorFacts.of(viewer) == ActorFacts("victor")
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "root-pw")
    assert ActorFacts.of(admin) == ActorFacts("root", is_author=True, is_steward=True)
    assert ActorFacts.of(AnonymousUser()) == ActorFacts("")


def test_it_logs_in_and_out(client: Client, steward: Any) -> None:
    response = client.post(reverse("login"), {"username": "sam", "password": "sam-pw"})
    assert response.status_code == 302 and response["Location"] == reverse("contracts:list")
    body = client.get(reverse("contracts:list")).content.decode()
    assert "<strong>sam</strong>" in body and "Log out" in body
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("contracts:list")).status_code == 302


def test_it_refuses_a_wrong_password(client: Client, steward: Any) -> None:
    response = client.post(reverse("login"), {"username": "sam", "password": "nope"})
    assert response.status_code == 200
    assert "didn't match" in response.content.decode()
