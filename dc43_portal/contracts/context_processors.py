from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from dc43_portal import statuses
from dc43_portal.contracts.selectors import review_count


def portal(request: HttpRequest) -> dict[str, Any]:
    return {"status_labels": statuses.LABELS, "queue_count": SimpleLazyObject(lambda: _queue_count(request))}


def _queue_count(request: HttpRequest) -> int:
    """The nav's review badge; counted only when a page shows it, and only for signed-in users."""
    user = getattr(request, "user", None)
    return review_count() if user is not None and user.is_authenticated else 0
