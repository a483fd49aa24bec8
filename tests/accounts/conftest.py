"""The domain cast: people whose roles hold in one domain only (DESIGN §10)."""

from __future__ import annotations

from typing import Any

import pytest

from dc43_portal.accounts.models import RoleAssignment


def person(django_user_model: Any, username: str, *grants: tuple[str, str]) -> Any:
    """A user holding ``(role, domain)`` grants and nothing else (no group)."""
    user = django_user_model.objects.create_user(username=username, password=f"{username}-pw")
    for role, domain in grants:
        RoleAssignment.objects.create(user=user, role=role, domain=domain)
    return user


@pytest.fixture
def sales_author(db: None, django_user_model: Any) -> Any:
    return person(django_user_model, "sally", ("author", "sales"))


@pytest.fixture
def finance_steward(db: None, django_user_model: Any) -> Any:
    return person(django_user_model, "fred", ("author", "sales"), ("steward", "finance"))


@pytest.fixture
def sales_steward(db: None, django_user_model: Any) -> Any:
    return person(django_user_model, "stan", ("steward", "sales"))


@pytest.fixture
def sales_steward2(db: None, django_user_model: Any) -> Any:
    return person(django_user_model, "stella", ("steward", "sales"))


@pytest.fixture
def finance_viewer(db: None, django_user_model: Any) -> Any:
    return person(django_user_model, "fiona", ("viewer", "finance"))


@pytest.fixture
def nobody(db: None, django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(username="nemo", password="nemo-pw")


# The identity provider process and its settings (tests/accounts/oidc_provider.py).
from tests.accounts.oidc_provider import provider, provider_process  # noqa: E402, F401
