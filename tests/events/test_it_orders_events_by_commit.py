"""Two writers commit out of id order (PostgreSQL): the feed's cursor never skips the row that committed
late, because consumers see the order given after commit (``seq``), not the ids."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction

from dc43_portal.contracts import services
from dc43_portal.events import feed
from dc43_portal.events.models import OutboxEvent
from tests.conftest import make_doc

pytestmark = [pytest.mark.database, pytest.mark.django_db(transaction=True)]


def test_a_late_commit_is_not_skipped(author: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers, so rows cannot commit out of id order there")
    inside, release = threading.Event(), threading.Event()

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                services.contract_publish(document=make_doc("sales.first"), actor=author.username)
                inside.set()
                release.wait(20)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert inside.wait(20)
    services.contract_publish(document=make_doc("sales.second"), actor=author.username)  # commits first
    seen, cursor = feed.events_after(0, 100)
    assert [e["subject"] for e in seen] == ["sales.second/1.0.0"]
    release.set()
    thread.join(20)
    rest, _ = feed.events_after(cursor, 100)
    assert [e["subject"] for e in rest] == ["sales.first/1.0.0"]
    ids = dict(OutboxEvent.objects.values_list("contract_id", "id"))
    assert ids["sales.first"] < ids["sales.second"]  # the id order, which a cursor over ids would have skipped
