"""API answers that are not HTML (JSON, YAML, a 304) carry one fixed, strictest policy instead of the pages' one,
which django-csp rebuilt on every response (a quarter of a cached read); pages keep the full policy."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from dc43_portal.csp import API_POLICY
from tests.api.conftest import ApiClient
from tests.conftest import make_doc

pytestmark = pytest.mark.database
PATH = "/contracts/sales.orders/versions/1.0.0"


def test_api_answers_carry_the_fixed_policy(author_api: ApiClient) -> None:
    author_api.put(PATH, json.dumps(make_doc()))
    ok = author_api.get(PATH)
    revalidated = author_api.get(PATH, headers={"If-None-Match": ok["ETag"]})
    missing = author_api.get("/contracts/sales.nothing/latest")
    assert (ok.status_code, revalidated.status_code, missing.status_code) == (200, 304, 404)
    for response in (ok, revalidated, missing):
        assert response["Content-Security-Policy"] == API_POLICY
    assert "default-src 'none'" in API_POLICY


def test_pages_keep_the_full_policy(db: None) -> None:
    policy = Client().get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and policy != API_POLICY
