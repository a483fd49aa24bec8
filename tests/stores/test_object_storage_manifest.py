"""The object store's manifest: layout, request counts, lost-update safety and rebuilding it."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from dc43_portal.stores.filesystem import FSContractStore
from dc43_portal.stores.objects.store import ObjectStorageContractStore
from tests.conftest import make_doc
from tests.stores.s3_server import S3Endpoint, s3_threaded  # noqa: F401 - fixture


class Counting:
    """Counts the store's object reads and listings, passing every call on to the real S3 client."""

    def __init__(self, blobs: Any) -> None:
        self.blobs, self.reads, self.listings = blobs, 0, 0

    def read(self, key: str) -> Any:
        self.reads += 1
        return self.blobs.read(key)

    def list_keys(self) -> list[str]:
        self.listings += 1
        return self.blobs.list_keys()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.blobs, name)


@pytest.fixture
def url(s3_threaded: S3Endpoint) -> str:  # noqa: F811
    return f"s3://{s3_threaded.new_bucket()}/governance/contracts"


@pytest.fixture
def make(url: str, s3_threaded: S3Endpoint) -> Any:  # noqa: F811
    return lambda **kw: ObjectStorageContractStore(url, s3_threaded.s3fs_options(), **kw)


def test_layout_is_objects_plus_manifests(make: Any, url: str, s3_threaded: S3Endpoint) -> None:  # noqa: F811
    store = make()
    store.put(make_doc(), actor="alice")
    bucket = url.split("/")[2]
    keys = sorted(o["Key"] for o in s3_threaded.client().list_objects_v2(Bucket=bucket)["Contents"])
    assert keys == [
        "governance/contracts/.contracts.json",
        "governance/contracts/sales.orders/.manifest.json",
        "governance/contracts/sales.orders/1.0.0.json",
    ]
    manifest = store.manifest("sales.orders")["versions"]["1.0.0"]
    assert manifest["status"] == "draft" and manifest["updated_by"] == "alice"
    assert store.fingerprint("sales.orders", "1.0.0") == manifest["fingerprint"]


@pytest.mark.parametrize("contracts", [1, 25])
def test_reads_are_one_or_two_gets_whatever_the_number_of_contracts(make: Any, contracts: int) -> None:
    store = make()
    for index in range(contracts):
        store.put(make_doc(f"c{index:03d}"))
    store.put(make_doc("c000", version="1.1.0"))
    counting = store._blobs = Counting(store._blobs)
    assert store.latest("c000").version == "1.1.0"
    assert (counting.reads, counting.listings) == (2, 0)
    assert store.list_versions("c000") == ["1.0.0", "1.1.0"]
    assert len(store.list_contracts()) == contracts
    assert (counting.reads, counting.listings) == (4, 0)


def test_a_writer_let_in_between_read_and_write_loses_nothing(make: Any) -> None:
    first, second = make(), make()
    first.put(make_doc(version="0.1.0"))
    let_in: list[str] = []

    def rival() -> None:
        if not let_in:
            let_in.append("1.1.0")
            second.put(make_doc(version="1.1.0"))
            second.put(make_doc("other.contract"))  # and a new id for the root index

    first.before_manifest_write = rival
    first.put(make_doc(version="1.0.0"))
    first.put(make_doc("third.contract"))
    assert let_in == ["1.1.0"]
    assert first.list_versions("sales.orders") == ["0.1.0", "1.0.0", "1.1.0"]
    assert first.list_contracts() == ["other.contract", "sales.orders", "third.contract"]


def test_threads_writing_together_lose_no_entry(make: Any) -> None:
    stores = [make() for _ in range(4)]
    barrier = threading.Barrier(len(stores))
    errors: list[BaseException] = []

    def write(index: int, store: ObjectStorageContractStore) -> None:
        barrier.wait()
        try:
            for minor in range(5):
                store.put(make_doc(version=f"{index + 1}.{minor}.0"))
                store.put(make_doc(f"team-{index}-{minor}"))
        except BaseException as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i, s)) for i, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads) and errors == []
    assert len(stores[0].list_versions("sales.orders")) == 20
    assert len(stores[0].list_contracts()) == 21


def test_rebuild_manifest_from_the_objects(make: Any, url: str, s3_threaded: S3Endpoint) -> None:  # noqa: F811
    store = make()
    store.put(make_doc(version="1.0.0"))
    store.set_status("sales.orders", "1.0.0", "active")
    bucket, prefix = url.split("/")[2], "governance/contracts"
    client = s3_threaded.client()
    # Another tool drops a document in, and the manifests are lost.
    body = json.dumps(make_doc("dropped.in", version="2.0.0")).encode()
    client.put_object(Bucket=bucket, Key=f"{prefix}/dropped.in/2.0.0.json", Body=body)
    client.put_object(Bucket=bucket, Key=f"{prefix}/dropped.in/notes.txt", Body=b"not a contract")
    for key in (".contracts.json", "sales.orders/.manifest.json"):
        client.delete_object(Bucket=bucket, Key=f"{prefix}/{key}")
    assert store.list_contracts() == [] and store.list_versions("sales.orders") == []
    assert store.rebuild_manifest() == {"contracts": 2, "versions": 2}
    assert store.list_contracts() == ["dropped.in", "sales.orders"]
    assert store.manifest("sales.orders")["versions"]["1.0.0"]["status"] == "active"
    assert store.latest("dropped.in").version == "2.0.0"


def test_a_local_disk_uses_the_filesystem_layout(tmp_path: Path) -> None:
    store = ObjectStorageContractStore(str(tmp_path / "objects"))
    store.put(make_doc())
    store.put(make_doc(version="1.1.0-rc.1"))
    store.set_status("sales.orders", "1.0.0", "active")
    assert store.list_versions("sales.orders") == ["1.0.0", "1.1.0-rc.1"]
    files = FSContractStore(tmp_path / "objects")
    assert files.list_contracts() == ["sales.orders"]
    assert files.get_document("sales.orders", "1.0.0")["status"] == "active"
    assert store.check() == []


def test_a_store_without_conditional_writes_must_say_it_has_one_writer() -> None:
    shared = ObjectStorageContractStore("memory://dc43-tests/contracts")
    assert "no conditional writes" in shared.check()[0]
    assert ObjectStorageContractStore("memory://dc43-tests/contracts", single_writer=True).check() == []
