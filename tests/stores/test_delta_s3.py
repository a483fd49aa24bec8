"""The Delta store on ``s3://``, against moto speaking S3 on 127.0.0.1, and what a stopped endpoint gives."""

from __future__ import annotations

import pytest
from deltalake import DeltaTable

from dc43_portal.errors import StoreUnavailable
from dc43_portal.stores.delta.store import DeltaContractStore
from tests.conftest import make_doc
from tests.stores.s3_server import S3Endpoint, process_server, s3_process  # noqa: F401 - fixture


def test_it_round_trips_on_s3(s3_process: S3Endpoint) -> None:  # noqa: F811
    uri = f"s3://{s3_process.new_bucket()}/governance/contracts"
    store = DeltaContractStore(uri, s3_process.delta_options())
    store.put(make_doc(), actor="alice")
    store.set_status("sales.orders", "1.0.0", "active", actor="sam")
    assert store.list_versions("sales.orders") == ["1.0.0"]
    assert store.get_document("sales.orders", "1.0.0", as_of=1)["status"] == "draft"
    assert [e.what for e in store.history("sales.orders")] == ["put", "status active"]
    table = DeltaTable(uri, storage_options=s3_process.delta_options()).to_pyarrow_table()
    assert table.column("status").to_pylist() == ["active"]
    assert store.check() == []


def test_a_stopped_endpoint_is_store_unavailable() -> None:
    endpoint = process_server()
    try:
        store = DeltaContractStore(f"s3://{endpoint.new_bucket()}/contracts", endpoint.delta_options())
        store.put(make_doc())
    finally:
        endpoint.stop()
    for call in (
        lambda: store.list_versions("sales.orders"),
        lambda: store.put(make_doc(version="2.0.0")),
        lambda: store.get("sales.orders", "1.0.0"),
    ):
        with pytest.raises(StoreUnavailable, match="is unavailable"):
            call()
    assert store.check() and "is unavailable" in store.check()[0]


def test_a_missing_bucket_is_store_unavailable(s3_process: S3Endpoint) -> None:  # noqa: F811
    # moto accepts any credentials, so a refusal is shown with the bucket the endpoint does not have.
    store = DeltaContractStore("s3://no-such-bucket/contracts", s3_process.delta_options())
    with pytest.raises(StoreUnavailable, match="no-such-bucket"):
        store.put(make_doc())
