"""The review queue links each version to what changed since the last Validated one and shows its compatibility
verdict, at a constant query cost."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_doc
from tests.fixtures.cast import imported, submit

pytestmark = pytest.mark.database

QUEUE = reverse("contracts:queue")


def queued(author: Any, version: str, contract_id: str = "sales.orders") -> None:
    submit(author, make_doc(contract_id, version))


def compare_link(contract_id: str, old: str, new: str) -> str:
    href = f"{reverse('contracts:compare', args=[contract_id])}?{urlencode({'from': old, 'to': new})}"
    return f'href="{href.replace("&", "&amp;")}"'


def test_it_links_each_version_to_what_changed_since_the_last_validated(
    client: Client, author: Any, steward: Any
) -> None:
    for version in ("1.0.0", "1.2.0", "2.0.0"):
        imported(version)
    for version in ("1.3.0", "1.1.0", "3.0.0"):
        queued(author, version)
    queued(author, "1.0.0", contract_id="sales.new")
    client.force_login(steward)
    response = client.get(QUEUE)
    baselines = {(row.contract.contract_id, row.version): row.baseline for row, _, _ in response.context["rows"]}
    # Its own major line first (a backport is compared with 1.0.0, not 1.2.0), else the latest Validated.
    assert baselines == {
        ("sales.orders", "1.3.0"): "1.2.0",
        ("sales.orders", "1.1.0"): "1.0.0",
        ("sales.orders", "3.0.0"): "2.0.0",
        ("sales.new", "1.0.0"): None,
    }
    body = response.content.decode()
    assert compare_link("sales.orders", "1.2.0", "1.3.0") in body
    assert compare_link("sales.orders", "2.0.0", "3.0.0") in body
    assert "what changed since Validated 1.0.0" in body
    assert "no Validated version yet" in body


def queue_queries(client: Client, author: Any, contracts: int) -> int:
    for n in range(contracts):
        contract_id = f"sales.c{contracts}-{n}"
        imported("1.0.0", contract_id)
        queued(author, "1.1.0", contract_id)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("what changed since Validated 1.0.0") == len(response.context["rows"])
    # Each row's verdict is computed (or read from the cache) within the same constant number of queries.
    assert body.count("Compatible with Validated 1.0.0") == len(response.context["rows"])
    return len(queries)


def test_it_costs_the_same_queries_at_two_sizes(client: Client, author: Any, steward: Any) -> None:
    client.force_login(steward)
    small = queue_queries(client, author, 2)
    assert queue_queries(client, author, 5) == small  # 2 + 5 queued versions now
