"""What the database store adds to the interface: change rows, the fingerprint column, property search."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dc43_portal import odcs
from dc43_portal.dbstore.models import ContractDocument
from dc43_portal.dbstore.store import DatabaseContractStore
from dc43_portal.errors import InvalidContract, StoreUnavailable
from tests.conftest import make_doc

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def nested_doc(version: str = "1.0.0", **extra: Any) -> dict[str, Any]:
    doc = make_doc(version=version, **extra)
    doc["schema"][0]["properties"].append(
        {"name": "Shipping", "logicalType": "object", "properties": [{"name": "Postcode", "logicalType": "string"}]}
    )
    return doc


def test_history_records_every_change_with_its_actor() -> None:
    store = DatabaseContractStore()
    store.put(make_doc(), actor="alice")
    store.put(make_doc(), actor="alice")  # identical: nothing recorded
    store.put(make_doc(name="Renamed"), actor="alice")
    store.set_status("sales.orders", "1.0.0", "active", actor="sam")
    store.delete("sales.orders", "1.0.0", actor="sam")
    got = [(e.who, e.what, e.version) for e in store.history("sales.orders")]
    assert got == [
        ("alice", "publish (Draft)", "1.0.0"),
        ("alice", "replace (Draft)", "1.0.0"),
        ("sam", "status (Validated)", "1.0.0"),
        ("sam", "delete (Validated)", "1.0.0"),
    ]


def test_the_fingerprint_comes_from_its_column_without_the_payload() -> None:
    store = DatabaseContractStore()
    store.put(make_doc(), actor="alice")
    store.set_status("sales.orders", "1.0.0", "proposed")
    with CaptureQueriesContext(connection) as queries:
        assert store.fingerprint("sales.orders", "1.0.0") == odcs.fingerprint(make_doc())
    assert len(queries) == 1 and '"document"' not in queries[0]["sql"]
    row = ContractDocument.objects.get()
    assert (row.status, row.document["status"]) == ("proposed", "proposed")


def test_find_property_matches_nested_names_in_any_case() -> None:
    store = DatabaseContractStore()
    store.put(nested_doc(), actor="alice")
    store.put(make_doc("other", version="2.0.0"), actor="alice")
    assert store.find_property("postcode") == [("sales.orders", "1.0.0")]
    assert store.find_property("ORDER_ID") == [("other", "2.0.0"), ("sales.orders", "1.0.0")]
    assert store.find_property("code") == []  # whole names only


def test_postgres_answers_property_search_from_the_gin_index() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the GIN index exists on PostgreSQL only")
    store = DatabaseContractStore()
    store.put(nested_doc(), actor="alice")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a two-row table would rather be scanned
        cursor.execute(
            "EXPLAIN SELECT contract_id FROM dc43_contract_document WHERE property_names @> %s::jsonb", ['["postcode"]']
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "dc43_contract_document_props_gin" in plan


def test_postgres_refuses_a_nul_character_clearly_and_writes_nothing() -> None:
    store = DatabaseContractStore()
    doc = make_doc(description={"purpose": "bad \x00 byte"})
    if connection.vendor != "postgresql":
        store.put(doc)  # SQLite keeps it, escaped in the JSON text
        assert store.get_document("sales.orders", "1.0.0") == doc
        return
    with pytest.raises(InvalidContract, match="the database refused sales.orders 1.0.0"):
        store.put(doc)
    assert store.list_versions("sales.orders") == []
    store.put(make_doc())  # the connection is still usable


def test_check_names_a_missing_database_alias() -> None:
    assert DatabaseContractStore().check() == []
    assert DatabaseContractStore(using="payloads").check() == ["DATABASES has no alias 'payloads'"]


def test_missing_tables_are_a_503_that_says_migrate() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE dc43_contract_document")  # rolled back with the test's transaction
    with pytest.raises(StoreUnavailable, match=r"manage.py migrate"):
        DatabaseContractStore().list_versions("sales.orders")
