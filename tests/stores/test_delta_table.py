"""The Delta table itself: another reader sees documented columns, MERGE keys, no predicate injection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from deltalake import DeltaTable

from dc43_portal import odcs
from dc43_portal.stores.delta.store import DeltaContractStore
from tests.conftest import make_doc

COLUMNS = [
    "contract_id",
    "version",
    "major",
    "minor",
    "patch",
    "is_release",
    "prerelease_key",
    "status",
    "name",
    "description",
    "json",
    "fingerprint",
    "created_at",
    "updated_at",
    "updated_by",
]


@pytest.fixture
def uri(tmp_path: Path) -> str:
    return str(tmp_path / "contracts.delta")


def rows(uri: str) -> dict[tuple[str, str], dict]:
    table = DeltaTable(uri).to_pyarrow_table()
    return {(r["contract_id"], r["version"]): r for r in table.to_pylist()}


def test_another_reader_sees_the_documented_columns(uri: str) -> None:
    store = DeltaContractStore(uri)
    doc = make_doc(version="1.2.0-rc.1", description={"purpose": "Orders placed online."})
    store.put(doc, actor="alice")
    store.put(make_doc(version="1.0.0"))
    assert DeltaTable(uri).schema().to_arrow().names == COLUMNS
    row = rows(uri)[("sales.orders", "1.2.0-rc.1")]
    assert (row["major"], row["minor"], row["patch"], row["is_release"]) == (1, 2, 0, False)
    assert row["prerelease_key"] == "rc." + "1".zfill(20)
    assert (row["status"], row["name"], row["description"]) == ("draft", "Orders", "Orders placed online.")
    assert row["json"].encode("utf-8") == odcs.compact_json(doc)  # the author's key order, compact
    assert row["fingerprint"] == odcs.fingerprint(doc)
    assert row["updated_by"] == "alice" and row["created_at"] == row["updated_at"]
    assert rows(uri)[("sales.orders", "1.0.0")]["is_release"] is True


def test_put_is_a_merge_keyed_on_id_and_version(uri: str) -> None:
    store = DeltaContractStore(uri)
    store.put(make_doc())
    first = rows(uri)[("sales.orders", "1.0.0")]
    store.put(make_doc(name="Renamed"), actor="bob")
    assert len(DeltaTable(uri).to_pyarrow_table()) == 1
    again = rows(uri)[("sales.orders", "1.0.0")]
    assert again["name"] == "Renamed" and again["updated_by"] == "bob"
    assert again["created_at"] == first["created_at"] and again["updated_at"] > first["updated_at"]
    assert DeltaTable(uri).history(1)[0]["operation"] == "MERGE"


def test_an_identical_put_makes_no_commit(uri: str) -> None:
    store = DeltaContractStore(uri)
    store.put(make_doc())
    before = DeltaTable(uri).version()
    store.put(make_doc())
    store.put(make_doc(), overwrite=False)
    assert DeltaTable(uri).version() == before


def test_set_status_changes_column_and_payload_in_one_commit(uri: str) -> None:
    store = DeltaContractStore(uri)
    store.put(make_doc())
    before = DeltaTable(uri).version()
    store.set_status("sales.orders", "1.0.0", "active", actor="sam")
    assert DeltaTable(uri).version() == before + 1
    row = rows(uri)[("sales.orders", "1.0.0")]
    assert row["status"] == "active" and json.loads(row["json"])["status"] == "active"
    assert row["fingerprint"] == odcs.fingerprint(make_doc())


QUOTED = ["o'brien", "x' OR '1'='1", 'q"uote', "t.contract_id = s.contract_id --"]


@pytest.mark.parametrize("contract_id", QUOTED)
def test_quotes_in_ids_are_values_not_predicates(uri: str, contract_id: str) -> None:
    store = DeltaContractStore(uri)
    store.put(make_doc("bystander"))
    store.put(make_doc(contract_id))
    store.put(make_doc(contract_id, name="Replaced"))
    store.set_status(contract_id, "1.0.0", "proposed")
    assert store.get_document(contract_id, "1.0.0")["name"] == "Replaced"
    store.delete(contract_id, "1.0.0")
    assert set(rows(uri)) == {("bystander", "1.0.0")}
    assert rows(uri)[("bystander", "1.0.0")]["status"] == "draft"
    assert store.list_contracts() == ["bystander"]


def test_hostile_ids_are_refused_before_the_table_is_created(uri: str) -> None:
    store = DeltaContractStore(uri)
    with pytest.raises(ValueError):
        store.put(make_doc("../escape"))
    assert not Path(uri).exists()


def test_compaction_keeps_every_row(uri: str) -> None:
    store = DeltaContractStore(uri, compact_every=5)
    for minor in range(12):
        store.put(make_doc(version=f"1.{minor}.0"))
    assert any(c["operation"] == "OPTIMIZE" for c in DeltaTable(uri).history())
    assert len(DeltaTable(uri).file_uris()) < 12
    assert store.list_versions("sales.orders") == [f"1.{m}.0" for m in range(12)]
    assert DeltaContractStore(uri).get_document("sales.orders", "1.11.0")["version"] == "1.11.0"


def test_spark_mode() -> None:
    pytest.importorskip(
        "delta.tables",
        reason="Spark mode needs pyspark and delta-spark with the Delta Lake jars, "
        "which cannot be fetched on this machine (no Maven access)",
    )
