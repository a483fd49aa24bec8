"""Every valid version fits the mirror's columns, and a version that would not is a 400 before any write.

Found by the QA sweep: ``99999999999999999999.0.0`` overflowed SQLite's integer (500) and
``3000000000.0.0`` PostgreSQL's; a 128-byte pre-release of one-digit identifiers overflowed the sort
key column. Each answered 500 after the store had written the file. The columns are 64-bit now, so
timestamp-like majors (``20240101120000.0.0``) fit, and anything larger is refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from dc43_portal.contracts import services
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from dc43_portal.errors import InvalidContract
from dc43_portal.versioning import MAX_VERSION_BYTES, MAX_VERSION_NUMBER, parse_version
from tests.conftest import make_doc

pytestmark = pytest.mark.database

# The longest sort key: 61 one-digit pre-release identifiers, each padded to 20 digits.
LONGEST_KEY_VERSION = "0.0.0-" + ".".join(["1"] * 61)


@pytest.mark.parametrize(
    "version", [f"{MAX_VERSION_NUMBER + 1}.0.0", f"0.{MAX_VERSION_NUMBER + 1}.0", "0.0.99999999999999999999"]
)
def test_it_refuses_numbers_beyond_a_database_integer(version: str) -> None:
    with pytest.raises(InvalidContract, match=f"at most {MAX_VERSION_NUMBER}"):
        parse_version(version)


def test_it_accepts_the_largest_number() -> None:
    assert parse_version(f"{MAX_VERSION_NUMBER}.0.0").major == MAX_VERSION_NUMBER == 2**63 - 1


def test_it_mirrors_the_extreme_versions(db: None) -> None:
    assert len(LONGEST_KEY_VERSION) == MAX_VERSION_BYTES - 1
    for version in (LONGEST_KEY_VERSION, f"{MAX_VERSION_NUMBER}.{MAX_VERSION_NUMBER}.{MAX_VERSION_NUMBER}"):
        services.contract_publish(document=make_doc(version=version), actor="alice")
    rows = ContractVersion.objects.order_by("major")
    assert [row.version for row in rows] == [
        LONGEST_KEY_VERSION,
        f"{MAX_VERSION_NUMBER}.{MAX_VERSION_NUMBER}.{MAX_VERSION_NUMBER}",
    ]
    assert len(rows[0].prerelease_key) == 1280


def test_it_answers_400_and_writes_nothing(author: Any, contract_store_dir: Path) -> None:
    from dc43_portal.api.tokens import token_create

    token = token_create(user=author, name="t", scopes="read,write")[1]
    version = "99999999999999999999.0.0"
    response = Client().put(
        f"/api/v1/contracts/sales.orders/versions/{version}",
        json.dumps(make_doc(version=version)),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert f"at most {MAX_VERSION_NUMBER}" in response.json()["detail"]
    assert not ContractVersion.objects.exists() and not LifecycleEvent.objects.exists()
    assert not any(contract_store_dir.rglob("*"))
