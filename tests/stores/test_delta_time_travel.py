"""Time travel (``get(..., as_of=...)``) and per-contract history read from the Delta log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from deltalake import DeltaTable

from dc43_portal.errors import ContractNotFound
from dc43_portal.stores.delta.store import DeltaContractStore
from tests.conftest import make_doc


def test_get_as_of_a_table_version_or_a_timestamp(tmp_path: Path) -> None:
    uri = str(tmp_path / "t.delta")
    store = DeltaContractStore(uri)
    store.put(make_doc(), actor="alice")
    drafted = DeltaTable(uri).version()
    drafted_at = datetime.now(UTC)
    store.set_status("sales.orders", "1.0.0", "active", actor="sam")
    store.delete("sales.orders", "1.0.0", actor="sam")
    assert store.get("sales.orders", "1.0.0", as_of=drafted).status == "draft"
    assert store.get_document("sales.orders", "1.0.0", as_of=str(drafted + 1))["status"] == "active"
    assert store.get_document("sales.orders", "1.0.0", as_of=drafted_at)["status"] == "draft"
    with pytest.raises(ContractNotFound):
        store.get("sales.orders", "1.0.0")
    with pytest.raises(ContractNotFound, match="not found as of"):
        store.get("sales.orders", "1.0.0", as_of=drafted + 2)
    with pytest.raises(ContractNotFound, match="no state as of"):
        store.get("sales.orders", "1.0.0", as_of=999)
    with pytest.raises(ContractNotFound):
        store.get("sales.orders", "1.0.0", as_of=drafted_at - timedelta(days=365))


def test_history_lists_every_commit_that_touched_the_contract(tmp_path: Path) -> None:
    uri = str(tmp_path / "t.delta")
    store = DeltaContractStore(uri, compact_every=4)
    store.put(make_doc(), actor="alice")
    store.put(make_doc("other"), actor="olga")
    assert [(e.who, e.what) for e in store.history("sales.orders")] == [("alice", "put")]
    store.put(make_doc(version="1.1.0"), actor="bob")  # version 3, then a compaction at 4... after the next
    store.set_status("sales.orders", "1.0.0", "active", actor="sam")
    store.delete("sales.orders", "1.1.0", actor="sam")
    entries = DeltaContractStore(uri).history("sales.orders")  # a fresh reader finds the same entries
    assert [(e.version, e.who, e.what) for e in entries] == [
        ("1.0.0", "alice", "put"),
        ("1.1.0", "bob", "put"),
        ("1.0.0", "sam", "status active"),
        ("1.1.0", "sam", "delete"),
    ]
    assert [e.ref for e in store.history("sales.orders")] == [e.ref for e in entries]
    assert all(e.when.tzinfo is not None for e in entries)
    # Each entry's ref is the table version to travel to.
    assert store.get_document("sales.orders", "1.1.0", as_of=int(entries[1].ref))["version"] == "1.1.0"
    assert store.history("nobody") == []
