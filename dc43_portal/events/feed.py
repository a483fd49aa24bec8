"""The pull feed: sequenced events after a cursor (``seq``), oldest first, the webhooks' payloads."""

from __future__ import annotations

from typing import Any

from dc43_portal.events import cloudevents
from dc43_portal.events.models import OutboxEvent
from dc43_portal.events.outbox import sequence_committed

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def events_after(after: int, limit: int) -> tuple[list[dict[str, Any]], int]:
    """Up to ``limit`` events after ``after`` and the cursor to resume from (``after`` when none is new)."""
    if OutboxEvent.objects.filter(seq__isnull=True).exists():
        sequence_committed()  # without a worker running, the feed still moves
    rows = list(OutboxEvent.objects.filter(seq__gt=after).exclude(type=cloudevents.TEST_TYPE).order_by("seq")[:limit])
    return [cloudevents.render(row) for row in rows], int(rows[-1].seq or after) if rows else after
