from __future__ import annotations

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "dc43_portal.events"
    label = "events"
    verbose_name = "Events and notifications"
