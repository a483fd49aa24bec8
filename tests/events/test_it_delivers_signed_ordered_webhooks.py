"""Webhooks reach a real receiver on 127.0.0.1: signed (checked with ``standardwebhooks``), CloudEvents, in
order, retried after an outage, then failed; redirects are not followed; only an excerpt is kept."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from standardwebhooks import Webhook

from dc43_portal.contracts import services
from dc43_portal.events import subscriptions
from dc43_portal.events.models import Delivery, OutboxEvent
from tests.conftest import make_doc
from tests.events.conftest import Receiver

pytestmark = pytest.mark.database


def _three_events(author: Any, steward: Any) -> None:
    services.contract_publish(document=make_doc(), actor=author.username)
    services.contract_transition(contract_id="sales.orders", version="1.0.0", to_status="proposed", user=author)
    services.contract_transition(contract_id="sales.orders", version="1.0.0", to_status="active", user=steward)


def test_it_signs_cloudevents_in_order(
    author: Any,
    steward: Any,
    receiver: Receiver,
    run_worker: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    sub, secret = subscriptions.webhook_create(user=steward, url=receiver.url, types=[])
    assert secret.startswith("whsec_")
    with django_capture_on_commit_callbacks(execute=True):
        _three_events(author, steward)
    run_worker()
    assert len(receiver.received) == 3
    ids = [str(e.event_id) for e in OutboxEvent.objects.order_by("id")]
    for request, event_id in zip(receiver.received, ids, strict=True):
        body = Webhook(secret).verify(request["body"], request["headers"])
        assert request["headers"]["webhook-id"] == body["id"] == event_id
        assert request["headers"]["content-type"] == "application/cloudevents+json"
        assert body["specversion"] == "1.0" and body["subject"] == "sales.orders/1.0.0"
    assert [b["type"].rsplit(".", 1)[1] for b in receiver.bodies()] == ["published", "submitted", "approved"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_it_refuses_a_forged_signature(
    steward: Any, receiver: Receiver, run_worker: Callable[[], None], django_capture_on_commit_callbacks: Any
) -> None:
    sub, secret = subscriptions.webhook_create(user=steward, url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        subscriptions.webhook_send_test(user=steward, subscription=sub)
    run_worker()
    request = receiver.received[0]
    Webhook(secret).verify(request["body"], request["headers"])
    with pytest.raises(Exception, match="signature"):
        Webhook(subscriptions.new_secret()).verify(request["body"], request["headers"])


def test_it_retries_after_an_outage_and_keeps_the_order(
    author: Any,
    steward: Any,
    receiver: Receiver,
    run_worker: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscriptions.webhook_create(user=steward, url=receiver.url)
    receiver.answers = [500, 503]  # down twice, then back
    with django_capture_on_commit_callbacks(execute=True):
        _three_events(author, steward)
    run_worker()
    # The first event waits for its retry; nothing after it was sent meanwhile.
    assert [r["status"] for r in receiver.received] == [500]
    first = Delivery.objects.order_by("id").first()
    assert first is not None and first.attempts == 1 and first.last_status_code == 500
    assert len(first.response_excerpt) <= 200
    for _ in range(2):
        time.sleep(1.1)
        run_worker()
    statuses_seen = [r["status"] for r in receiver.received]
    assert statuses_seen == [500, 503, 204, 204, 204]
    sent = [b["id"] for b in receiver.bodies()]
    assert sent == [str(e.event_id) for e in OutboxEvent.objects.order_by("id")]
    # The retried event kept its id: receivers drop duplicates by it.
    assert len({r["headers"]["webhook-id"] for r in receiver.received[:3]}) == 1


def test_it_marks_a_delivery_failed_after_the_last_retry(
    steward: Any,
    receiver: Receiver,
    run_worker: Callable[[], None],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.DC43_WEBHOOK_RETRY_SCHEDULE = [0, 0]
    sub, _ = subscriptions.webhook_create(user=steward, url=receiver.url)
    receiver.answers = [302, 500, 500]
    with django_capture_on_commit_callbacks(execute=True):
        delivery = subscriptions.webhook_send_test(user=steward, subscription=sub)
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == 3
    assert receiver.received[0]["status"] == 302 and len(receiver.received) == 3  # the redirect was not followed
    with django_capture_on_commit_callbacks(execute=True):
        again = subscriptions.webhook_redeliver(user=steward, delivery=delivery)
    run_worker()
    again.refresh_from_db()
    assert again.status == "delivered" and receiver.received[-1]["headers"]["webhook-id"] == str(
        delivery.event.event_id
    )


def test_it_gives_up_on_a_target_that_is_down(
    steward: Any, run_worker: Callable[[], None], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.DC43_WEBHOOK_RETRY_SCHEDULE = [0]
    sub, _ = subscriptions.webhook_create(user=steward, url="http://127.0.0.1:9/closed")
    with django_capture_on_commit_callbacks(execute=True):
        delivery = subscriptions.webhook_send_test(user=steward, subscription=sub)
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.last_status_code is None and "Connect" in delivery.last_error
