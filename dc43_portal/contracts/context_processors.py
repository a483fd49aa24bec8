from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dc43_portal import statuses


def portal(request: HttpRequest) -> dict[str, Any]:
    return {"status_labels": statuses.LABELS}
