"""The bulk preview forecasts with the services' guards too, and prints ids as they are."""

from __future__ import annotations

from typing import Any

import pytest

from dc43_portal.contracts.models import ContractVersion
from tests.admin.conftest import action
from tests.conftest import make_doc
from tests.fixtures.cast import login, submit, transition

pytestmark = pytest.mark.database


def test_it_forecasts_the_downgrade_guard(staff_steward2: Any, author: Any, steward: Any) -> None:
    for version in ("1.1.0", "1.0.0"):
        submit(author, make_doc("sales.orders", version))
    transition(steward, "active", "1.1.0")
    older = ContractVersion.objects.get(version="1.0.0")
    body = action(login(staff_steward2), "approve", [older]).content.decode()
    assert "will be refused:" in body and "downgrade refused" in body
    response = action(login(staff_steward2), "approve", [older], post="yes")
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith("Refused: sales.orders 1.0.0.") and "downgrade refused" in message


def test_it_prints_ids_as_they_are(staff_steward2: Any, proposed: ContractVersion) -> None:
    body = action(login(staff_steward2), "approve", [ContractVersion.objects.get()]).content.decode()
    assert "Sales.orders" not in body and "<td>sales.orders</td>" in body
    done = action(login(staff_steward2), "approve", [ContractVersion.objects.get()], post="yes").content.decode()
    assert "Approved: sales.orders 1.0.0." in done and "Sales.orders" not in done
