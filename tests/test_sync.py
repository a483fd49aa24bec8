"""manage.py sync_contracts: the store wins on status; content changes on locked versions are reported."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from dc43_portal.contracts import services
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from dc43_portal.errors import StoreUnavailable
from dc43_portal.stores.interface import ContractStore
from tests.conftest import make_doc

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def sync(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("sync_contracts", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_it_adds_what_only_the_store_has_and_is_idempotent() -> None:
    default_store().put(make_doc(status="active"))
    default_store().put(make_doc(version="1.1.0", status="retired"))
    code, out, _ = sync()
    assert code == 0 and "added 2" in out
    assert dict(ContractVersion.objects.values_list("version", "status")) == {"1.0.0": "active", "1.1.0": "deprecated"}
    events = LifecycleEvent.objects.filter(action="sync")
    assert events.count() == 2 and {e.actor for e in events} == {"system"}
    code, out, _ = sync()
    assert code == 0 and "added 0, updated 0, unchanged 2" in out
    assert re.search(r"in \d+\.\d s, \d+\.\d versions/s", out), out
    assert LifecycleEvent.objects.count() == 2


def test_the_store_wins_on_status() -> None:
    services.contract_publish(document=make_doc(), actor="alice")
    default_store().set_status("sales.orders", "1.0.0", "proposed")
    code, out, _ = sync("--actor", "system")
    assert code == 0 and "updated 1" in out
    assert ContractVersion.objects.get().status == "proposed"
    event = LifecycleEvent.objects.filter(action="sync").get()
    assert (event.from_status, event.to_status) == ("draft", "proposed")


def test_a_content_change_on_a_locked_version_is_reported_not_mirrored() -> None:
    services.contract_publish(document=make_doc(status="active"), actor="alice", keep_status=True, source="import")
    before = ContractVersion.objects.get().fingerprint
    default_store().put(make_doc(status="active", name="Tampered"))
    code, _, err = sync()
    assert code == 1 and "conflict: sales.orders 1.0.0" in err
    assert ContractVersion.objects.get().fingerprint == before


def test_a_draft_changed_in_the_store_is_mirrored() -> None:
    services.contract_publish(document=make_doc(), actor="alice")
    default_store().put(make_doc(name="Edited by a job"))
    code, out, _ = sync()
    assert code == 0 and "updated 1" in out
    assert ContractVersion.objects.get().contract.name == "Edited by a job"


def test_versions_missing_from_the_store_are_orphans() -> None:
    services.contract_publish(document=make_doc(), actor="alice")
    services.contract_publish(document=make_doc(version="1.1.0"), actor="alice")
    default_store().delete("sales.orders", "1.1.0")
    code, _, err = sync()
    assert code == 1 and "orphaned: sales.orders 1.1.0" in err
    assert ContractVersion.objects.get(version="1.1.0").in_store is False
    assert ContractVersion.objects.get(version="1.0.0").contract.latest_version == "1.0.0"
    default_store().put(make_doc(version="1.1.0"))
    code, _, _ = sync()
    assert code == 0 and ContractVersion.objects.get(version="1.1.0").in_store


def test_an_unavailable_store_exits_2(settings: Any) -> None:
    settings.CONTRACT_STORES = {
        "default": {"BACKEND": "tests.test_sync.DownStore", "OPTIONS": {}},
    }
    code, _, err = sync()
    assert code == 2 and "unavailable" in err


def test_an_unknown_alias_is_a_usage_error() -> None:
    with pytest.raises(CommandError, match="unknown store alias") as caught:
        call_command("sync_contracts", "--alias", "nope", stdout=StringIO(), stderr=StringIO())
    assert caught.value.returncode == 2


class DownStore(ContractStore):
    """A remote store whose server is down (every call refuses), as a remote backend reports it."""

    def put(self, contract: Any, *, actor: str | None = None, overwrite: bool = True) -> None:
        raise StoreUnavailable("connection refused")

    def get_document(self, contract_id: str, version: str) -> dict[str, Any]:
        raise StoreUnavailable("connection refused")

    def list_contracts(self) -> list[str]:
        raise StoreUnavailable("connection refused")

    def list_versions(self, contract_id: str) -> list[str]:
        raise StoreUnavailable("connection refused")


class HalfDownStore(DownStore):
    """Lists its contracts, then goes down before any document can be read."""

    def list_contracts(self) -> list[str]:
        return ["sales.orders"]

    def list_versions(self, contract_id: str) -> list[str]:
        return ["1.0.0"]


def test_a_store_that_goes_down_mid_sync_exits_2(settings: Any) -> None:
    settings.CONTRACT_STORES = {"default": {"BACKEND": "tests.test_sync.HalfDownStore", "OPTIONS": {}}}
    code, _, err = sync()
    assert code == 2 and "unavailable" in err


def test_sync_keeps_the_warnings_of_unchanged_rows(settings: Any) -> None:
    settings.DC43_VALIDATION = "dc43"
    services.contract_publish(
        document=make_doc(apiVersion="3.0.2", team=[{"username": "o", "role": "owner"}]), actor="a"
    )
    warnings = ContractVersion.objects.get().warnings
    assert warnings
    default_store().set_status("sales.orders", "1.0.0", "proposed")
    assert sync()[0] == 0
    assert ContractVersion.objects.get().warnings == warnings
