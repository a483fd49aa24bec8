"""Routes of ``/api/v1`` (dc43's paths first) and of the token pages under ``/account``."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from importlib import import_module
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

import dc43_portal.converters  # noqa: F401 - registers the segment converter
from dc43_portal.api import pages, views, views_compare, views_events


def _imported_on_call(module: str, name: str) -> Callable[..., HttpResponse]:
    """A dc43 governance or data-product view, imported at its first call: the dc43 libraries behind them
    (their packages import pyspark, SQLAlchemy and OpenLineage, ~57 MB) load only in workers that serve them."""

    @csrf_exempt
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        found: Callable[..., HttpResponse] = getattr(import_module(f"dc43_portal.api.{module}"), name)
        return found(request, *args, **kwargs)

    view.api_endpoint = True  # type: ignore[attr-defined]  # every view there is one (fastpath reads it)
    view.imported_on_call = (module, name)  # type: ignore[attr-defined]
    return view


gov = partial(_imported_on_call, "views_governance")
dp = partial(_imported_on_call, "views_products")

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("contracts", views.contract_list, name="contracts"),
    path("contracts/link", views.link, name="link"),
    path("contracts/check", views_compare.check, name="check"),
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
    # dc43's governance service
    path("governance/auth", gov("auth"), name="governance-auth"),
    path("governance/read/resolve", gov("read_resolve"), name="governance-read-resolve"),
    path("governance/write/resolve", gov("write_resolve"), name="governance-write-resolve"),
    path("governance/read/evaluate", gov("read_evaluate"), name="governance-read-evaluate"),
    path("governance/write/evaluate", gov("write_evaluate"), name="governance-write-evaluate"),
    path("governance/read/register", gov("read_register"), name="governance-read-register"),
    path("governance/write/register", gov("write_register"), name="governance-write-register"),
    path("governance/lineage", gov("lineage"), name="governance-lineage"),
    path("governance/evaluate", gov("evaluate"), name="governance-evaluate"),
    path("governance/review", gov("review"), name="governance-review"),
    path("governance/draft", gov("draft"), name="governance-draft"),
    path("governance/status", gov("status"), name="governance-status"),
    path("governance/status-matrix", gov("status_matrix"), name="governance-status-matrix"),
    path("governance/link", gov("link"), name="governance-link"),
    path("governance/linked", gov("linked"), name="governance-linked"),
    path("governance/metrics", gov("metrics"), name="governance-metrics"),
    path("governance/datasets", gov("datasets"), name="governance-datasets"),
    path("governance/activity", gov("activity"), name="governance-activity"),
    path("governance/dataset-records", gov("dataset_records"), name="governance-dataset-records"),
    # dc43's data-quality service
    path("data-quality/evaluate", dp("dq_evaluate"), name="dq-evaluate"),
    path("data-quality/expectations", dp("dq_expectations"), name="dq-expectations"),
    # dc43's data-product service
    path("data-products", dp("product_list"), name="data-products"),
    path("data-products/<segment:data_product_id>/versions", dp("product_versions"), name="data-product-versions"),
    path(
        "data-products/<segment:data_product_id>/versions/<segment:version>", dp("product_version"), name="data-product"
    ),
    path("data-products/<segment:data_product_id>/latest", dp("product_latest"), name="data-product-latest"),
    path("data-products/<segment:data_product_id>/input-ports", dp("input_port"), name="data-product-input-ports"),
    path("data-products/<segment:data_product_id>/output-ports", dp("output_port"), name="data-product-output-ports"),
    path(
        "data-products/<segment:data_product_id>/output-ports/<segment:port_name>/contract",
        dp("output_contract"),
        name="data-product-output-contract",
    ),
]

account_urlpatterns = [
    path("tokens/", pages.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke", pages.token_revoke_view, name="token_revoke"),
]
