from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from dc43_portal import statuses
from dc43_portal.contracts.selectors import review_count


def portal(request: HttpRequest) -> dict[str, Any]:
    @cache
    def queue_count() -> int:
        """The nav's review badge: templates call it, so pages that do not show it run no query."""
        user = getattr(request, "user", None)
        return review_count() if user is not None and user.is_authenticated else 0

    return {"status_labels": statuses.LABELS, "queue_count": queue_count}
