"""``/api/v1/webhooks`` (steward scope) and the pull feed ``/api/v1/events`` (read scope), DESIGN §9."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, JsonResponse

from dc43_portal.api.auth import api_endpoint
from dc43_portal.api.errors import BadRequest
from dc43_portal.api.inputs import int_param, read_json_object
from dc43_portal.api.tokens import Caller
from dc43_portal.errors import ContractNotFound
from dc43_portal.events import feed, subscriptions
from dc43_portal.events.models import Subscription

FIELDS = {"url", "types", "contract_id", "domain", "description"}
MAX_ID = 2**63 - 1


def subscription_payload(sub: Subscription) -> dict[str, Any]:
    return {
        "id": sub.pk,
        "url": sub.url,
        "types": sub.types,
        "contract_id": sub.contract_id or None,
        "domain": sub.domain or None,
        "description": sub.description,
        "created_at": sub.created_at.isoformat().replace("+00:00", "Z"),
    }


def _user(caller: Caller) -> Any:
    return get_user_model().objects.get(pk=caller.user_pk)


@api_endpoint(GET="steward", POST="steward")
def webhooks(request: HttpRequest, caller: Caller) -> JsonResponse:
    if request.method == "POST":
        data = read_json_object(request)
        unknown = sorted(set(data) - FIELDS)
        if unknown:
            raise BadRequest(f"unknown field {unknown[0]!r}; send {', '.join(sorted(FIELDS))}")
        if not isinstance(data.get("description", ""), str):
            raise BadRequest("'description' must be a string")
        sub, secret = subscriptions.webhook_create(
            user=_user(caller),
            url=data.get("url"),
            types=data.get("types"),
            contract_id=data.get("contract_id"),
            domain=data.get("domain"),
            description=data.get("description", ""),
        )
        return JsonResponse({**subscription_payload(sub), "secret": secret}, status=201)
    return JsonResponse({"webhooks": [subscription_payload(s) for s in Subscription.objects.order_by("id")]})


@api_endpoint(DELETE="steward")
def webhook(request: HttpRequest, caller: Caller, webhook_id: int) -> HttpResponse:
    sub = Subscription.objects.filter(pk=webhook_id).first() if webhook_id <= MAX_ID else None
    if sub is None:
        raise ContractNotFound(f"no webhook {webhook_id}")
    subscriptions.webhook_delete(user=_user(caller), subscription=sub)
    return HttpResponse(status=204)


@api_endpoint(GET="read")
def events(request: HttpRequest, caller: Caller) -> JsonResponse:
    after = int_param(request, "after", 0) or 0
    limit = int_param(request, "limit", feed.DEFAULT_LIMIT)
    if limit is None or not 1 <= limit <= feed.MAX_LIMIT:
        raise BadRequest(f"limit must be between 1 and {feed.MAX_LIMIT}")
    items, cursor = feed.events_after(after, limit)
    return JsonResponse({"events": items, "next": cursor})
