"""Transitions through the API follow the UI's rules: scopes, groups, four eyes, required comments."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dc43_portal.contracts.models import LifecycleEvent
from tests.api.conftest import ApiClient
from tests.conftest import make_doc

pytestmark = pytest.mark.database
VERSION = "/contracts/sales.orders/versions/1.0.0"


def move(api: ApiClient, to: str, path: str = VERSION, **extra: Any) -> Any:
    headers = extra.pop("headers", None)
    return api.post(f"{path}/transitions", json.dumps({"to": to, **extra}), headers=headers)


@pytest.fixture
def proposed(author_api: ApiClient) -> None:
    assert author_api.put(VERSION, json.dumps(make_doc())).status_code == 204
    assert move(author_api, "In review").status_code == 200


def test_an_author_submits_and_another_steward_approves(proposed: None, steward_api: ApiClient) -> None:
    response = move(steward_api, "Validated", comment="looks right")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["label"], body["status_changed_by"]) == ("active", "Validated", "sam")
    assert response["ETag"] == f'"{body["fingerprint"]}-active"'
    assert steward_api.get("/contracts/sales.orders/latest", status="Validated").json()["status"] == "active"
    assert steward_api.get("/contracts/sales.orders/versions", status="active").json() == ["1.0.0"]
    events = LifecycleEvent.objects.filter(source="api").values_list("action", "actor")
    assert set(events) == {("publish", "alice"), ("submit", "alice"), ("approve", "sam")}


def test_approving_needs_the_steward_scope(proposed: None, author_api: ApiClient) -> None:
    response = move(author_api, "active")
    assert response.status_code == 403
    assert response.json()["detail"] == "this token lacks the 'steward' scope"


def test_a_stewards_token_cannot_make_a_viewer_a_steward(proposed: None, viewer_api: ApiClient) -> None:
    assert move(viewer_api, "active").status_code == 403


def test_four_eyes_hold_through_the_api(steward: Any, steward_api: ApiClient, steward2_api: ApiClient) -> None:
    steward.groups.add(*type(steward.groups.first()).objects.filter(name="authors"))
    assert steward_api.put(VERSION, json.dumps(make_doc())).status_code == 204
    assert move(steward_api, "proposed").status_code == 200
    refused = move(steward_api, "active")
    assert refused.status_code == 409
    assert "four eyes" in refused.json()["detail"]
    assert move(steward2_api, "active").status_code == 200


def test_rejecting_needs_a_comment(proposed: None, steward_api: ApiClient) -> None:
    response = move(steward_api, "draft")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"path": "comment", "message": "Reject needs a reason."}]
    assert move(steward_api, "draft", comment="name the owner").json()["status"] == "draft"


def test_a_path_the_lifecycle_lacks_is_409(author_api: ApiClient, steward_api: ApiClient) -> None:
    author_api.put(VERSION, json.dumps(make_doc()))
    response = move(steward_api, "deprecated", comment="old")
    assert response.status_code == 409
    assert "cannot go from Draft to Deprecated" in response.json()["detail"]


def test_a_stale_if_match_is_412(proposed: None, steward_api: ApiClient) -> None:
    stale = '"' + "0" * 64 + '-proposed"'
    assert move(steward_api, "active", headers={"If-Match": stale}).status_code == 412
    etag = steward_api.get(VERSION)["ETag"]
    assert move(steward_api, "active", headers={"If-Match": etag}).status_code == 200


def test_bad_transition_bodies_are_400(proposed: None, steward_api: ApiClient) -> None:
    path = f"{VERSION}/transitions"
    for body in ["{", "[]", "{}", '{"to": 3}', '{"to": "shipped"}', '{"to": "active", "comment": 1}']:
        response = steward_api.post(path, body)
        assert response.status_code == 400, body
        assert response.json()["error"] == "bad_request"


def test_a_missing_version_is_404(steward_api: ApiClient) -> None:
    assert move(steward_api, "active", path="/contracts/nobody/versions/1.0.0").status_code == 404


def test_the_status_route_tells_who_did_what(proposed: None, author_api: ApiClient) -> None:
    body = author_api.get(f"{VERSION}/status").json()
    assert {k: body[k] for k in ("id", "version", "status", "label", "created_by", "submitted_by")} == {
        "id": "sales.orders",
        "version": "1.0.0",
        "status": "proposed",
        "label": "In review",
        "created_by": "alice",
        "submitted_by": "alice",
    }
    assert author_api.get("/contracts/sales.orders/versions/2.0.0/status").status_code == 404
