"""The API's withdraw (write scope, the submitter only) and discard (DELETE, the Draft's creator only)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from tests.api.conftest import ApiClient, TokenFactory
from tests.conftest import make_doc

pytestmark = pytest.mark.database
VERSION = "/contracts/sales.orders/versions/1.0.0"


def move(api: ApiClient, to: str, **extra: Any) -> Any:
    return api.post(f"{VERSION}/transitions", json.dumps({"to": to, **extra}))


@pytest.fixture
def proposed(author_api: ApiClient) -> None:
    assert author_api.put(VERSION, json.dumps(make_doc())).status_code == 204
    assert move(author_api, "proposed").status_code == 200


def test_the_submitter_withdraws_with_the_write_scope(proposed: None, author_api: ApiClient) -> None:
    response = move(author_api, "Draft", comment="not yet")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "draft"
    assert LifecycleEvent.objects.filter(action="withdraw", actor="alice", source="api").count() == 1


def test_a_steward_asking_for_draft_still_rejects(proposed: None, steward_api: ApiClient) -> None:
    assert move(steward_api, "draft").status_code == 400  # a rejection needs a reason
    assert move(steward_api, "draft", comment="no").status_code == 200
    assert LifecycleEvent.objects.filter(action="reject").count() == 1


def test_another_author_may_not_withdraw(proposed: None, author2: Any, make_token: TokenFactory) -> None:
    other = ApiClient(make_token(author2, "read,write"))
    assert move(other, "draft", action="withdraw").status_code == 403
    assert move(other, "draft", action="dance").status_code == 400
    assert ContractVersion.objects.get().status == "proposed"


def test_the_creator_discards_a_draft(author_api: ApiClient, author2: Any, make_token: TokenFactory) -> None:
    assert author_api.put(VERSION, json.dumps(make_doc())).status_code == 204
    other = ApiClient(make_token(author2, "read,write"))
    assert other.request("DELETE", VERSION).status_code == 403
    assert ApiClient(make_token(author2, "read")).request("DELETE", VERSION).status_code == 403
    response = author_api.request("DELETE", VERSION)
    assert response.status_code == 204
    assert author_api.get(VERSION).status_code == 404
    assert LifecycleEvent.objects.filter(action="discard", actor="alice", source="api").count() == 1


def test_it_refuses_to_discard_a_submitted_version(proposed: None, author_api: ApiClient) -> None:
    response = author_api.request("DELETE", VERSION)
    assert response.status_code == 409 and response.json()["error"] == "conflict"
    assert ContractVersion.objects.count() == 1
