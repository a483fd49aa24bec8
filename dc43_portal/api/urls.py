"""Routes of ``/api/v1`` (dc43's paths first) and of the token pages under ``/account``."""

from __future__ import annotations

from django.urls import path, register_converter

from dc43_portal.api import pages, views, views_compare


class SegmentConverter:
    """One path segment, percent-decoded by Django; ids and versions are checked in the views (400)."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SegmentConverter, "api_segment")

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("contracts", views.contract_list, name="contracts"),
    path("contracts/link", views.link, name="link"),
    path("contracts/datasets/<api_segment:dataset_id>/linked", views.linked, name="linked"),
    path("contracts/<api_segment:contract_id>/versions", views.version_list, name="versions"),
    path("contracts/<api_segment:contract_id>/versions/<api_segment:version>", views.version_resource, name="version"),
    path(
        "contracts/<api_segment:contract_id>/versions/<api_segment:version>/status",
        views.version_status,
        name="status",
    ),
    path(
        "contracts/<api_segment:contract_id>/versions/<api_segment:version>/transitions",
        views.transition,
        name="transitions",
    ),
    path("contracts/<api_segment:contract_id>/latest", views.latest, name="latest"),
    path("contracts/<api_segment:contract_id>/compare", views_compare.compare, name="compare"),
]

account_urlpatterns = [
    path("tokens/", pages.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke", pages.token_revoke_view, name="token_revoke"),
]
