"""Admin fixtures: staff members of the cast, and versions in each status published through the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from dc43_portal.contracts.models import ContractVersion
from dc43_portal.contracts.services import contract_publish, contract_transition
from tests.conftest import make_doc

VERSIONS = "/admin/contracts/contractversion/"
CONTRACTS = "/admin/contracts/contract/"
EVENTS = "/admin/contracts/lifecycleevent/"


def staff(user: Any, *codenames: str) -> Any:
    """Let ``user`` into the admin, with extra permissions of the contracts app."""
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="contracts", codename__in=codenames))
    return type(user).objects.get(pk=user.pk)  # drop the cached permissions


def publish(user: Any, version: str = "1.0.0", contract_id: str = "sales.orders", **extra: Any) -> ContractVersion:
    return contract_publish(document=make_doc(contract_id, version, **extra), actor=user.username).version


def move(user: Any, status: str, version: str = "1.0.0", **kwargs: Any) -> ContractVersion:
    return contract_transition(contract_id="sales.orders", version=version, to_status=status, user=user, **kwargs)


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def action(client: Client, name: str, rows: list[ContractVersion], **extra: str) -> Any:
    """POST an admin action on ``rows`` as the changelist does (first step) or confirmed (with ``post=yes``)."""
    data = {"action": name, "_selected_action": [str(r.pk) for r in rows], **extra}
    if "post" not in extra:
        data["index"] = "0"
    return client.post(VERSIONS, data, follow="post" in extra)


@pytest.fixture
def superuser(db: None, django_user_model: Any) -> Any:
    return django_user_model.objects.create_superuser("root", "root@example.com", "root-pw")


@pytest.fixture
def staff_steward(steward: Any) -> Any:
    return staff(steward, "delete_contractversion")


@pytest.fixture
def staff_steward2(steward2: Any) -> Any:
    return staff(steward2)


@pytest.fixture
def staff_author(author: Any) -> Any:
    return staff(author)


@pytest.fixture
def draft(author: Any) -> ContractVersion:
    return publish(author)


@pytest.fixture
def proposed(draft: ContractVersion, author: Any) -> ContractVersion:
    return move(author, "proposed")


@pytest.fixture
def validated(proposed: ContractVersion, steward2: Any) -> ContractVersion:
    return move(steward2, "active")
