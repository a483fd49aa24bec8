"""Admin fixtures: staff members of the cast (``tests.fixtures.cast``) and how the admin's pages are posted."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from dc43_portal.contracts.models import ContractVersion

VERSIONS = "/admin/contracts/contractversion/"
CONTRACTS = "/admin/contracts/contract/"
EVENTS = "/admin/contracts/lifecycleevent/"


def staff(user: Any, *codenames: str) -> Any:
    """Let ``user`` into the admin, with extra permissions of the contracts app."""
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="contracts", codename__in=codenames))
    return type(user).objects.get(pk=user.pk)  # drop the cached permissions


def action(client: Client, name: str, rows: list[ContractVersion], **extra: str) -> Any:
    """POST an admin action on ``rows`` as the changelist does (first step) or confirmed (with ``post=yes``)."""
    data = {"action": name, "_selected_action": [str(r.pk) for r in rows], **extra}
    if "post" not in extra:
        data["index"] = "0"
    return client.post(VERSIONS, data, follow="post" in extra)


@pytest.fixture
def staff_steward(steward: Any) -> Any:
    return staff(steward, "delete_contractversion")


@pytest.fixture
def staff_steward2(steward2: Any) -> Any:
    return staff(steward2)


@pytest.fixture
def staff_author(author: Any) -> Any:
    return staff(author)
