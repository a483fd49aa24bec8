"""The transactional outbox: one row per audit event and one task to process it, both written in the
transaction of the change (the task queue is a table of the same database), so they commit or vanish with
it and the request pays no second commit.

Ids are taken inside the writing transactions, so two writers can commit out of id order; a cursor over
ids could then skip a row that commits late. So the order consumers see is ``seq``, given after commit by
``sequence_committed`` (the worker's task, its sweep, or the feed) under one short lock: every committed
row without a ``seq``, in id order. The same step completes the row (domain, actor id), creates its webhook
deliveries and enqueues their tasks, so deliveries exist in ``seq`` order. Writers never wait on each other.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from dc43_portal.events import cloudevents
from dc43_portal.events.models import Delivery, OutboxEvent, Subscription, Watch

# PostgreSQL: the sequencer's lock (SQLite serialises writers already).
SEQUENCE_LOCK_KEY = 0x0DC43E
SEQUENCE_BATCH = 1000


def event_emit(audit: Any) -> OutboxEvent:
    """Write the outbox row of one audit event (a ``LifecycleEvent``) and its task, in the caller's transaction."""
    from dc43_portal.events import tasks

    with transaction.atomic(savepoint=False):
        event = OutboxEvent.objects.create(
            type=cloudevents.event_type(audit.action),
            source=cloudevents.base_url(),
            subject=f"{audit.contract_id}/{audit.version}" if audit.version else audit.contract_id,
            contract_id=audit.contract_id,
            version=audit.version,
            domain=str((audit.details or {}).get("domain") or ""),
            data=cloudevents.event_data(
                contract_id=audit.contract_id,
                version=audit.version,
                from_status=audit.from_status,
                to_status=audit.to_status,
                actor=audit.actor,
                actor_id=None,  # filled when sequenced, before any consumer sees the event
                comment=audit.comment,
                fingerprint=audit.fingerprint,
                details=audit.details or {},
            ),
            audit_event_id=audit.pk,
        )
        tasks.process_outbox.enqueue()
    return event


def sequence_committed() -> int:
    """Sequence every committed, unsequenced row (in id order), complete it, fan it out to the matching
    subscriptions and enqueue the deliveries and mails; returns how many rows."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEQUENCE_LOCK_KEY])
        pending = list(OutboxEvent.objects.filter(seq__isnull=True).order_by("id")[:SEQUENCE_BATCH])
        if not pending:
            return 0
        top = OutboxEvent.objects.aggregate(top=Max("seq"))["top"] or 0
        _complete(pending)
        now = timezone.now()
        for offset, row in enumerate(pending, start=1):
            row.seq, row.sequenced_at = top + offset, now
        mails = [row for row in pending if row.notified_at is None and may_mail(row.type, row.contract_id, row.data)]
        for row in pending:
            if row not in mails:
                row.notified_at = row.notified_at or now  # nothing to mail: done already
        OutboxEvent.objects.bulk_update(pending, ["seq", "sequenced_at", "domain", "data", "notified_at"])
        enqueue(fan_out([row for row in pending if row.type != cloudevents.TEST_TYPE]), [row.pk for row in mails])
        return len(pending)


def _complete(rows: list[OutboxEvent]) -> None:
    """Domain (for the subscriptions' filter) and actor id, two queries for the whole batch."""
    from dc43_portal.contracts.models import Contract

    domains = dict(
        Contract.objects.filter(contract_id__in={r.contract_id for r in rows}).values_list("contract_id", "domain")
    )
    names = {(r.data.get("actor") or {}).get("username") for r in rows} - {None, ""}
    ids = dict(get_user_model().objects.filter(username__in=names).values_list("username", "pk"))
    for row in rows:
        row.domain = row.domain or str(domains.get(row.contract_id) or "")
        actor = row.data.get("actor")
        if isinstance(actor, dict) and actor.get("id") is None:
            actor["id"] = ids.get(str(actor.get("username")))


def may_mail(event_type: str, contract_id: str, data: dict[str, Any]) -> bool:
    """Whether an event can mail anyone (see ``notify.compose``), so most publishes enqueue no mail task."""
    from dc43_portal.events.notify import ADDRESSED_TYPES, COMMENTED

    addressed = event_type in ADDRESSED_TYPES and (event_type != COMMENTED or bool(data.get("mentions")))
    return addressed or Watch.objects.filter(contract_id=contract_id).exists()


def fan_out(events: list[OutboxEvent]) -> list[int]:
    """One pending delivery per event and matching subscription; returns the subscriptions that got any."""
    subscriptions = list(Subscription.objects.filter(is_active=True))
    deliveries = [
        Delivery(subscription=s, event=e, next_attempt_at=timezone.now())
        for e in events
        for s in subscriptions
        if s.matches(e.type, e.contract_id, e.domain)
    ]
    Delivery.objects.bulk_create(deliveries)
    return sorted({d.subscription_id for d in deliveries})


def enqueue(subscription_ids: list[int], event_ids: list[int]) -> None:
    """The deliveries' and the mails' tasks, in the caller's transaction."""
    from dc43_portal.events import tasks

    for sub_id in subscription_ids:
        tasks.deliver_subscription.enqueue(sub_id)
    for event_id in event_ids:
        tasks.notify_event.enqueue(event_id)
