from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from dc43_portal import statuses
from dc43_portal.accounts import roles
from dc43_portal.contracts import lifecycle
from dc43_portal.contracts.selectors import review_count
from dc43_portal.contracts.selectors.navcounts import cached_count


def portal(request: HttpRequest) -> dict[str, Any]:
    @cache
    def queue_count() -> int:
        """The nav's review badge: templates call it, so pages that do not show it run no query."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return cached_count("queue", user, lambda: review_count(roles.readable_domains(user)))

    @cache
    def my_roles() -> lifecycle.ActorFacts:
        """The roles the user holds in some domain: the nav's label and its upload button."""
        return roles.actor_anywhere(getattr(request, "user", None))

    sso = settings.DC43_OIDC_NAME if settings.DC43_OIDC_ISSUER else ""
    return {"status_labels": statuses.LABELS, "queue_count": queue_count, "my_roles": my_roles, "sso_name": sso}
