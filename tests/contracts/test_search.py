"""Ranked full-text search of the contract list (PostgreSQL tsvector + GIN, SQLite FTS5), through the real
services, so the search document is the one publish writes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from dc43_portal.contracts import selectors
from dc43_portal.contracts.models import Contract
from tests.fixtures.cast import publish

LIST = reverse("contracts:list")
pytestmark = pytest.mark.database


def _found(query: str, **filters: str) -> list[str]:
    return [c.contract_id for c in selectors.contract_search(query=query, **filters)]


def test_a_name_match_ranks_above_a_description_match(author: Any) -> None:
    publish(author, contract_id="a.notes", name="Notes", description={"purpose": "shipments leave the warehouse"})
    publish(author, contract_id="z.shipments", name="Shipments")
    assert _found("shipments") == ["z.shipments", "a.notes"]
    # An explicit sort wins over relevance.
    assert _found("shipments", sort="id") == ["a.notes", "z.shipments"]


def test_it_finds_property_names_tags_owners_and_prefixes(author: Any) -> None:
    publish(
        author,
        contract_id="hr.people",
        name="People",
        tags=["PII"],
        schema=[{"name": "employees", "properties": [{"name": "date_of_birth", "logicalType": "date"}]}],
        team={"name": "hr-data", "members": [{"username": "hannah", "role": "owner"}, {"username": "ivan"}]},
    )
    publish(author, contract_id="sales.orders")
    assert _found("date_of_birth") == ["hr.people"]
    assert _found("birth") == ["hr.people"]
    assert _found("pii") == ["hr.people"]
    assert _found("hannah") == ["hr.people"]
    assert _found("ivan") == ["hr.people"]
    assert _found("emp") == ["hr.people"]  # a prefix of a property name
    assert _found("olivia") == ["sales.orders"]  # the owner of make_doc's team
    assert _found("orders amount") == ["sales.orders"]  # every word must match
    assert _found("orders employees") == []


def test_a_republished_draft_updates_the_index(author: Any) -> None:
    publish(author, schema=[{"name": "orders", "properties": [{"name": "old_column"}]}])
    assert _found("old_column") == ["sales.orders"]
    publish(author, schema=[{"name": "orders", "properties": [{"name": "new_column"}]}])  # same 1.0.0 Draft
    assert _found("old_column") == []
    assert _found("new_column") == ["sales.orders"]


def test_it_ignores_query_syntax(author: Any, client: Client, viewer: Any) -> None:
    """Quotes, operators and colons are not FTS5 or tsquery syntax: they separate words, never a 500."""
    publish(author)
    client.force_login(viewer)
    for query in ['"orders', "orders:*", "orders & !x | (", "NEAR(orders)", "-", "order's", "ord*"]:
        response = client.get(LIST, {"q": query})
        assert response.status_code == 200, query
    assert _found("ORDERS!!") == ["sales.orders"]


def test_the_index_uses_the_database_engine(author: Any) -> None:
    """The search reads the vendor's index, not a LIKE over a column: the mirror column alone finds nothing."""
    publish(author)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'contracts_contract_search_gin'")
            assert "gin (search_vector)" in cursor.fetchone()[0]
        else:
            cursor.execute("SELECT count(*) FROM contracts_contract_fts WHERE contracts_contract_fts MATCH 'orders'")
            assert cursor.fetchone()[0] == 1
    Contract.objects.update(search_text="")
    assert _found("amount") == []
    Contract.objects.all().delete()
    assert _found("orders") == []
