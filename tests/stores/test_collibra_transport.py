"""The Collibra adapter on the wire: auth, pagination, retries, failures and bad answers, against the emulator."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from dc43_portal.errors import ContractConflict, InvalidContract, StoreUnavailable
from dc43_portal.stores.collibra.emulator import CollibraEmulator
from dc43_portal.stores.collibra.store import CollibraAuthError, CollibraContractStore
from tests.conftest import make_doc
from tests.stores.collibra_support import TOKEN, make_store

API = "/rest/dataProduct/v1"


def calls(collibra: CollibraEmulator, method: str = "", suffix: str = "") -> list[tuple[str, str]]:
    return [(m, p) for m, p in collibra.requests if (not method or m == method) and p.endswith(suffix)]


def test_it_pages_through_contracts_and_versions(collibra: CollibraEmulator) -> None:
    store = make_store(collibra, page_size=2)
    for contract_id in ("a", "b", "c", "d", "e"):
        store.put(make_doc(contract_id))
    for minor in range(1, 5):
        store.put(make_doc("a", version=f"1.{minor}.0"))
    before = len(calls(collibra, "GET", "/dataContracts"))
    assert store.list_contracts() == ["a", "b", "c", "d", "e"]
    assert len(calls(collibra, "GET", "/dataContracts")) - before == 3
    assert store.list_versions("a") == ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"]
    store.close()


def test_it_authenticates_with_a_bearer_token(collibra: CollibraEmulator) -> None:
    store = make_store(collibra, username=None, password=None, token=TOKEN)
    store.put(make_doc())
    assert store.list_versions("sales.orders") == ["1.0.0"]
    store.close()


@pytest.mark.parametrize("credentials", [{"password": "wrong"}, {"username": None, "password": None, "token": "x"}])
def test_refused_credentials_are_a_clear_configuration_error(
    collibra: CollibraEmulator, credentials: dict[str, str | None]
) -> None:
    store = make_store(collibra, **credentials)
    with pytest.raises(CollibraAuthError) as caught:
        store.list_contracts()
    assert isinstance(caught.value, StoreUnavailable)
    message = str(caught.value)
    assert "401 UNAUTHORIZED: Full authentication is required" in message
    assert "username and password, or token" in message
    store.close()


def test_it_retries_a_few_503s_then_succeeds(collibra_store: CollibraContractStore, collibra: CollibraEmulator) -> None:
    collibra.fail(503, count=2)
    collibra_store.put(make_doc())
    assert len(calls(collibra, "GET", "/dataContracts")) == 3  # two failures, one answer
    assert collibra_store.list_versions("sales.orders") == ["1.0.0"]


def test_it_gives_up_after_its_retries(collibra_store: CollibraContractStore, collibra: CollibraEmulator) -> None:
    collibra.fail(503, count=10)
    with pytest.raises(StoreUnavailable, match=r"503 INJECTED_FAILURE: Injected failure 503\. \(after 3 attempts\)"):
        collibra_store.list_contracts()
    assert len(collibra.requests) == 3


def test_collibra_down_is_unavailable(collibra: CollibraEmulator) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    store = make_store(collibra, base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(StoreUnavailable, match="unreachable"):
        store.list_contracts()
    store.close()


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A socket that accepts connections and never answers: a hung Collibra."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


def test_a_hung_collibra_times_out(collibra: CollibraEmulator, silent_port: int) -> None:
    store = make_store(collibra, base_url=f"http://127.0.0.1:{silent_port}", timeout=0.2)
    with pytest.raises(StoreUnavailable, match=r"did not answer GET /dataContracts within 0\.2 s"):
        store.list_versions("sales.orders")
    store.close()


def test_a_slow_answer_times_out(collibra: CollibraEmulator) -> None:
    store = make_store(collibra, timeout=0.2)
    collibra.slow(2.0, count=1)
    with pytest.raises(StoreUnavailable, match="within 0.2 s"):
        store.list_contracts()
    assert store.list_contracts() == []
    store.close()


@pytest.mark.parametrize("bad_id", ["a/b", "../x", "nul\x00", "e\u0301-not-nfc"])
def test_an_id_collibra_cannot_hold_is_refused_before_any_call(
    collibra_store: CollibraContractStore, collibra: CollibraEmulator, bad_id: str
) -> None:
    with pytest.raises(InvalidContract):
        collibra_store.put(make_doc(bad_id))
    with pytest.raises(InvalidContract):
        collibra_store.set_status(bad_id, "1.0.0", "active")
    assert collibra.requests == []


def test_a_new_contract_needs_a_port(collibra: CollibraEmulator) -> None:
    store = make_store(collibra, governed_asset_ids={})
    with pytest.raises(InvalidContract, match="governed_asset_ids"):
        store.put(make_doc())
    assert calls(collibra, "POST") == []
    store.close()


def test_a_port_governs_one_contract(collibra: CollibraEmulator) -> None:
    store = make_store(
        collibra, governed_asset_ids={}, default_governed_asset_id="6f1c1a4e-2b1d-4c55-9d8e-0b5a1e7f0c01"
    )
    store.put(make_doc("first"))
    with pytest.raises(ContractConflict, match="PORT_ALREADY_GOVERNED: Port .* already has data contract first"):
        store.put(make_doc("second"))
    assert store.list_contracts() == ["first"]
    store.close()


def upload(collibra: CollibraEmulator, store: CollibraContractStore, manifest: bytes) -> None:
    """A Collibra user uploads a manifest by hand."""
    uuid = store.adapter.contract_uuid("sales.orders")  # type: ignore[attr-defined]
    httpx.post(
        f"{collibra.url}{API}/dataContracts/{uuid}/versions",
        files={"manifest": ("m.yaml", manifest)},
        data={"version": "2.0.0"},
        auth=("admin", "admin"),
    ).raise_for_status()


@pytest.mark.parametrize(
    ("manifest", "reported"),
    [
        (b"id: sales.orders\nversion: 2.0.0\nid: again\n", "duplicate key 'id'"),
        (b"kind: DataContract\nid: sales.orders\nversion: 2.0.0\nschema: 12\n", "is not ODCS"),
        (b"id: other\nversion: 2.0.0\n", "is about another contract"),
    ],
)
def test_a_manifest_that_is_not_odcs_is_reported(
    collibra_store: CollibraContractStore, collibra: CollibraEmulator, manifest: bytes, reported: str
) -> None:
    collibra_store.put(make_doc(status="active"))
    upload(collibra, collibra_store, manifest)
    assert collibra_store.list_versions("sales.orders") == ["1.0.0", "2.0.0"]
    with pytest.raises(InvalidContract, match=reported):
        collibra_store.get("sales.orders", "2.0.0")
    # The readable versions keep working, transitions included.
    collibra_store.set_status("sales.orders", "1.0.0", "deprecated")
    assert collibra_store.get_document("sales.orders", "1.0.0")["status"] == "deprecated"


def test_the_options_are_checked(collibra: CollibraEmulator) -> None:
    store = CollibraContractStore(
        base_url="ftp://collibra", governed_asset_ids={"x": "not-a-uuid"}, status_filter="nope"
    )
    problems = " | ".join(store.check())
    assert "must start with http://" in problems
    assert "needs credentials" in problems
    assert "'x' must be a Collibra asset UUID" in problems
    assert "status_filter 'nope' is not a status" in problems
    assert make_store(collibra).check() == []
    store.close()


def test_a_contract_deleted_in_collibra_is_forgotten(
    collibra_store: CollibraContractStore, collibra: CollibraEmulator
) -> None:
    collibra_store.put(make_doc())
    assert collibra_store.list_versions("sales.orders") == ["1.0.0"]  # its UUID is now cached
    collibra.state.contracts.clear()  # deleted by hand in Collibra
    assert collibra_store.list_versions("sales.orders") == []
    collibra_store.put(make_doc(version="1.1.0"))
    assert collibra_store.list_versions("sales.orders") == ["1.1.0"]
    collibra.state.contracts.clear()
    collibra_store.put(make_doc(version="1.2.0"))  # the cached UUID answers 404: the contract is created again
    assert collibra_store.list_versions("sales.orders") == ["1.2.0"]
