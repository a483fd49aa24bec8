"""The lifecycle mapping onto Collibra's one active flag, through the store and the real emulator."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from dc43_portal.stores.collibra.emulator import CollibraEmulator
from dc43_portal.stores.collibra.mapping import VersionRecord, flag_target, portal_status, portal_statuses
from dc43_portal.stores.collibra.store import CollibraContractStore
from tests.conftest import make_doc
from tests.stores.collibra_support import make_store


@pytest.mark.parametrize(
    ("manifest", "flagged", "first", "expected"),
    [
        ("draft", False, False, "draft"),
        ("proposed", False, False, "proposed"),
        ("active", False, False, "active"),  # a backport below the flagged version
        ("deprecated", False, False, "deprecated"),
        ("retired", False, False, "deprecated"),
        ("in development", False, False, "draft"),
        (None, False, False, "draft"),
        ("draft", True, False, "active"),  # the flag moved by hand in Collibra validates
        ("proposed", True, False, "active"),
        ("draft", True, True, "draft"),  # Collibra's own default on a new contract's first version
        ("proposed", True, True, "proposed"),
        ("active", True, True, "active"),
        ("deprecated", True, False, "deprecated"),  # Collibra cannot clear the flag
    ],
)
def test_it_maps_the_manifest_status_and_the_flag(manifest: Any, flagged: bool, first: bool, expected: str) -> None:
    assert portal_status(manifest, flagged=flagged, first=first) == expected


def test_the_flag_target_makes_every_version_read_as_declared() -> None:
    assert (
        flag_target({"1.0.0": "active", "2.0.0": "active", "1.9.1": "active"}, flagged="1.0.0", first="1.0.0")
        == "2.0.0"
    )
    assert flag_target({"1.0.0": "deprecated", "1.1.0": "draft"}, flagged="1.0.0", first="1.0.0") == "1.0.0"
    assert flag_target({"1.0.0": "draft", "1.1.0": "draft"}, flagged="1.1.0", first="1.0.0") == "1.0.0"
    records = [VersionRecord("1.0.0", False, 1), VersionRecord("1.1.0", True, 2)]
    assert portal_statuses(records, {"1.0.0": "draft", "1.1.0": "draft"}) == {"1.0.0": "draft", "1.1.0": "active"}


def flag(collibra: CollibraEmulator) -> str | None:
    [contract] = collibra.state.contracts.values()
    active = contract.active_version()
    return active.version if active else None


def manifest_status(collibra: CollibraEmulator, version: str) -> str:
    [contract] = collibra.state.contracts.values()
    return contract.versions[version].manifest.split("status: ", 1)[1].split("\n", 1)[0]


def status(store: CollibraContractStore, version: str) -> str:
    return str(store.get_document("sales.orders", version)["status"])


def test_a_new_contracts_first_version_reads_as_its_manifest(
    collibra_store: CollibraContractStore, collibra: CollibraEmulator
) -> None:
    collibra_store.put(make_doc(status="draft"))
    assert flag(collibra) == "1.0.0"  # Collibra flags the only version by itself
    assert status(collibra_store, "1.0.0") == "draft"


def test_the_flag_follows_the_highest_validated_and_a_backport_never_takes_it(
    collibra_store: CollibraContractStore, collibra: CollibraEmulator
) -> None:
    for version in ("1.9.0", "2.0.0", "1.9.1"):
        collibra_store.put(make_doc(version=version))
    collibra_store.set_status("sales.orders", "1.9.0", "active")
    assert flag(collibra) == "1.9.0"
    collibra_store.set_status("sales.orders", "2.0.0", "Validated")
    assert flag(collibra) == "2.0.0"
    collibra_store.set_status("sales.orders", "1.9.1", "active")
    assert flag(collibra) == "2.0.0"
    assert [status(collibra_store, v) for v in ("1.9.0", "1.9.1", "2.0.0")] == ["active"] * 3
    assert manifest_status(collibra, "1.9.1") == "active"


def test_deprecating_rewrites_the_manifest_and_moves_the_flag_down(
    collibra_store: CollibraContractStore, collibra: CollibraEmulator
) -> None:
    for version in ("1.9.1", "2.0.0"):
        collibra_store.put(make_doc(version=version, status="active"))
    assert flag(collibra) == "2.0.0"
    before = collibra_store.fingerprint("sales.orders", "2.0.0")
    collibra_store.set_status("sales.orders", "2.0.0", "deprecated")
    assert (flag(collibra), manifest_status(collibra, "2.0.0")) == ("1.9.1", "deprecated")
    assert status(collibra_store, "2.0.0") == "deprecated"
    assert collibra_store.fingerprint("sales.orders", "2.0.0") == before
    # The last Validated version: Collibra cannot clear the flag, so it stays, and reads Deprecated.
    collibra_store.set_status("sales.orders", "1.9.1", "deprecated")
    assert flag(collibra) == "1.9.1"
    assert [status(collibra_store, v) for v in ("1.9.1", "2.0.0")] == ["deprecated", "deprecated"]
    latest = collibra_store.latest_validated("sales.orders")
    assert latest is None
    collibra_store.set_status("sales.orders", "2.0.0", "active")  # reinstate
    assert flag(collibra) == "2.0.0"
    latest = collibra_store.latest_validated("sales.orders")
    assert latest is not None and latest.version == "2.0.0"


def test_a_flag_moved_in_collibra_validates_and_survives_the_next_write(
    collibra_store: CollibraContractStore, collibra: CollibraEmulator
) -> None:
    for version in ("1.0.0", "1.1.0", "1.2.0"):
        collibra_store.put(make_doc(version=version))
    collibra_store.set_status("sales.orders", "1.0.0", "active")
    uuid = collibra_store.adapter.contract_uuid("sales.orders")  # type: ignore[attr-defined]
    # A Collibra user sets 1.1.0 active in Collibra's UI.
    httpx.patch(
        f"{collibra.url}/rest/dataProduct/v1/dataContracts/{uuid}/activeVersion",
        params={"version": "1.1.0"},
        auth=("admin", "admin"),
    ).raise_for_status()
    assert [status(collibra_store, v) for v in ("1.0.0", "1.1.0", "1.2.0")] == ["active", "active", "draft"]
    collibra_store.set_status("sales.orders", "1.2.0", "active")
    assert flag(collibra) == "1.2.0"
    assert manifest_status(collibra, "1.1.0") == "active"
    assert [status(collibra_store, v) for v in ("1.0.0", "1.1.0", "1.2.0")] == ["active"] * 3


def test_the_status_filter_and_the_summaries(collibra: CollibraEmulator) -> None:
    store = make_store(collibra, status_filter="Validated")
    store.put(make_doc(version="1.0.0", status="active"))
    store.put(make_doc(version="1.1.0", status="draft"))
    assert store.list_versions("sales.orders") == ["1.0.0"]
    latest = store.latest("sales.orders")
    assert latest is not None and latest.version == "1.0.0"
    summaries = store.adapter.list_versions("sales.orders")
    assert sorted((s.version, s.status) for s in summaries) == [("1.0.0", "active"), ("1.1.0", "draft")]
    assert all(s.updated_at is not None for s in summaries)
    store.close()


def test_it_refuses_an_unknown_status(collibra_store: CollibraContractStore) -> None:
    from dc43_portal.errors import InvalidContract

    collibra_store.put(make_doc())
    with pytest.raises(InvalidContract, match="not a status"):
        collibra_store.set_status("sales.orders", "1.0.0", "retired-ish")


def test_validating_reads_only_the_manifests_that_decide_the_flag(
    collibra_store: CollibraContractStore, collibra: CollibraEmulator
) -> None:
    for minor in range(6):
        collibra_store.put(make_doc(version=f"1.{minor}.0", status="active"))  # an import in SemVer order
    manifest_reads = [p for m, p in collibra.requests if p.endswith("/versions/manifest")]
    assert len(manifest_reads) == 5  # the flagged version once per put after the first, never the others
    assert flag(collibra) == "1.5.0"
    # A flag moved down by hand is put back on the highest Validated by the next approval below it.
    collibra_store.put(make_doc(version="1.4.1"))
    uuid = collibra_store.adapter.contract_uuid("sales.orders")  # type: ignore[attr-defined]
    httpx.patch(
        f"{collibra.url}/rest/dataProduct/v1/dataContracts/{uuid}/activeVersion",
        params={"version": "1.0.0"},
        auth=("admin", "admin"),
    ).raise_for_status()
    collibra_store.set_status("sales.orders", "1.4.1", "active")
    assert flag(collibra) == "1.5.0"


def test_dc43_names_and_status_labels_still_work(collibra: CollibraEmulator) -> None:
    from dc43_portal import odcs
    from dc43_portal.stores.collibra.store import CollibraContractGateway, HttpCollibraContractGateway
    from tests.stores.collibra_support import PortPerContract

    gateway = HttpCollibraContractGateway(
        collibra.url, username="admin", password="admin", governed_asset_ids=PortPerContract()
    )
    assert isinstance(gateway, CollibraContractGateway)
    gateway.upsert_contract(odcs.to_model(make_doc()), status="Validated")
    gateway.submit_draft(odcs.to_model(make_doc(version="1.1.0")))
    gateway.update_status("sales.orders", "1.1.0", "Validated")
    assert gateway.get_validated_contract("sales.orders")["version"] == "1.1.0"
    assert [(s.version, s.status) for s in sorted(gateway.list_versions("sales.orders"), key=lambda s: s.version)] == [
        ("1.0.0", "active"),
        ("1.1.0", "active"),
    ]
    gateway.close()
