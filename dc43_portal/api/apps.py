from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dc43_portal.api"
    label = "api"
    verbose_name = "Machine API"

    def ready(self) -> None:
        from dc43_portal.api import checks  # noqa: F401 - registers the checks
        from dc43_portal.api.tokens import connect_signals

        connect_signals()
