"""The contract list: search, filters, sorting, the htmx fragment, and a constant number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dc43_portal import statuses
from dc43_portal.contracts.models import Contract, ContractVersion
from tests.fixtures.cast import publish, transition

LIST = reverse("contracts:list")


def test_it_sends_anonymous_visitors_to_log_in(anonymous: Client, settings: Any) -> None:
    response = anonymous.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    settings.DC43_UI_ANONYMOUS_READ = True
    assert anonymous.get(LIST).status_code == 200


def test_it_searches_ids_names_properties_and_tags(client: Client, author: Any, viewer: Any) -> None:
    publish(author, contract_id="sales.orders")
    publish(author, contract_id="hr.people", name="People", tags=["pii"], schema=[{"name": "employees"}])
    client.force_login(viewer)
    for query, expected in [("order_id", "sales.orders"), ("PII", "hr.people"), ("employees", "hr.people")]:
        body = client.get(LIST, {"q": query}).content.decode()
        assert expected in body
        assert ({"sales.orders", "hr.people"} - {expected}).pop() not in body
    body = client.get(LIST, {"q": "nothing-like-this"}).content.decode()
    assert "No contract matches" in body


def test_it_filters_by_status_without_inflating_counts(client: Client, author: Any, viewer: Any) -> None:
    publish(author, "1.0.0")
    publish(author, "1.1.0")
    transition(author, "proposed")
    publish(author, contract_id="hr.people")
    client.force_login(viewer)
    page = client.get(LIST, {"status": "In review"}).context["page"]
    assert [(c.contract_id, c.version_count, c.review_count) for c in page] == [("sales.orders", 2, 1)]
    assert client.get(LIST, {"status": "bogus"}).context["page"].paginator.count == 2


def test_it_filters_by_domain_owner_and_tag_and_sorts(client: Client, author: Any, viewer: Any) -> None:
    publish(author, contract_id="a.one", domain="finance", tags=["gold"])
    publish(author, contract_id="b.two", domain="sales", name="Aardvark")
    client.force_login(viewer)

    def ids(**params: str) -> list[str]:
        return [c.contract_id for c in client.get(LIST, params).context["page"]]

    assert ids(domain="finance") == ["a.one"]
    assert ids(tag="GOLD") == ["a.one"]
    assert ids(owner="olivia") == ["a.one", "b.two"]
    assert ids(sort="name") == ["b.two", "a.one"]
    assert ids(sort="nonsense") == ["a.one", "b.two"]


def test_it_answers_htmx_with_the_results_only(client: Client, author: Any, viewer: Any) -> None:
    publish(author)
    client.force_login(viewer)
    full = client.get(LIST, {"q": "orders"})
    fragment = client.get(LIST, {"q": "orders"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert "<html" in full.content.decode() and 'role="search"' in full.content.decode()
    body = fragment.content.decode()
    assert "<html" not in body and 'role="search"' not in body
    assert body.strip().startswith('<section id="results"') and "sales.orders" in body
    assert "HX-Request" in fragment["Vary"]


def test_it_escapes_user_text(client: Client, author: Any, viewer: Any) -> None:
    publish(author, name="<script>alert(1)</script>", description={"purpose": "<script>alert(2)</script>"})
    Contract.objects.update(steward_note="<script>alert(3)</script>", labels=["<script>alert(4)</script>"])
    client.force_login(viewer)
    for url in (LIST, reverse("contracts:detail", args=["sales.orders"])):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body
        assert "&lt;script&gt;alert(" in body
    body = client.get(reverse("contracts:version", args=["sales.orders", "1.0.0"])).content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;alert(2)&lt;/script&gt;" in body


def _mirror(count: int) -> None:
    """``count`` contracts with two versions each, written straight to the mirror (the list reads nothing else)."""
    contracts = Contract.objects.bulk_create(
        Contract(
            contract_id=f"c{i:03}",
            name=f"C {i}",
            domain=f"d{i % 3}",
            owner="o",
            latest_version="1.1.0",
            search_text=f"c{i:03}",
        )
        for i in range(count)
    )
    ContractVersion.objects.bulk_create(
        ContractVersion(
            contract=c, version=v, major=1, minor=minor, patch=0, is_release=True, status=status, fingerprint="f"
        )
        for c in contracts
        for v, minor, status in (("1.0.0", 0, statuses.ACTIVE), ("1.1.0", 1, statuses.PROPOSED))
    )


@pytest.mark.database
@pytest.mark.parametrize("params", [{}, {"q": "c", "status": "active", "sort": "updated"}])
def test_it_runs_the_same_number_of_queries_at_5_and_50_contracts(
    client: Client, viewer: Any, params: dict[str, str]
) -> None:
    client.force_login(viewer)
    client.get(LIST)  # session and permission caches warm up outside the count
    counts = []
    for size in (5, 50):
        Contract.objects.all().delete()
        _mirror(size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, params)
        assert response.status_code == 200
        assert len(response.context["page"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
