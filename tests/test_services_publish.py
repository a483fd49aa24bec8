"""contract_publish: the one write path, its guards, and what happens when the store or mirror fails."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError
from django.test import override_settings

from dc43_portal import odcs
from dc43_portal.contracts import mirror, services
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import Contract, ContractVersion, LifecycleEvent
from dc43_portal.contracts.services.sync import contract_sync
from dc43_portal.errors import ContractConflict, DocumentTooLarge, InvalidContract, StaleWrite, StoreUnavailable
from tests.conftest import make_doc

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def publish(doc: dict[str, Any], **kwargs: Any) -> services.PublishResult:
    return services.contract_publish(document=doc, actor=kwargs.pop("actor", "alice"), **kwargs)


def test_it_stores_a_draft_and_mirrors_it_with_an_event() -> None:
    result = publish(make_doc(status="active"))
    assert result.created and result.changed
    assert default_store().get_document("sales.orders", "1.0.0")["status"] == "draft"
    row = ContractVersion.objects.get()
    assert (row.status, row.created_by, row.fingerprint) == ("draft", "alice", odcs.fingerprint(make_doc()))
    assert (row.schema_count, row.property_count) == (1, 2)
    contract = Contract.objects.get()
    assert (contract.name, contract.domain, contract.owner, contract.tags) == ("Orders", "sales", "olivia", ["orders"])
    event = LifecycleEvent.objects.get()
    assert (event.action, event.actor, event.to_status) == ("publish", "alice", "draft")


def test_it_parses_uploaded_bytes() -> None:
    publish(odcs.dump_yaml(make_doc()).encode())  # type: ignore[arg-type]
    assert ContractVersion.objects.count() == 1


def test_invalid_documents_write_nothing(contract_store_dir: Path) -> None:
    bad = make_doc()
    bad["schema"][0]["properties"][0]["logicalType"] = "strin"
    with pytest.raises(InvalidContract, match=r"schema\[0\].properties\[0\].logicalType"):
        publish(bad)
    assert not contract_store_dir.exists() or not any(contract_store_dir.iterdir())
    assert (Contract.objects.count(), LifecycleEvent.objects.count()) == (0, 0)


@override_settings(DC43_MAX_DOCUMENT_BYTES=1000)
def test_too_large_uploads_write_nothing() -> None:
    with pytest.raises(DocumentTooLarge):
        publish(json.dumps(make_doc(description={"purpose": "x" * 2000})))  # type: ignore[arg-type]
    assert Contract.objects.count() == 0


def test_a_draft_can_be_replaced_and_identical_content_is_a_noop() -> None:
    publish(make_doc())
    again = publish(make_doc())
    assert not again.changed
    replaced = publish(make_doc(name="Orders v2"), actor="arthur")
    assert replaced.changed and not replaced.created
    assert default_store().get_document("sales.orders", "1.0.0")["name"] == "Orders v2"
    assert ContractVersion.objects.get().updated_by == "arthur"
    assert list(LifecycleEvent.objects.order_by("id").values_list("action", flat=True)) == ["publish", "replace"]


def test_the_expected_fingerprint_protects_a_newer_draft() -> None:
    first = publish(make_doc()).version.fingerprint
    publish(make_doc(name="Someone else's edit"), expected_fingerprint=first)
    with pytest.raises(StaleWrite):
        publish(make_doc(name="My stale edit"), expected_fingerprint=first)
    assert default_store().get_document("sales.orders", "1.0.0")["name"] == "Someone else's edit"
    with pytest.raises(StaleWrite):
        publish(make_doc(version="9.0.0"), expected_fingerprint=first)


@pytest.mark.parametrize("status", ["proposed", "active", "deprecated"])
def test_unchangeable_versions_refuse_new_content(status: str) -> None:
    publish(make_doc(status=status), keep_status=True, source="import")
    assert publish(make_doc(status=status)).changed is False  # identical content: a no-op
    with pytest.raises(ContractConflict, match="cannot change"):
        publish(make_doc(name="Changed"))
    stored = default_store().get_document("sales.orders", "1.0.0")
    assert (stored["name"], stored["status"]) == ("Orders", status)


def test_versions_differing_only_in_build_metadata_conflict() -> None:
    publish(make_doc(version="1.0.0+build.1"))
    with pytest.raises(ContractConflict, match="build metadata"):
        publish(make_doc(version="1.0.0+build.2"))


def test_the_downgrade_guard_refuses_activating_below_the_active_line() -> None:
    publish(make_doc(version="1.2.0", status="active"), keep_status=True, source="import")
    services.guard_downgrade("sales.orders", "1.3.0")
    services.guard_downgrade("sales.orders", "2.0.0")
    services.guard_downgrade("sales.orders", "0.9.0")  # another major line
    with pytest.raises(ContractConflict, match="below 1.2.0"):
        services.guard_downgrade("sales.orders", "1.1.0")


def test_a_failing_store_write_mirrors_nothing(settings: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store wants a folder")
    settings.CONTRACT_STORES = {
        "default": {"BACKEND": "dc43_portal.stores.filesystem.FSContractStore", "OPTIONS": {"base_path": str(blocker)}}
    }
    with pytest.raises(StoreUnavailable, match="could not write sales.orders 1.0.0"):
        publish(make_doc())
    assert (ContractVersion.objects.count(), LifecycleEvent.objects.count()) == (0, 0)


def test_a_failing_mirror_write_is_repaired_by_sync(monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulated: a database lost right after the store write (the store is written last) cannot be produced
    # on demand. A database that refuses the mirror or audit rows is tested for real in test_it_writes_the_store_last.
    store = default_store()
    real_put = store.put

    def put_then_lose_the_database(contract: Any, **kwargs: Any) -> None:
        real_put(contract, **kwargs)
        raise DatabaseError("connection lost")

    monkeypatch.setattr(store, "put", put_then_lose_the_database)
    with pytest.raises(DatabaseError):
        publish(make_doc())
    assert default_store().list_versions("sales.orders") == ["1.0.0"]
    assert ContractVersion.objects.count() == 0
    monkeypatch.undo()
    report = contract_sync()
    assert report.added == ["sales.orders 1.0.0"] and report.consistent
    assert ContractVersion.objects.get().status == "draft"
    assert LifecycleEvent.objects.get().action == "sync"


def test_owner_comes_from_the_team() -> None:
    assert (
        mirror.owner_of({"team": [{"username": "a", "role": "analyst"}, {"username": "b", "role": "Data Owner"}]})
        == "b"
    )
    assert mirror.owner_of({"team": {"name": "sales-data", "members": [{"username": "a"}]}}) == "sales-data"
    assert mirror.owner_of({"team": [{"username": "first"}]}) == "first"
    assert mirror.owner_of({}) == ""


def test_create_only_refuses_an_existing_version() -> None:
    publish(make_doc())
    # A failed precondition (the API's If-None-Match: *), so a racing creator gets 412 like the pre-check's.
    with pytest.raises(StaleWrite, match="already exists"):
        publish(make_doc(name="Mine"), create_only=True)
    assert default_store().get_document("sales.orders", "1.0.0")["name"] == "Orders"


def test_a_noop_publish_does_not_rewrite_who_edited() -> None:
    publish(make_doc(), actor="alice")
    publish(make_doc(), actor="system")
    assert ContractVersion.objects.get().updated_by == "alice"


def test_a_stale_mirror_does_not_block_publishing() -> None:
    publish(make_doc(version="1.0.0"))
    publish(make_doc(version="2.0.0"))
    default_store().delete("sales.orders", "2.0.0")  # the store lost a version the mirror still lists
    publish(make_doc(version="1.1.0", name="Still writable"))
    assert default_store().list_versions("sales.orders") == ["1.0.0", "1.1.0"]
