"""ETags are the fingerprint plus the status: If-None-Match answers 304, If-Match guards a Draft's PUT (412)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dc43_portal import odcs
from dc43_portal.contracts.services import contract_transition
from tests.api.conftest import ApiClient
from tests.conftest import make_doc

pytestmark = pytest.mark.database
PATH = "/contracts/sales.orders/versions/1.0.0"


def test_the_etag_is_the_fingerprint_and_the_status(author_api: ApiClient) -> None:
    doc = make_doc()
    put = author_api.put(PATH, json.dumps(doc))
    got = author_api.get(PATH)
    assert got["ETag"] == put["ETag"] == f'"{odcs.fingerprint(doc)}-draft"'
    assert author_api.get("/contracts/sales.orders/latest")["ETag"] == got["ETag"]


def test_if_none_match_answers_304_without_a_body(author_api: ApiClient) -> None:
    author_api.put(PATH, json.dumps(make_doc()))
    etag = author_api.get(PATH)["ETag"]
    for path in (PATH, "/contracts/sales.orders/latest", PATH + "/status"):
        response = author_api.get(path, headers={"If-None-Match": etag})
        assert response.status_code == 304, path
        assert response.content == b""
        assert response["ETag"] == etag
    assert author_api.get(PATH, headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    assert author_api.get(PATH, headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_status_change_changes_the_etag(author: Any, author_api: ApiClient) -> None:
    author_api.put(PATH, json.dumps(make_doc()))
    before = author_api.get(PATH)["ETag"]
    contract_transition(contract_id="sales.orders", version="1.0.0", to_status="proposed", user=author)
    response = author_api.get(PATH, headers={"If-None-Match": before})
    assert response.status_code == 200
    assert response["ETag"] == before.replace("-draft", "-proposed")
    assert response.json()["status"] == "proposed"


def test_if_match_replaces_the_draft_it_names(author_api: ApiClient) -> None:
    etag = author_api.put(PATH, json.dumps(make_doc()))["ETag"]
    changed = author_api.put(PATH, json.dumps(make_doc(name="v2")), headers={"If-Match": etag})
    assert changed.status_code == 204
    assert changed["ETag"] != etag


def test_a_stale_if_match_is_412_and_writes_nothing(author_api: ApiClient) -> None:
    etag = author_api.put(PATH, json.dumps(make_doc()))["ETag"]
    author_api.put(PATH, json.dumps(make_doc(name="someone else's edit")))
    response = author_api.put(PATH, json.dumps(make_doc(name="mine")), headers={"If-Match": etag})
    assert response.status_code == 412
    assert response.json()["error"] == "stale_write"
    assert author_api.get(PATH).json()["name"] == "someone else's edit"


def test_if_match_on_a_missing_version_is_412(author_api: ApiClient) -> None:
    response = author_api.put(PATH, json.dumps(make_doc()), headers={"If-Match": '"' + "0" * 64 + '-draft"'})
    assert response.status_code == 412
    assert author_api.get(PATH).status_code == 404


def test_if_none_match_star_only_creates(author_api: ApiClient) -> None:
    assert author_api.put(PATH, json.dumps(make_doc()), headers={"If-None-Match": "*"}).status_code == 204
    again = author_api.put(PATH, json.dumps(make_doc(name="x")), headers={"If-None-Match": "*"})
    assert again.status_code == 412
    assert author_api.get(PATH).json()["name"] == "Orders"
