"""CloudEvents 1.0 (structured JSON) for audit events: types, data and the rendered object (DESIGN §9)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings

from dc43_portal.events.models import OutboxEvent

PREFIX = "io.dc43."
CONTENT_TYPE = "application/cloudevents+json"
# Audit action -> CloudEvent type; new actions extend it the same way (DESIGN §9).
TYPES = {
    "publish": "io.dc43.contract.version.published",
    "replace": "io.dc43.contract.version.replaced",
    "import": "io.dc43.contract.version.imported",
    "submit": "io.dc43.contract.version.submitted",
    "approve": "io.dc43.contract.version.approved",
    "reject": "io.dc43.contract.version.rejected",
    "withdraw": "io.dc43.contract.version.withdrawn",
    "deprecate": "io.dc43.contract.version.deprecated",
    "reinstate": "io.dc43.contract.version.reinstated",
    "delete": "io.dc43.contract.version.deleted",
    "discard": "io.dc43.contract.version.discarded",
    "sync": "io.dc43.contract.version.synced",
    "edit": "io.dc43.contract.annotated",
    "comment": "io.dc43.contract.comment.added",
    "resolve": "io.dc43.contract.comment.resolved",
    "link": "io.dc43.governance.dataset.linked",
    "validation": "io.dc43.governance.validation.recorded",
}
TEST_TYPE = "io.dc43.webhook.test"
ALL_TYPES = sorted({*TYPES.values(), TEST_TYPE})


def event_type(action: str) -> str:
    return TYPES.get(action, f"io.dc43.contract.{action}")


def base_url() -> str:
    return str(settings.DC43_BASE_URL).rstrip("/")


def links(contract_id: str, version: str) -> dict[str, str]:
    """The version page and its API URL (ids and versions percent-encoded, so a ``+`` survives)."""
    if not contract_id:
        return {}
    cid = quote(contract_id, safe="")
    if not version:
        return {"page": f"{base_url()}/contracts/{cid}/"}
    ver = quote(version, safe="")
    return {
        "page": f"{base_url()}/contracts/{cid}/versions/{ver}/",
        "api": f"{base_url()}/api/v1/contracts/{cid}/versions/{ver}",
    }


def event_data(
    *,
    contract_id: str,
    version: str,
    from_status: str,
    to_status: str,
    actor: str,
    actor_id: int | None,
    comment: str,
    fingerprint: str,
    details: dict[str, Any],
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "contract_id": contract_id,
        "version": version,
        "from_status": from_status,
        "to_status": to_status,
        "actor": {"username": actor, "id": actor_id},
        "comment": comment,
        "fingerprint": fingerprint,
        "links": links(contract_id, version),
    }
    # What the type adds (replaced_by, compatibility, warnings...), never overriding the common fields.
    data.update({k: v for k, v in details.items() if k not in data})
    return data


def render(event: OutboxEvent) -> dict[str, Any]:
    """The structured CloudEvent; identical on every redelivery (the id and time are stored). ``time`` is
    when the change was written, in the transaction that commits it."""
    moment = event.created_at
    body: dict[str, Any] = {
        "specversion": "1.0",
        "id": str(event.event_id),
        "source": event.source,
        "type": event.type,
        "time": moment.isoformat().replace("+00:00", "Z"),
        "datacontenttype": "application/json",
        "data": event.data,
    }
    if event.subject:
        body["subject"] = event.subject
    return body
