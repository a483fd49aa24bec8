"""Shared fixtures: a fresh filesystem store per test, a small document, and the ODCS corpus's place.

The cast of users and versions in every status come from the ``tests.fixtures.cast`` plugin.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.core.cache import caches

from dc43_portal.contracts.handler import contract_stores

REPO = Path(__file__).resolve().parent.parent
# CI and sessions keep ../shared beside the clone; DC43_SHARED_DIR points elsewhere when it is not.
SHARED_ODCS = Path(os.environ.get("DC43_SHARED_DIR") or REPO.parent / "shared") / "odcs"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

pytest_plugins = ["tests.fixtures.cast", "tests.fixtures.browser"]


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


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say how many tests ran and how many skipped because the shared corpus is absent (one reason)."""
    from tests import corpus

    stats = terminalreporter.stats
    ran = [r for key in ("passed", "failed") for r in stats.get(key, []) if getattr(r, "when", "") == "call"]
    absent = [r for r in stats.get("skipped", []) if corpus.ABSENT_REASON in str(getattr(r, "longrepr", ""))]
    corpus_ran = sum(1 for r in ran if "corpus" in getattr(r, "keywords", {}))
    terminalreporter.write_sep("-", "ODCS corpus")
    if corpus.AVAILABLE:
        terminalreporter.write_line(f"{len(ran)} tests ran, {corpus_ran} of them on the corpus at {SHARED_ODCS}")
    else:
        terminalreporter.write_line(f"{len(ran)} tests ran; {len(absent)} skipped because {corpus.ABSENT_REASON}")
        terminalreporter.write_line("the own fixtures in tests/fixtures/odcs cover the same rules without it")


@pytest.fixture(autouse=True)
def contract_store_dir(tmp_path: Path, settings: LazySettings) -> Iterator[Path]:
    """Every test gets its own empty filesystem store as the default alias."""
    base = tmp_path / "contracts"
    settings.CONTRACT_STORES = {
        "default": {"BACKEND": "dc43_portal.stores.filesystem.FSContractStore", "OPTIONS": {"base_path": str(base)}}
    }
    caches["default"].clear()  # locmem outlives a test's rollback, and SQLite reuses the rolled-back ids
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
