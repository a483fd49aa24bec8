"""Two stewards press Approve at the same moment: exactly one wins, the other hears who did.

Real threads, each on its own database connection, against PostgreSQL's row lock. On SQLite the whole
database is one lock and the test database lives in memory, so the race would not be meaningful there.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from dc43_portal.contracts.services import contract_transition
from dc43_portal.errors import ContractConflict

pytestmark = pytest.mark.database


@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_one_steward_approve(proposed: Any, steward: Any, steward2: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks; SQLite's in-memory test database serialises everything")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def approve(user: Any) -> None:
        try:
            barrier.wait(timeout=10)
            contract_transition(contract_id="sales.orders", version="1.0.0", to_status="active", user=user)
            outcomes[user.username] = "won"
        except ContractConflict as exc:
            outcomes[user.username] = str(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(user,)) for user in (steward, steward2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    winner = [name for name, outcome in outcomes.items() if outcome == "won"]
    assert len(winner) == 1, outcomes
    loser = ({"sam", "sue"} - set(winner)).pop()
    assert outcomes[loser] == f"This version is already approved by {winner[0]}."
    assert LifecycleEvent.objects.filter(action="approve").count() == 1
    assert ContractVersion.objects.get().status_changed_by == winner[0]
    assert default_store().get_document("sales.orders", "1.0.0")["status"] == "active"
