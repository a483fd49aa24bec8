from __future__ import annotations

from django.urls import path

import dc43_portal.converters  # noqa: F401 - registers the segment converter
from dc43_portal.events import views

app_name = "events"
urlpatterns = [
    path("me/work/", views.my_work, name="my_work"),
    path("account/notifications/", views.notification_settings, name="notifications"),
    path("contracts/<segment:contract_id>/watch", views.watch_toggle, name="watch"),
    path("webhooks/", views.webhook_list, name="webhooks"),
    path("webhooks/<int:webhook_id>/", views.webhook_detail, name="webhook"),
    path("webhooks/<int:webhook_id>/actions", views.webhook_action, name="webhook_action"),
]
