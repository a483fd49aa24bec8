"""A transition's comment is a reason for the audit: bounded and printable, or a 400 that writes nothing.

Found by the QA sweep: the version page accepted a 3 MB rejection reason into the audit, and a NUL in a
comment passed every check (PostgreSQL refuses it in text).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dc43_portal.api.tokens import token_create
from dc43_portal.contracts import lifecycle
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent

pytestmark = pytest.mark.database

URL = reverse("contracts:transition", args=["sales.orders", "1.0.0"])
API = "/api/v1/contracts/sales.orders/versions/1.0.0/transitions"


def test_it_checks_length_and_control_characters() -> None:
    assert lifecycle.comment_problem("Fine.\nSecond line\twith a tab.") is None
    assert "at most 2,000" in (lifecycle.comment_problem("x" * 2001) or "")
    assert "control characters" in (lifecycle.comment_problem("a\x00b") or "")


def test_it_refuses_a_huge_reason_on_the_page(client: Client, proposed: Any, steward: Any) -> None:
    client.force_login(steward)
    events = LifecycleEvent.objects.count()
    response = client.post(URL, {"action": "reject", "comment": "x" * 3_000_000, "status": "proposed"})
    assert response.status_code == 400
    assert "A comment is at most 2,000 characters" in response.content.decode()
    assert ContractVersion.objects.get().status == "proposed"
    assert default_store().get_document("sales.orders", "1.0.0")["status"] == "proposed"
    assert LifecycleEvent.objects.count() == events


def test_it_refuses_a_nul_in_the_api(validated: Any, steward: Any) -> None:
    token = token_create(user=steward, name="t", scopes="read,steward")[1]
    events = LifecycleEvent.objects.count()
    response = Client().post(
        API,
        {"to": "deprecated", "comment": "old\x00"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_contract"
    assert ContractVersion.objects.get().status == "active"
    assert LifecycleEvent.objects.count() == events
