from __future__ import annotations

from django.urls import path

import dc43_portal.converters  # noqa: F401 - registers the segment converter
from dc43_portal.contracts.views import compare, discuss, edit, lifecycle, pages, products

app_name = "contracts"
urlpatterns = [
    path("", pages.contract_list, name="list"),
    path("queue/", pages.review_queue, name="queue"),
    path("queue/badge", pages.queue_badge, name="queue_badge"),
    path("activity/", pages.activity, name="activity"),
    path("data-products/", products.product_list, name="products"),
    path("data-products/<segment:product_id>/", products.product_detail, name="product"),
    path("new/", edit.contract_upload, name="upload"),
    path("contracts/<segment:contract_id>/", pages.contract_detail, name="detail"),
    path("contracts/<segment:contract_id>/new/", edit.version_new, name="new_version"),
    path("contracts/<segment:contract_id>/compare", compare.contract_compare, name="compare"),
    path("contracts/<segment:contract_id>/versions/<segment:version>/", pages.version_detail, name="version"),
    path("contracts/<segment:contract_id>/versions/<segment:version>/edit/", edit.version_edit, name="edit"),
    path(
        "contracts/<segment:contract_id>/versions/<segment:version>/transition",
        lifecycle.version_transition,
        name="transition",
    ),
    path("comments/<int:comment_id>/resolve", discuss.comment_resolve, name="comment_resolve"),
    path("comments/<int:comment_id>/accept", discuss.change_request_accept, name="change_request_accept"),
    path(
        "contracts/<segment:contract_id>/versions/<segment:version>/comments",
        discuss.comment_post,
        name="comment",
    ),
    path(
        "contracts/<segment:contract_id>/versions/<segment:version>/discard",
        lifecycle.version_discard,
        name="discard",
    ),
    path(
        "contracts/<segment:contract_id>/versions/<segment:version>/download.<str:fmt>",
        pages.version_download,
        name="download",
    ),
]
