"""``GET /api/v1/contracts/{id}/compare?from=&to=``: the compare page's data as JSON; and
``POST /api/v1/contracts/check``: a document checked against the portal before it is published."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

from dc43_portal.api.auth import api_endpoint
from dc43_portal.api.inputs import read_document
from dc43_portal.api.tokens import Caller
from dc43_portal.contracts.selectors.check import contract_check
from dc43_portal.contracts.selectors.compare import compare_payload


@api_endpoint(GET="read")
def compare(request: HttpRequest, caller: Caller, contract_id: str) -> JsonResponse:
    """The changes, summary and suggested bump; 400 for a missing, bad or repeated version, 404 for an unknown one."""
    return JsonResponse(compare_payload(contract_id, request.GET.get("from"), request.GET.get("to")))


@api_endpoint(POST="read")
def check(request: HttpRequest, caller: Caller) -> JsonResponse:
    """Validation, the diff with the latest Validated version, the bump and the approval forecast; writes nothing."""
    body, _ = read_document(request)
    return JsonResponse(contract_check(body))
