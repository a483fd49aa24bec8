"""With the database store on the portal's database, the payload and the mirror commit or fail together."""

from __future__ import annotations

import pytest
from django.conf import LazySettings

from dc43_portal.contracts import mirror, services
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from dc43_portal.contracts.services import publish
from dc43_portal.dbstore.models import ContractDocument
from tests.conftest import make_doc

pytestmark = [pytest.mark.database, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def database_store(settings: LazySettings) -> None:
    settings.CONTRACT_STORES = {"default": {"BACKEND": "dc43_portal.dbstore.store.DatabaseContractStore"}}


def test_a_publish_writes_payload_mirror_and_audit() -> None:
    services.contract_publish(document=make_doc(), actor="alice")
    row = ContractDocument.objects.get()
    assert (row.contract_id, row.version, row.status, row.created_by) == ("sales.orders", "1.0.0", "draft", "alice")
    assert ContractVersion.objects.get().fingerprint == row.fingerprint
    assert LifecycleEvent.objects.get().action == "publish"


def test_a_failed_mirror_write_rolls_the_payload_back(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("mirror down")

    monkeypatch.setattr(publish, "record_event", broken)
    with pytest.raises(RuntimeError, match="mirror down"):
        services.contract_publish(document=make_doc(), actor="alice")
    assert not ContractDocument.objects.exists()
    assert not ContractVersion.objects.exists()
    monkeypatch.setattr(publish, "record_event", mirror.record_event)
    services.contract_publish(document=make_doc(), actor="alice")
    assert ContractDocument.objects.count() == 1
