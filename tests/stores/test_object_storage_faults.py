"""Faults on the object store: hostile ids before any I/O, a server stopped mid-write, a missing bucket."""

from __future__ import annotations

import pytest

from dc43_portal.errors import InvalidContract, StoreUnavailable
from dc43_portal.stores.objects.store import ObjectStorageContractStore
from tests.conftest import make_doc
from tests.stores.conformance import HOSTILE_IDS
from tests.stores.s3_server import S3Endpoint, s3_threaded, threaded_server  # noqa: F401 - fixture


@pytest.mark.parametrize("bad_id", HOSTILE_IDS)
def test_hostile_ids_are_refused_before_any_io(bad_id: str) -> None:
    # Nothing listens on port 9: any request would be a StoreUnavailable, not a refusal.
    store = ObjectStorageContractStore(
        "s3://bucket/contracts", {"key": "k", "secret": "s", "client_kwargs": {"endpoint_url": "http://127.0.0.1:9"}}
    )
    with pytest.raises(InvalidContract):
        store.put(make_doc(bad_id))
    with pytest.raises(InvalidContract):
        store.list_versions(bad_id)


def test_a_server_stopped_mid_write_leaves_nothing_half_written() -> None:
    endpoint = threaded_server()
    url = f"s3://{endpoint.new_bucket()}/contracts"
    store = ObjectStorageContractStore(url, endpoint.s3fs_options())
    store.put(make_doc(version="1.0.0"))
    store.before_manifest_write = endpoint.stop  # the document is written, the manifest not yet
    with pytest.raises(StoreUnavailable, match="is unavailable"):
        store.put(make_doc(version="2.0.0"))
    for call in (store.list_contracts, lambda: store.get("sales.orders", "1.0.0")):
        with pytest.raises(StoreUnavailable):
            call()
    assert store.check() and "unavailable" in store.check()[0]
    # moto keeps its state in this process, so a new server on another port shows what was written.
    again = threaded_server()
    try:
        restarted = ObjectStorageContractStore(url, again.s3fs_options())
        assert restarted.list_versions("sales.orders") == ["1.0.0"]
        assert restarted.latest("sales.orders").version == "1.0.0"
        restarted.put(make_doc(version="2.0.0", name="Retried"))  # the unlisted object is replaced
        assert restarted.get_document("sales.orders", "2.0.0")["name"] == "Retried"
    finally:
        again.stop()


def test_a_missing_bucket_is_unavailable_not_empty(s3_threaded: S3Endpoint) -> None:  # noqa: F811
    store = ObjectStorageContractStore("s3://no-such-bucket/contracts", s3_threaded.s3fs_options())
    with pytest.raises(StoreUnavailable):
        store.put(make_doc())
    assert "no-such-bucket" in " ".join(store.check())
