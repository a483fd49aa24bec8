"""Deleting a Draft while someone else deletes or submits it: the contract's row lock lets one of them win.

Real threads, each on its own database connection, against PostgreSQL's row lock; skipped on SQLite, whose
in-memory test database serialises everything.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from dc43_portal.contracts.services import contract_delete, contract_publish, contract_transition
from dc43_portal.errors import PortalError
from tests.conftest import make_doc

pytestmark = [pytest.mark.database, pytest.mark.django_db(transaction=True)]


def race(*jobs: Callable[[], Any]) -> list[str]:
    """Run ``jobs`` at once; each outcome is "ok" or the error message."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [""] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            job()
            outcomes[index] = "ok"
        except PortalError as exc:
            outcomes[index] = str(exc)
        except Exception as exc:  # noqa: BLE001 - anything else is a bug the assertion shows
            outcomes[index] = f"{type(exc).__name__}: {exc}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture
def root(django_user_model: Any) -> Any:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    return django_user_model.objects.create_superuser("root", "root@example.com", "root-pw")


def test_two_deletes_of_one_draft(root: Any, author: Any) -> None:
    contract_publish(document=make_doc(), actor=author.username)

    def delete() -> Any:
        return contract_delete(contract_id="sales.orders", version="1.0.0", user=root)

    outcomes = race(delete, delete)
    assert sorted(outcomes) == ["contract sales.orders 1.0.0 not found", "ok"]
    assert LifecycleEvent.objects.filter(action="delete").count() == 1
    assert not default_store().exists("sales.orders", "1.0.0")


def test_a_delete_and_a_submit(root: Any, author: Any) -> None:
    contract_publish(document=make_doc(), actor=author.username)
    outcomes = race(
        lambda: contract_delete(contract_id="sales.orders", version="1.0.0", user=root),
        lambda: contract_transition(contract_id="sales.orders", version="1.0.0", to_status="proposed", user=author),
    )
    assert outcomes.count("ok") == 1, outcomes
    assert not any("DoesNotExist" in outcome for outcome in outcomes), outcomes
    row = ContractVersion.objects.first()
    if outcomes[0] == "ok":  # deleted first: nothing is left to submit
        assert row is None and not default_store().exists("sales.orders", "1.0.0")
    else:  # submitted first: it is no longer a Draft
        assert "only Drafts can be deleted" in outcomes[0]
        assert row is not None and row.status == "proposed"
        assert default_store().get_document("sales.orders", "1.0.0")["status"] == "proposed"
