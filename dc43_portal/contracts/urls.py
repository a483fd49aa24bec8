from __future__ import annotations

from django.urls import path

import dc43_portal.converters  # noqa: F401 - registers the segment converter
from dc43_portal.contracts import views, views_compare, views_edit, views_lifecycle

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("queue/", views.review_queue, name="queue"),
    path("queue/badge", views.queue_badge, name="queue_badge"),
    path("activity/", views.activity, name="activity"),
    path("new/", views_edit.contract_upload, name="upload"),
    path("contracts/<segment:contract_id>/", views.contract_detail, name="detail"),
    path("contracts/<segment:contract_id>/new/", views_edit.version_new, name="new_version"),
    path("contracts/<segment:contract_id>/compare", views_compare.contract_compare, name="compare"),
    path("contracts/<segment:contract_id>/versions/<segment:version>/", views.version_detail, name="version"),
    path("contracts/<segment:contract_id>/versions/<segment:version>/edit/", views_edit.version_edit, name="edit"),
    path(
        "contracts/<segment:contract_id>/versions/<segment:version>/transition",
        views_lifecycle.version_transition,
        name="transition",
    ),
    path(
        "contracts/<segment:contract_id>/versions/<segment:version>/download.<str:fmt>",
        views.version_download,
        name="download",
    ),
]
