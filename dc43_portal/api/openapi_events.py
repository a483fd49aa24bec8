"""The OpenAPI of ``/webhooks`` and ``/events`` (DESIGN §9), merged into ``openapi.build``."""

from __future__ import annotations

from typing import Any

from dc43_portal.api.openapi_parts import COMMON_ERRORS, error, json_answer, ref
from dc43_portal.events.cloudevents import ALL_TYPES

BODY_ERRORS = {
    "411": error("No Content-Length (a chunked body)"),
    "413": error("The body is too large"),
    "415": error("Not JSON, not UTF-8, or compressed"),
}
CURSOR = {"type": "integer", "minimum": 0, "maximum": 999999999}


def _op(op_id: str, summary: str, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"operationId": op_id, "summary": summary, "responses": {**responses, **COMMON_ERRORS}, **extra}


PATHS: dict[str, Any] = {
    "/webhooks": {
        "get": _op(
            "listWebhooks",
            "Webhook subscriptions (steward scope)",
            {"200": json_answer("The subscriptions", ref("WebhookList"))},
        ),
        "post": _op(
            "createWebhook",
            "Subscribe a URL; the answer holds the signing secret, shown only this once (steward scope)",
            {"201": json_answer("Created, with its secret", ref("WebhookCreated")), **BODY_ERRORS},
            requestBody={"required": True, "content": {"application/json": {"schema": ref("WebhookRequest")}}},
        ),
    },
    "/webhooks/{webhook_id}": {
        "delete": _op(
            "deleteWebhook",
            "Remove a subscription and its delivery log (steward scope)",
            {"204": {"description": "Removed"}, "404": error("No such webhook")},
            parameters=[
                {"name": "webhook_id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}}
            ],
        )
    },
    "/events": {
        "get": _op(
            "listEvents",
            "The pull feed: CloudEvents after a cursor, oldest first; resume from `next` (read scope)",
            {"200": json_answer("A page of events", ref("EventPage"))},
            parameters=[
                {"name": "after", "in": "query", "description": "The `next` of the previous page", "schema": CURSOR},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
            ],
        )
    },
}

_FILTER = {"type": ["string", "null"], "maxLength": 200}
_SUBSCRIPTION = {
    "id": {"type": "integer"},
    "url": {"type": "string"},
    "types": {"type": "array", "items": {"type": "string", "enum": ALL_TYPES}, "description": "Empty: every type"},
    "contract_id": _FILTER,
    "domain": _FILTER,
    "description": {"type": "string"},
    "created_at": {"type": "string", "format": "date-time"},
}
SCHEMAS: dict[str, Any] = {
    "WebhookRequest": {
        "type": "object",
        "required": ["url"],
        "additionalProperties": False,
        "properties": {
            "url": {"type": "string", "format": "uri", "description": "http(s); private addresses are refused"},
            "types": _SUBSCRIPTION["types"],
            "contract_id": _FILTER,
            "domain": _FILTER,
            "description": {"type": "string", "maxLength": 200},
        },
    },
    "Webhook": {"type": "object", "required": list(_SUBSCRIPTION), "properties": _SUBSCRIPTION},
    "WebhookCreated": {
        "type": "object",
        "required": [*_SUBSCRIPTION, "secret"],
        "properties": {**_SUBSCRIPTION, "secret": {"type": "string", "pattern": "^whsec_"}},
    },
    "WebhookList": {
        "type": "object",
        "required": ["webhooks"],
        "properties": {"webhooks": {"type": "array", "items": ref("Webhook")}},
    },
    "CloudEvent": {
        "type": "object",
        "description": "CloudEvents 1.0, structured JSON; the same object a webhook receives",
        "required": ["specversion", "id", "source", "type", "time", "data"],
        "properties": {
            "specversion": {"const": "1.0"},
            "id": {"type": "string", "format": "uuid"},
            "source": {"type": "string"},
            "type": {"type": "string"},
            "subject": {"type": "string"},
            "time": {"type": "string", "format": "date-time"},
            "datacontenttype": {"const": "application/json"},
            "data": {"type": "object"},
        },
    },
    "EventPage": {
        "type": "object",
        "required": ["events", "next"],
        "properties": {"events": {"type": "array", "items": ref("CloudEvent")}, "next": CURSOR},
    },
}
