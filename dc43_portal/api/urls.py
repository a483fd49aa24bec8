"""Routes of ``/api/v1`` (dc43's paths first) and of the token pages under ``/account``."""

from __future__ import annotations

from django.urls import path

import dc43_portal.converters  # noqa: F401 - registers the segment converter
from dc43_portal.api import pages, views, views_compare, views_events

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("contracts", views.contract_list, name="contracts"),
    path("contracts/link", views.link, name="link"),
    path("contracts/datasets/<segment:dataset_id>/linked", views.linked, name="linked"),
    path("contracts/<segment:contract_id>/versions", views.version_list, name="versions"),
    path("contracts/<segment:contract_id>/versions/<segment:version>", views.version_resource, name="version"),
    path(
        "contracts/<segment:contract_id>/versions/<segment:version>/status",
        views.version_status,
        name="status",
    ),
    path(
        "contracts/<segment:contract_id>/versions/<segment:version>/transitions",
        views.transition,
        name="transitions",
    ),
    path("contracts/<segment:contract_id>/latest", views.latest, name="latest"),
    path("contracts/<segment:contract_id>/compare", views_compare.compare, name="compare"),
    path("webhooks", views_events.webhooks, name="webhooks"),
    path("webhooks/<int:webhook_id>", views_events.webhook, name="webhook"),
    path("events", views_events.events, name="events"),
]

account_urlpatterns = [
    path("tokens/", pages.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke", pages.token_revoke_view, name="token_revoke"),
]
