"""The background tasks (Django Tasks, run by ``manage.py events_worker``): delivery and e-mail."""

from __future__ import annotations

import uuid

from django.utils import timezone
from django_tasks import task

from dc43_portal.events import delivery, notify, outbox
from dc43_portal.events.models import Delivery


@task()
def deliver_subscription(subscription_id: int) -> None:
    """Send a subscription's due deliveries in order; come back at the next retry."""
    owner = uuid.uuid4().hex
    retry_at = delivery.deliver_pending(subscription_id, owner)
    if retry_at is not None:
        deliver_subscription.using(run_after=retry_at).enqueue(subscription_id)
    elif Delivery.objects.filter(
        subscription_id=subscription_id,
        status=Delivery.Status.PENDING,
        next_attempt_at__lte=timezone.now(),
        event__seq__isnull=False,
    ).exists():
        # One committed while this run held the lease (its own task found the lease taken).
        deliver_subscription.enqueue(subscription_id)


@task()
def process_outbox() -> None:
    """Sequence what committed (this task's row committed with its event), fan it out, enqueue the rest."""
    outbox.sequence_committed()


@task()
def notify_event(event_id: int) -> None:
    notify.notify_event(event_id)
