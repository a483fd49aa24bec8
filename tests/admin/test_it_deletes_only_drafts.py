"""Deleting: Drafts only, from the store and the mirror together, audited; refused by permission and by the service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import Contract, ContractVersion, LifecycleEvent
from dc43_portal.contracts.services import contract_delete
from dc43_portal.errors import ContractConflict
from tests.admin.conftest import VERSIONS, action
from tests.fixtures.cast import login, publish

pytestmark = pytest.mark.database


def in_store(version: str = "1.0.0") -> bool:
    return default_store().exists("sales.orders", version)


def test_it_deletes_a_draft_from_the_store_and_the_mirror(superuser: Any, draft: ContractVersion) -> None:
    event = contract_delete(contract_id="sales.orders", version="1.0.0", user=superuser, comment="test upload")
    assert not in_store()
    assert not ContractVersion.objects.exists()
    assert not Contract.objects.exists()  # its last version is gone
    assert (event.action, event.actor, event.from_status, event.comment) == ("delete", "root", "draft", "test upload")
    assert LifecycleEvent.objects.filter(action="delete").count() == 1


def test_it_refreshes_the_contract_when_other_versions_remain(superuser: Any, validated: Any, author: Any) -> None:
    publish(author, "1.1.0", name="Orders next")
    contract_delete(contract_id="sales.orders", version="1.1.0", user=superuser)
    contract = Contract.objects.get()
    assert (contract.latest_version, contract.name) == ("1.0.0", "Orders")
    assert in_store("1.0.0") and not in_store("1.1.0")


@pytest.mark.parametrize("fixture", ["proposed", "validated"])
def test_it_refuses_anything_but_a_draft_even_to_a_superuser(superuser: Any, fixture: str, request: Any) -> None:
    row = request.getfixturevalue(fixture)
    with pytest.raises(ContractConflict, match="only Drafts can be deleted"):
        contract_delete(contract_id="sales.orders", version="1.0.0", user=superuser)
    assert in_store() and ContractVersion.objects.filter(pk=row.pk).exists()
    assert not LifecycleEvent.objects.filter(action="delete").exists()


def test_it_trusts_the_store_status(superuser: Any, draft: ContractVersion) -> None:
    default_store().set_status("sales.orders", "1.0.0", "active")  # approved in the store, not yet synced
    with pytest.raises(ContractConflict, match="Validated"):
        contract_delete(contract_id="sales.orders", version="1.0.0", user=superuser)
    assert in_store()


def test_it_needs_the_delete_permission(staff_steward2: Any, draft: ContractVersion) -> None:
    with pytest.raises(PermissionDenied):
        contract_delete(contract_id="sales.orders", version="1.0.0", user=staff_steward2)
    assert in_store()


def test_it_refuses_a_store_that_cannot_delete(superuser: Any, tmp_path: Path, author: Any) -> None:
    backend = "dc43_service_backends.contracts.backend.stores.filesystem.FSContractStore"
    stores = {"default": {"BACKEND": backend, "OPTIONS": {"base_path": str(tmp_path / "dc43")}}}
    with override_settings(CONTRACT_STORES=stores):
        publish(author)
        with pytest.raises(ContractConflict, match="cannot delete versions"):
            contract_delete(contract_id="sales.orders", version="1.0.0", user=superuser)
        assert in_store() and ContractVersion.objects.exists()


def test_it_deletes_a_draft_from_its_admin_page(staff_steward: Any, draft: ContractVersion) -> None:
    client = login(staff_steward)
    url = f"{VERSIONS}{draft.pk}/delete/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not in_store() and not ContractVersion.objects.exists()
    assert LifecycleEvent.objects.get(action="delete").source == "admin"


def test_a_steward_cannot_delete_a_validated_version(staff_steward: Any, validated: ContractVersion) -> None:
    client = login(staff_steward)
    url = f"{VERSIONS}{validated.pk}/delete/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert 'href="' + url not in client.get(f"{VERSIONS}{validated.pk}/change/").content.decode()
    assert in_store() and ContractVersion.objects.exists()


def test_the_delete_action_reports_each_row(staff_steward: Any, validated: ContractVersion, author: Any) -> None:
    draft = publish(author, "1.1.0")
    client = login(staff_steward)
    page = action(client, "delete_drafts", [validated, draft]).content.decode()
    assert "will be refused:" in page and "Validated: only Drafts can be deleted" in page
    response = action(client, "delete_drafts", [validated, draft], post="yes", comment="cleanup")
    messages = sorted(str(m) for m in response.context["messages"])
    assert messages == [
        "Deleted: sales.orders 1.1.0.",
        "Refused: sales.orders 1.0.0. sales.orders 1.0.0 is Validated: only Drafts can be deleted",
    ]
    assert in_store("1.0.0") and not in_store("1.1.0")
    assert LifecycleEvent.objects.get(action="delete").comment == "cleanup"


def test_the_bulk_delete_of_django_is_gone(superuser: Any, validated: ContractVersion) -> None:
    action(login(superuser), "delete_selected", [validated], post="yes")
    assert in_store() and ContractVersion.objects.exists()
