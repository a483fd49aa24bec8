"""A lifecycle POST to a malformed id or version is a 400 page before any query (PostgreSQL refuses a NUL).

Found by the QA sweep: ``POST /contracts/a%00/versions/1.0.0/transition`` answered 500 on PostgreSQL,
since the refusal looked the version up with the raw id before showing the error.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dc43_portal.contracts.models import ContractVersion, LifecycleEvent

pytestmark = pytest.mark.database
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "lifecycle"}


@pytest.mark.parametrize(
    ("contract_id", "version", "message"),
    [
        ("a%00", "1.0.0", "control characters"),
        ("sales.orders", "1.0.0%00", "is not a SemVer 2.0 version"),
        ("e%CC%81", "1.0.0", "NFC"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_it_answers_400_and_writes_nothing(
    client: Client, proposed: Any, steward: Any, contract_id: str, version: str, message: str, htmx: bool
) -> None:
    client.force_login(steward)
    events = LifecycleEvent.objects.count()
    url = f"/contracts/{contract_id}/versions/{version}/transition"
    response = client.post(url, {"action": "approve", "comment": "x"}, **(HTMX if htmx else {}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ContractVersion.objects.get().status == "proposed"
    assert LifecycleEvent.objects.count() == events
