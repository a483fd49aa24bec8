"""A NUL in any query parameter is a clear 400 (HTML for pages, JSON under /api) before a filter queries.

Found by the QA sweep: ``/admin/contracts/lifecycleevent/?action__exact=%00`` and Django's own
``/admin/auth/user/?username__exact=%00`` answered 500 on PostgreSQL, which refuses a NUL in a query.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dc43_portal.api.tokens import token_create

pytestmark = pytest.mark.database


@pytest.mark.parametrize(
    "url",
    [
        "/admin/contracts/lifecycleevent/?action__exact=%00",
        "/admin/auth/user/?username__exact=%00",
        "/admin/contracts/contract/?q=a%00b",
        "/?q=%00",
        "/activity/?actor=%00",
        "/admin/contracts/contractversion/?x%00=1",
    ],
)
def test_pages_answer_400_with_a_message(django_user_model: Any, url: str) -> None:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    response = client.get(url)
    assert response.status_code == 400
    assert "a query parameter holds a NUL character" in response.content.decode()


def test_the_api_answers_json(steward: Any) -> None:
    token = token_create(user=steward, name="t", scopes="read")[1]
    response = Client().get("/api/v1/contracts?limit=%00", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400
    assert response.json() == {"detail": "a query parameter holds a NUL character (%00)", "error": "bad_request"}


def test_ordinary_parameters_pass(django_user_model: Any) -> None:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    assert client.get("/admin/contracts/contractversion/?status__exact=draft").status_code == 200
    assert client.get("/?q=orders").status_code == 200
