"""``/api/v1/webhooks`` (steward scope; the secret once; clear 4xx, nothing written) and the pull feed
``/api/v1/events`` (read scope; ordered, resumable, the webhooks' CloudEvents)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dc43_portal.contracts import services
from dc43_portal.events.models import Subscription
from tests.api.conftest import ApiClient
from tests.conftest import make_doc

pytestmark = pytest.mark.database


def _post(api: ApiClient, body: Any) -> Any:
    return api.post("/webhooks", json.dumps(body))


def test_it_creates_lists_and_deletes_a_webhook(steward_api: ApiClient, settings: Any) -> None:
    settings.DC43_WEBHOOK_ALLOW_PRIVATE = True
    created = _post(steward_api, {"url": "http://127.0.0.1:9/hook", "types": ["io.dc43.contract.version.approved"]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["secret"].startswith("whsec_") and body["types"] == ["io.dc43.contract.version.approved"]
    listed = steward_api.get("/webhooks").json()["webhooks"]
    assert [w["id"] for w in listed] == [body["id"]] and "secret" not in listed[0]
    assert steward_api.request("DELETE", f"/webhooks/{body['id']}").status_code == 204
    assert steward_api.request("DELETE", f"/webhooks/{body['id']}").status_code == 404
    assert Subscription.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ({"url": "http://127.0.0.1/x"}, "loopback"),
        ({"url": "gopher://example.com/"}, "only http and https"),
        ({"url": 3}, "give the URL"),
        ({"url": "http://93.184.216.34/", "types": ["io.dc43.nope"]}, "unknown type"),
        ({"url": "http://93.184.216.34/", "contract_id": "a/b"}, "contract_id"),
        ({"url": "http://93.184.216.34/", "colour": "red"}, "unknown field"),
    ],
)
def test_it_refuses_bad_webhooks_with_json(steward_api: ApiClient, body: Any, why: str) -> None:
    answer = _post(steward_api, body)
    assert answer.status_code == 400 and why in answer.json()["detail"]
    assert Subscription.objects.count() == 0


def test_it_needs_the_steward_scope(author_api: ApiClient, viewer_api: ApiClient) -> None:
    assert _post(author_api, {"url": "http://93.184.216.34/"}).status_code == 403
    assert viewer_api.get("/webhooks").status_code == 403
    assert Subscription.objects.count() == 0


def test_the_feed_is_ordered_and_resumable(
    author: Any, author_api: ApiClient, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.contract_publish(document=make_doc(), actor=author.username)
        services.contract_transition(contract_id="sales.orders", version="1.0.0", to_status="proposed", user=author)
        services.contract_publish(document=make_doc("sales.returns"), actor=author.username)
    first = author_api.get("/events", limit="2").json()
    assert [e["type"].rsplit(".", 1)[1] for e in first["events"]] == ["published", "submitted"]
    rest = author_api.get("/events", after=str(first["next"]), limit="2").json()
    assert [e["subject"] for e in rest["events"]] == ["sales.returns/1.0.0"]
    empty = author_api.get("/events", after=str(rest["next"])).json()
    assert empty == {"events": [], "next": rest["next"]}
    assert first["events"][0]["specversion"] == "1.0" and first["events"][0]["data"]["actor"]["username"] == "alice"


@pytest.mark.parametrize("query", [{"limit": "0"}, {"limit": "1001"}, {"after": "-1"}, {"after": "x"}])
def test_the_feed_refuses_bad_cursors(author_api: ApiClient, query: dict[str, str]) -> None:
    assert author_api.get("/events", **query).status_code == 400
