"""HEAD is allowed wherever GET is (link checkers and monitors use it); the read pages answered 405.

Found by the QA sweep: ``curl -I /contracts/sales.orders/`` got 405 Method Not Allowed.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.database
PAGES = [
    "/",
    "/queue/",
    "/queue/badge",
    "/activity/",
    "/contracts/sales.orders/",
    "/contracts/sales.orders/compare",
    "/contracts/sales.orders/versions/1.0.0/",
    "/contracts/sales.orders/versions/1.0.0/download.json",
]


@pytest.mark.parametrize("url", PAGES)
def test_head_answers_like_get(client: Client, draft: Any, viewer: Any, url: str) -> None:
    client.force_login(viewer)
    head, get = client.head(url), client.get(url)
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]


def test_other_methods_are_still_refused(client: Client, draft: Any, viewer: Any) -> None:
    client.force_login(viewer)
    response = client.delete("/contracts/sales.orders/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
