from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dc43_portal.api"
    label = "api"
    verbose_name = "Machine API"
