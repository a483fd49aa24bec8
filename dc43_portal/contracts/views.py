"""Page views: thin, typed; they parse, call one selector or service, and render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dc43_portal import odcs, statuses
from dc43_portal.contracts import selectors
from dc43_portal.contracts.http_errors import portal_errors
from dc43_portal.contracts.models import Contract

PAGE_SIZE = 50


def read_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged-in users may read; anonymous visitors only when ``DC43_UI_ANONYMOUS_READ`` is on."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and not settings.DC43_UI_ANONYMOUS_READ:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@read_access
def contract_list(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in ("q", "status", "domain", "owner", "tag")}
    contracts = selectors.contract_search(
        query=filters["q"],
        status=statuses.parse_status(filters["status"]) or "",
        domain=filters["domain"],
        owner=filters["owner"],
        tag=filters["tag"],
    )
    page = Paginator(contracts, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "domains": Contract.objects.exclude(domain="").values_list("domain", flat=True).distinct().order_by("domain"),
        "statuses": statuses.CHOICES,
    }
    return render(request, "contracts/list.html", context)


@require_GET
@read_access
@portal_errors
def contract_detail(request: HttpRequest, contract_id: str) -> HttpResponse:
    contract = selectors.contract_get(contract_id)
    versions = selectors.contract_versions(contract)
    validated = next((v for v in versions if v.status == statuses.ACTIVE), None)
    context = {"contract": contract, "versions": versions, "latest_validated": validated}
    return render(request, "contracts/detail.html", context)


@require_GET
@read_access
@portal_errors
def version_detail(request: HttpRequest, contract_id: str, version: str) -> HttpResponse:
    found = selectors.version_get(contract_id, version)
    context = {
        "contract": found.row.contract,
        "row": found.row,
        "doc": found.document,
        "doc_yaml": odcs.dump_yaml(found.document),
        "doc_json": odcs.dump_json(found.document),
        "events": selectors.version_events(contract_id, version)[:100],
    }
    return render(request, "contracts/version.html", context)


@require_GET
@read_access
@portal_errors
def version_download(request: HttpRequest, contract_id: str, version: str, fmt: str) -> HttpResponse:
    found = selectors.version_get(contract_id, version)
    if fmt == "json":
        body, content_type = odcs.dump_json(found.document), "application/json"
    elif fmt == "yaml":
        body, content_type = odcs.dump_yaml(found.document), "application/yaml"
    else:
        return render(request, "error.html", {"status": 404, "message": "Download as .json or .yaml"}, status=404)
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_safe_name(contract_id)}-{_safe_name(version)}.{fmt}"'
    return response


def _safe_name(text: str) -> str:
    return "".join(c if c.isalnum() or c in "._-+" else "_" for c in text)


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for Docker's HEALTHCHECK: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
