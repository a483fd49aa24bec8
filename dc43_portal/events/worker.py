"""The sweep beside the task worker: it re-enqueues what a crash left behind, so nothing committed is dropped.

- outbox rows whose after-commit step never ran are sequenced (their commit time is then the sweep's);
- a subscription with a delivery due for a while and no live lease (a killed worker's) is enqueued again;
- an outbox row whose mails were never claimed is enqueued again.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.db import close_old_connections, transaction
from django.utils import timezone

from dc43_portal.events import delivery, outbox, tasks
from dc43_portal.events.models import OutboxEvent

logger = logging.getLogger(__name__)


def sweep(grace_seconds: float) -> dict[str, int]:
    """One pass; returns what it re-enqueued."""
    before = timezone.now() - timedelta(seconds=grace_seconds)
    stamped = outbox.sequence_committed()
    with transaction.atomic():
        subscriptions = delivery.due_subscriptions(int(grace_seconds))
        for sub_id in subscriptions:
            tasks.deliver_subscription.enqueue(sub_id)
        unnotified = list(
            OutboxEvent.objects.filter(notified_at__isnull=True, created_at__lt=before).values_list("pk", flat=True)[
                :500
            ]
        )
        for event_id in unnotified:
            tasks.notify_event.enqueue(event_id)
    return {"sequenced": stamped, "subscriptions": len(subscriptions), "notifications": len(unnotified)}


def start_sweeper(every_seconds: float) -> threading.Thread:
    """A daemon thread: it stops with the worker process."""

    def loop() -> None:
        stop = threading.Event()
        while not stop.wait(every_seconds):
            try:
                found = sweep(every_seconds)
                if any(found.values()):
                    logger.info("events sweep re-enqueued %s", found)
            except Exception:  # a database hiccup must not end the sweeps
                logger.exception("events sweep failed; retrying in %s s", every_seconds)
            finally:
                close_old_connections()

    thread = threading.Thread(target=loop, name="events-sweeper", daemon=True)
    thread.start()
    return thread
