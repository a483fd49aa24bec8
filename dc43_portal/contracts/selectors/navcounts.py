"""The navigation's counts, shown on every page: cached per user under the newest audit event's id.

Every audited write (publish, submit, approve, reject, deprecate, delete, sync) adds a ``LifecycleEvent``,
so a count cached under the newest event's id is never read after a write that could change it, in any
process. What moves without an event (a role granted in the admin, a version ``sync_contracts`` finds gone
from the store) shows within ``NAV_COUNT_SECONDS``. The pages the counts link to are always computed fresh.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Max

from dc43_portal.contracts.models import LifecycleEvent

NAV_COUNT_SECONDS = 30


def audit_mark() -> int:
    """The newest audit event's id (an index-only read of the primary key)."""
    return LifecycleEvent.objects.aggregate(mark=Max("id"))["mark"] or 0


def cached_count(kind: str, user_pk: object, compute: Callable[[], int]) -> int:
    key = f"nav:{kind}:{user_pk}:{audit_mark()}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, NAV_COUNT_SECONDS)
    return int(found)
