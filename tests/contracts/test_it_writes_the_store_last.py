"""A write the database refuses leaves the store as it was: the store is written last, in the transaction.

Found by the QA sweep: the services wrote the store first, so a mirror or audit row the database refused
(an overflowing column, a NUL on PostgreSQL) answered 500 with the file already written. The refusal
here is real: a database trigger that aborts every insert into the audit table.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection

from dc43_portal.contracts import services
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from tests.conftest import make_doc

pytestmark = pytest.mark.database

TABLE = LifecycleEvent._meta.db_table


@pytest.fixture
def audit_refused(db: None) -> Iterator[None]:
    """From now on the database refuses every new audit event."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION qa_refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END; "
                "$$ LANGUAGE plpgsql"
            )
            cursor.execute(f"CREATE TRIGGER qa_refuse BEFORE INSERT ON {TABLE} EXECUTE FUNCTION qa_refuse()")
        else:
            cursor.execute(
                f"CREATE TRIGGER qa_refuse BEFORE INSERT ON {TABLE} BEGIN SELECT RAISE(ABORT, 'audit refused'); END"
            )
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER qa_refuse ON {TABLE}")
            cursor.execute("DROP FUNCTION qa_refuse()")
        else:
            cursor.execute("DROP TRIGGER qa_refuse")


def _files(base: Path) -> dict[str, Any]:
    return {str(p.relative_to(base)): json.loads(p.read_text()) for p in sorted(base.rglob("*.json"))}


def test_it_keeps_a_refused_publish_out_of_the_store(
    request: pytest.FixtureRequest, db: None, contract_store_dir: Path
) -> None:
    services.contract_publish(document=make_doc(version="1.0.0"), actor="alice")
    before = _files(contract_store_dir)
    request.getfixturevalue("audit_refused")
    with pytest.raises(DatabaseError):
        services.contract_publish(document=make_doc(version="1.1.0"), actor="alice")
    with pytest.raises(DatabaseError):
        services.contract_publish(document=make_doc(version="1.0.0", name="Replaced"), actor="alice")
    assert _files(contract_store_dir) == before
    assert list(ContractVersion.objects.values_list("version", flat=True)) == ["1.0.0"]


def test_it_keeps_a_refused_transition_out_of_the_store(
    request: pytest.FixtureRequest, author: Any, contract_store_dir: Path
) -> None:
    services.contract_publish(document=make_doc(), actor="alice")
    before = _files(contract_store_dir)
    request.getfixturevalue("audit_refused")
    with pytest.raises(DatabaseError):
        services.contract_transition(contract_id="sales.orders", version="1.0.0", to_status="proposed", user=author)
    assert _files(contract_store_dir) == before
    assert ContractVersion.objects.get().status == "draft"


def test_it_keeps_a_refused_delete_out_of_the_store(
    request: pytest.FixtureRequest, django_user_model: Any, contract_store_dir: Path
) -> None:
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    services.contract_publish(document=make_doc(), actor="alice")
    before = _files(contract_store_dir)
    request.getfixturevalue("audit_refused")
    with pytest.raises(DatabaseError):
        services.contract_delete(contract_id="sales.orders", version="1.0.0", user=admin)
    assert _files(contract_store_dir) == before
    assert ContractVersion.objects.filter(version="1.0.0").exists()
