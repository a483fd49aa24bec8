"""API reads skip the page middleware (api/fastpath.py) yet keep the security headers, the guards and JSON errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.conftest import ApiClient
from tests.conftest import make_doc

pytestmark = pytest.mark.database
PATH = "/contracts/sales.orders/versions/1.0.0"


def test_a_read_keeps_the_security_headers_and_sets_no_cookie(author_api: ApiClient) -> None:
    author_api.put(PATH, json.dumps(make_doc()))
    got = author_api.get(PATH)
    assert got.status_code == 200
    assert (got["X-Content-Type-Options"], got["X-Frame-Options"]) == ("nosniff", "DENY")
    assert int(got["Content-Length"]) == len(got.content)
    assert not got.cookies  # no session, no CSRF cookie


def test_a_read_still_needs_a_token(author_api: ApiClient) -> None:
    author_api.put(PATH, json.dumps(make_doc()))
    refused = ApiClient().get(PATH)
    assert (refused.status_code, refused.json()["error"]) == (401, "not_authenticated")


def test_a_nul_in_a_query_parameter_is_still_a_json_400(author_api: ApiClient) -> None:
    refused = author_api.get("/contracts/sales.orders/versions", status="a\x00b")
    assert (refused.status_code, refused.json()["error"]) == (400, "bad_request")


def test_an_unknown_api_route_takes_the_full_road_to_a_json_404(author_api: ApiClient) -> None:
    missing = author_api.get("/no/such/route")
    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")


def test_the_remembered_routes_follow_a_changed_urlconf(settings: Any) -> None:
    from dc43_portal.api import fastpath

    assert fastpath._resolved("/api/v1/contracts") is not None
    assert fastpath._resolved.cache_info().currsize > 0
    settings.ROOT_URLCONF = "dc43_portal.urls"  # setting_changed: the remembered routes are dropped
    assert fastpath._resolved.cache_info().currsize == 0
