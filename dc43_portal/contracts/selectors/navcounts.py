"""The navigation's counts, shown on every page: cached per user under the newest audit event's id and the
user's roles.

Every audited write (publish, submit, approve, reject, deprecate, delete, sync) adds a ``LifecycleEvent``,
so the next page after a write counts again, in any process. The key also carries a digest of the user's
role grants (read once per request anyway), so a role or group granted or taken away in the admin counts
again at once. Every count expires after ``NAV_COUNT_SECONDS`` too, which bounds the rest: a version
``sync_contracts`` finds gone from the store (no event), and two writes committing out of their ids' order
on PostgreSQL, which can leave one process a count computed before the slower one. The pages the counts
link to are always computed fresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db.models import Max

from dc43_portal.accounts import roles
from dc43_portal.contracts.models import LifecycleEvent

NAV_COUNT_SECONDS = 30


def audit_mark() -> int:
    """The newest audit event's id (an index-only read of the primary key)."""
    return LifecycleEvent.objects.aggregate(mark=Max("id"))["mark"] or 0


def grants_digest(user: Any) -> str:
    """A short, stable digest of the user's roles by domain (the same in every process)."""
    grants = roles.grants_of(user)
    held = sorted((role, sorted(domains)) for role, domains in grants.by_role.items())
    return hashlib.blake2b(repr(held).encode(), digest_size=8).hexdigest()


def cached_count(kind: str, user: Any, compute: Callable[[], int]) -> int:
    # The username too: SQLite may give a deleted account's pk to a new one.
    key = f"nav:{kind}:{user.pk}:{user.get_username()}:{audit_mark()}:{grants_digest(user)}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, NAV_COUNT_SECONDS)
    return int(found)
