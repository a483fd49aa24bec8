"""The portal's lifecycle with Collibra as the default store: the flag follows, failures change nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from dc43_portal.contracts.services import contract_publish, contract_transition
from dc43_portal.stores.collibra.emulator import CollibraEmulator
from dc43_portal.stores.collibra.store import CollibraContractStore
from tests.conftest import make_doc
from tests.fixtures.cast import submit, transition

pytestmark = pytest.mark.database
PORT = "3f0e7d1c-5a2b-4c8d-9e6f-1a2b3c4d5e6f"


@pytest.fixture(autouse=True)
def collibra_default(settings: Any, collibra: CollibraEmulator) -> CollibraEmulator:
    options = {"base_url": collibra.url, "username": "admin", "password": "admin", "retries": 2, "backoff": 0,
               "governed_asset_ids": {"sales.orders": PORT}}  # fmt: skip
    settings.CONTRACT_STORES = {
        "default": {"BACKEND": "dc43_portal.stores.collibra.CollibraContractStore", "OPTIONS": options}
    }
    return collibra


def flag(collibra: CollibraEmulator) -> str | None:
    [contract] = collibra.state.contracts.values()
    active = contract.active_version()
    return active.version if active else None


def mirror() -> dict[str, str]:
    return dict(ContractVersion.objects.values_list("version", "status"))


def store_statuses() -> dict[str, str]:
    store = default_store()
    return {v: store.get_document("sales.orders", v)["status"] for v in store.list_versions("sales.orders")}


def release(author: Any, steward: Any, version: str) -> None:
    submit(author, make_doc(version=version))
    transition(steward, "Validated", version)


def test_it_approves_deprecates_and_reinstates(author: Any, steward: Any, collibra: CollibraEmulator) -> None:
    assert isinstance(default_store(), CollibraContractStore)
    release(author, steward, "1.0.0")
    assert flag(collibra) == "1.0.0"
    release(author, steward, "2.0.0")
    assert flag(collibra) == "2.0.0"
    release(author, steward, "1.0.1")  # a backport
    assert flag(collibra) == "2.0.0"
    contract_transition(
        contract_id="sales.orders", version="2.0.0", to_status="deprecated", user=steward, comment="rolled back"
    )
    assert flag(collibra) == "1.0.1"
    contract_transition(contract_id="sales.orders", version="2.0.0", to_status="active", user=steward, comment="fixed")
    assert flag(collibra) == "2.0.0"
    assert mirror() == store_statuses() == {"1.0.0": "active", "1.0.1": "active", "2.0.0": "active"}


def test_collibra_down_during_an_approval_changes_nothing_and_a_retry_works(
    client: Client, author: Any, steward: Any, collibra: CollibraEmulator
) -> None:
    contract_publish(document=make_doc(), actor=author.username)
    contract_transition(contract_id="sales.orders", version="1.0.0", to_status="proposed", user=author)
    url = reverse("contracts:transition", args=["sales.orders", "1.0.0"])
    client.force_login(steward)
    collibra.fail(503, count=100, method="POST")
    response = client.post(url, {"action": "approve", "status": "proposed"})
    assert response.status_code == 503
    assert "Collibra answered 503" in response.content.decode()
    assert mirror() == store_statuses() == {"1.0.0": "proposed"}
    assert not LifecycleEvent.objects.filter(action="approve").exists()
    collibra.clear_faults()
    response = client.post(url, {"action": "approve", "status": "proposed"})
    assert response.status_code == 302
    assert mirror() == store_statuses() == {"1.0.0": "active"}


def test_sync_picks_up_an_active_version_set_in_collibra(author: Any, steward: Any, collibra: CollibraEmulator) -> None:
    release(author, steward, "1.0.0")
    contract_publish(document=make_doc(version="1.1.0"), actor=author.username)
    [contract] = collibra.state.contracts.values()
    httpx.patch(
        f"{collibra.url}/rest/dataProduct/v1/dataContracts/{contract.id}/activeVersion",
        params={"version": "1.1.0"},
        auth=("admin", "admin"),
    ).raise_for_status()
    call_command("sync_contracts")
    assert mirror() == {"1.0.0": "active", "1.1.0": "active"}
    event = LifecycleEvent.objects.filter(version="1.1.0").latest("id")
    assert (event.action, event.from_status, event.to_status) == ("sync", "draft", "active")
