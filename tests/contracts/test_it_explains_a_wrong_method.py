"""A page asked with a method it does not take answers 405 with the portal's page saying which it takes.

Found by the QA sweep: Django's 405 (``require_POST``, ``require_safe``) had an empty body, a blank page.
Under /api the answer stays JSON.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.database


@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [
        # The transition URL answers GET with a redirect to its panel (test_it_survives_an_ended_session).
        ("put", "/contracts/sales.orders/versions/1.0.0/transition", "GET, HEAD, POST"),
        ("delete", "/contracts/sales.orders/", "GET, HEAD"),
        ("put", "/", "GET, HEAD"),
    ],
)
def test_pages_explain_the_allowed_methods(
    client: Client, draft: Any, steward: Any, method: str, url: str, allowed: str
) -> None:
    client.force_login(steward)
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert response["Allow"] == allowed
    body = response.content.decode()
    assert f"This address does not accept {method.upper()}; use {allowed}." in body
    assert "Method not allowed" in body


def test_the_api_stays_json(client: Client) -> None:
    response = client.delete("/api/v1/contracts")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
