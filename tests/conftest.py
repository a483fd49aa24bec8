"""Shared fixtures: a fresh filesystem store per test, the cast of users, and the ODCS corpus."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings

from dc43_portal.contracts.handler import contract_stores

REPO = Path(__file__).resolve().parent.parent
# CI and sessions keep ../shared beside the clone; DC43_SHARED_DIR points elsewhere when it is not.
SHARED_ODCS = Path(os.environ.get("DC43_SHARED_DIR") or REPO.parent / "shared") / "odcs"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Tests run without collectstatic, so static URLs come from the plain storage.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # whitenoise warns on a missing folder
    # PBKDF2 costs ~0.4 s per user created; the cast of users needs no real password strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def contract_store_dir(tmp_path: Path, settings: LazySettings) -> Iterator[Path]:
    """Every test gets its own empty filesystem store as the default alias."""
    base = tmp_path / "contracts"
    settings.CONTRACT_STORES = {
        "default": {"BACKEND": "dc43_portal.stores.filesystem.FSContractStore", "OPTIONS": {"base_path": str(base)}}
    }
    yield base
    contract_stores.reset()


def make_doc(contract_id: str = "sales.orders", version: str = "1.0.0", **extra: Any) -> dict[str, Any]:
    """A small valid ODCS v3.1.0 document."""
    doc: dict[str, Any] = {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": contract_id,
        "version": version,
        "status": "draft",
        "name": "Orders",
        "domain": "sales",
        "tags": ["orders"],
        "team": {"name": "sales-data", "members": [{"username": "olivia", "role": "owner"}]},
        "schema": [
            {
                "name": "orders",
                "logicalType": "object",
                "properties": [
                    {"name": "order_id", "logicalType": "string", "required": True, "primaryKey": True},
                    {"name": "amount", "logicalType": "number"},
                ],
            }
        ],
    }
    doc.update(extra)
    return doc


@pytest.fixture
def doc() -> dict[str, Any]:
    return make_doc()


def _user(django_user_model: Any, username: str, group: str | None) -> Any:
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(username=username, password=f"{username}-pw")
    if group:
        user.groups.add(Group.objects.filter(name=group).first() or _recreate_group(group))
    return user


def _recreate_group(name: str) -> Any:
    """A transactional test flushes the tables, and the groups of the data migration with them."""
    from importlib import import_module

    from django.contrib.auth.models import Group, Permission

    codenames = import_module("dc43_portal.contracts.migrations.0002_groups").GROUPS[name]
    group = Group.objects.create(name=name)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="contracts", codename__in=codenames))
    return group


@pytest.fixture
def author(db: None, django_user_model: Any) -> Any:
    return _user(django_user_model, "alice", "authors")


@pytest.fixture
def author2(db: None, django_user_model: Any) -> Any:
    return _user(django_user_model, "arthur", "authors")


@pytest.fixture
def steward(db: None, django_user_model: Any) -> Any:
    return _user(django_user_model, "sam", "stewards")


@pytest.fixture
def steward2(db: None, django_user_model: Any) -> Any:
    return _user(django_user_model, "sue", "stewards")


@pytest.fixture
def viewer(db: None, django_user_model: Any) -> Any:
    return _user(django_user_model, "victor", "viewers")
