"""Every audit event writes one outbox row in its transaction; a rolled-back write writes none."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from dc43_portal.contracts import services
from dc43_portal.contracts.models import LifecycleEvent
from dc43_portal.errors import StoreUnavailable
from dc43_portal.events import cloudevents
from dc43_portal.events.models import OutboxEvent
from dc43_portal.events.outbox import sequence_committed
from tests.conftest import make_doc

pytestmark = pytest.mark.database


def test_it_writes_an_outbox_row_per_audit_event(
    author: Any, steward: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.contract_publish(document=make_doc(), actor=author.username)
        services.contract_transition(contract_id="sales.orders", version="1.0.0", to_status="proposed", user=author)
        services.contract_transition(
            contract_id="sales.orders", version="1.0.0", to_status="draft", user=steward, comment="name the owner"
        )
    audits = list(LifecycleEvent.objects.order_by("id"))
    events = list(OutboxEvent.objects.order_by("id"))
    assert [e.audit_event_id for e in events] == [a.pk for a in audits]
    assert [e.type for e in events] == [
        "io.dc43.contract.version.published",
        "io.dc43.contract.version.submitted",
        "io.dc43.contract.version.rejected",
    ]
    assert all(e.seq is None for e in events)  # ordered only once committed and sequenced
    assert sequence_committed() == 3
    assert [e.seq for e in OutboxEvent.objects.order_by("id")] == [1, 2, 3]


def test_it_renders_cloudevents_fields(author: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = services.contract_publish(document=make_doc(version="1.0.0+b.1"), actor=author.username)
    sequence_committed()  # what the worker does first: it completes the row (domain, actor id)
    body = cloudevents.render(OutboxEvent.objects.get())
    assert body["specversion"] == "1.0"
    assert uuid.UUID(body["id"]).version == 4
    assert body["source"] == "https://portal.example.com"
    assert body["subject"] == "sales.orders/1.0.0+b.1"
    assert body["time"].endswith("Z")
    data = body["data"]
    assert data["actor"] == {"username": "alice", "id": author.pk}
    assert (data["contract_id"], data["version"], data["from_status"], data["to_status"]) == (
        "sales.orders",
        "1.0.0+b.1",
        "",
        "draft",
    )
    assert data["fingerprint"] == result.version.fingerprint
    assert data["links"]["page"] == "https://portal.example.com/contracts/sales.orders/versions/1.0.0%2Bb.1/"
    assert data["links"]["api"] == "https://portal.example.com/api/v1/contracts/sales.orders/versions/1.0.0%2Bb.1"


def test_it_writes_nothing_for_a_rolled_back_write(author: Any, django_capture_on_commit_callbacks: Any) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.contract_publish(document=make_doc(), actor=author.username)
        assert OutboxEvent.objects.count() == 1
        raise RuntimeError("the caller fails after the publish")
    assert OutboxEvent.objects.count() == 0
    assert LifecycleEvent.objects.count() == 0
    assert DBTaskResult.objects.count() == 0  # the tasks were written in the same transaction
    assert callbacks == []


def test_it_writes_nothing_when_the_store_refuses(author: Any, settings: Any, tmp_path: Any) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store wants a folder")
    settings.CONTRACT_STORES = {
        "default": {"BACKEND": "dc43_portal.stores.filesystem.FSContractStore", "OPTIONS": {"base_path": str(blocker)}}
    }
    with pytest.raises(StoreUnavailable):
        services.contract_publish(document=make_doc(), actor=author.username)
    assert OutboxEvent.objects.count() == 0 and DBTaskResult.objects.count() == 0
