"""Steward note and labels: editable in the admin, audited, untouched by sync; payload fields stay read-only."""

from __future__ import annotations

from typing import Any

import pytest

from dc43_portal.contracts.models import Contract, LifecycleEvent
from dc43_portal.contracts.services.sync import contract_sync
from tests.admin.conftest import CONTRACTS
from tests.fixtures.cast import login, publish

pytestmark = pytest.mark.database


def post(client: Any, contract: Contract, **data: str) -> Any:
    base = {"steward_note": "", "labels": "", "versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0"}
    return client.post(f"{CONTRACTS}{contract.pk}/change/", {**base, **data})


def test_it_saves_and_audits_the_note_and_labels(staff_steward: Any, draft: Any) -> None:
    contract = draft.contract
    count = contract.versions.count()
    response = post(
        login(staff_steward), contract, steward_note="Check PII", labels="pii, gold, pii", domain="hijacked"
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    contract.refresh_from_db()
    assert (contract.steward_note, contract.labels, contract.domain) == ("Check PII", ["pii", "gold"], "sales")
    assert contract.versions.count() == count
    event = LifecycleEvent.objects.get(action="edit")
    assert (event.actor, event.source, event.version) == ("sam", "admin", "")
    assert event.details["labels"] == {"from": [], "to": ["pii", "gold"]}


def test_it_keeps_them_through_publish_and_sync(staff_steward: Any, draft: Any, author: Any) -> None:
    post(login(staff_steward), draft.contract, steward_note="keep me", labels="gold")
    publish(author, "1.1.0", domain="finance")
    contract_sync()
    contract = Contract.objects.get()
    assert (contract.steward_note, contract.labels, contract.domain) == ("keep me", ["gold"], "finance")


def test_it_records_nothing_when_nothing_changed(staff_steward: Any, draft: Any) -> None:
    post(login(staff_steward), draft.contract)
    assert not LifecycleEvent.objects.filter(action="edit").exists()


def test_it_refuses_bad_labels(staff_steward: Any, draft: Any) -> None:
    response = post(login(staff_steward), draft.contract, labels="x" * 51)
    assert response.status_code == 200
    assert "at most 50 printable characters" in response.content.decode()
    assert Contract.objects.get().labels == []


def test_it_is_read_only_for_authors(staff_author: Any, draft: Any) -> None:
    client = login(staff_author)
    assert client.get(f"{CONTRACTS}{draft.contract.pk}/change/").status_code == 200
    assert post(client, draft.contract, steward_note="mine").status_code == 403
    assert Contract.objects.get().steward_note == ""
