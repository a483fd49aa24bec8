"""System checks of the API's settings, reported by ``manage.py check``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from dc43_portal import statuses


@checks.register("api")
def check_api_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    value = str(getattr(settings, "DC43_API_LATEST_STATUS", "") or "").strip()
    if value and value.lower() != "any" and statuses.parse_status(value) is None:
        names = ", ".join([*statuses.STATUSES, *statuses.LABELS.values()])
        return [
            checks.Error(
                f"DC43_API_LATEST_STATUS={value!r} is not a status.",
                hint=f"Leave it empty (any status, as dc43 does) or use one of {names}.",
                id="api.E001",
            )
        ]
    return []
