from __future__ import annotations

from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "dc43_portal.contracts"
    label = "contracts"
    verbose_name = "Data contracts"

    def ready(self) -> None:
        from dc43_portal.contracts import checks, handler  # noqa: F401 - registers checks and signals
