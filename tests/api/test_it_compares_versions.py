"""GET /api/v1/contracts/{id}/compare: the semantic diff as JSON, and the Warning of a breaking draft PUT."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dc43_portal.contracts.services import contract_publish
from tests.api.conftest import ApiClient
from tests.conftest import make_doc
from tests.fixtures.cast import imported

pytestmark = pytest.mark.database


@pytest.fixture
def versions(db: None) -> None:
    imported("1.0.0")
    revised = make_doc(version="1.1.0")
    revised["schema"][0]["properties"] = revised["schema"][0]["properties"][:1]
    contract_publish(document=revised, actor="alice")


def test_it_returns_the_changes_summary_and_suggested_bump(versions: None, viewer_api: ApiClient) -> None:
    response = viewer_api.get("/contracts/sales.orders/compare", **{"from": "1.0.0", "to": "1.1.0"})
    assert response.status_code == 200
    body = response.json()
    assert body["suggested_bump"] == "major"
    assert (body["from"]["status"], body["to"]["status"]) == ("active", "draft")
    assert body["summary"] == {
        "breaking": 1,
        "non_breaking": 0,
        "info": 0,
        "total": 1,
        "suggested_bump": "major",
        "actual_bump": "minor",
        "bump_sufficient": False,
    }
    [change] = body["changes"]
    assert (change["path"], change["kind"], change["rule"], change["severity"]) == (
        "schema.orders.properties.amount",
        "removed",
        "property-removed",
        "breaking",
    )
    assert change["old"] == {"name": "amount", "logicalType": "number"} and change["new"] is None


@pytest.mark.parametrize(
    ("params", "status", "error"),
    [
        ({"from": "1.0.0"}, 400, "bad_request"),
        ({}, 400, "bad_request"),
        ({"from": "1.0.0", "to": "1.0.0"}, 400, "bad_request"),
        ({"from": "1.0.0", "to": "not-a-version"}, 400, "bad_request"),
        ({"from": "1.0.0", "to": "7.0.0"}, 404, "not_found"),
    ],
)
def test_it_refuses_bad_input_with_json(
    versions: None, viewer_api: ApiClient, params: dict[str, str], status: int, error: str
) -> None:
    response = viewer_api.get("/contracts/sales.orders/compare", **params)
    assert response.status_code == status
    assert response.json()["error"] == error
    assert response.json()["detail"]


def test_it_answers_404_for_an_unknown_contract_and_401_without_a_token(
    versions: None, viewer_api: ApiClient, anonymous_api: ApiClient
) -> None:
    assert viewer_api.get("/contracts/nope/compare", **{"from": "1.0.0", "to": "1.1.0"}).status_code == 404
    assert anonymous_api.get("/contracts/sales.orders/compare", **{"from": "1.0.0", "to": "1.1.0"}).status_code == 401


def test_a_breaking_draft_put_is_stored_with_a_warning_header(versions: None, author_api: ApiClient) -> None:
    doc: dict[str, Any] = make_doc(version="1.2.0")
    doc["schema"][0]["properties"][0]["logicalType"] = "integer"
    response = author_api.put("/contracts/sales.orders/versions/1.2.0", json.dumps(doc))
    assert response.status_code == 204
    assert "1.2.0 has 1 breaking change since 1.0.0" in response["Warning"]
    assert "publish these changes as 2.0.0" in response["Warning"]
    assert author_api.get("/contracts/sales.orders/versions/1.2.0").status_code == 200


def test_an_incompatible_approval_is_a_409_that_names_the_change(
    versions: None, author_api: ApiClient, steward_api: ApiClient
) -> None:
    path = "/contracts/sales.orders/versions/1.1.0/transitions"
    assert author_api.post(path, json.dumps({"to": "proposed"})).status_code == 200
    response = steward_api.post(path, json.dumps({"to": "Validated"}))
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"
    assert "schema.orders.properties.amount removed [property-removed]" in response.json()["detail"]
    assert "publish these changes as 2.0.0" in response.json()["detail"]
