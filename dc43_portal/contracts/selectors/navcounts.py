"""The navigation's counts, shown on every page: cached per user under the newest audit event's id.

Every audited write (publish, submit, approve, reject, deprecate, delete, sync) adds a ``LifecycleEvent``,
so the next page after a write counts again, in any process. Every count expires after ``NAV_COUNT_SECONDS``
too, which bounds the rest: what moves without an event (a role granted in the admin, a version
``sync_contracts`` finds gone from the store), and two writes committing out of their ids' order on
PostgreSQL, which can leave one process a count computed before the slower one. The pages the counts link
to are always computed fresh.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db.models import Max

from dc43_portal.contracts.models import LifecycleEvent

NAV_COUNT_SECONDS = 30


def audit_mark() -> int:
    """The newest audit event's id (an index-only read of the primary key)."""
    return LifecycleEvent.objects.aggregate(mark=Max("id"))["mark"] or 0


def cached_count(kind: str, user: Any, compute: Callable[[], int]) -> int:
    # The username too: SQLite may give a deleted account's pk to a new one.
    key = f"nav:{kind}:{user.pk}:{user.get_username()}:{audit_mark()}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, NAV_COUNT_SECONDS)
    return int(found)
