"""Every admin page renders, with its filters, search, date hierarchy and links, for a superuser."""

from __future__ import annotations

from typing import Any

import pytest

from dc43_portal.api.models import ApiToken
from dc43_portal.api.tokens import token_create
from dc43_portal.contracts.models import Contract, LifecycleEvent
from tests.admin.conftest import CONTRACTS, EVENTS, VERSIONS
from tests.fixtures.cast import login, publish

pytestmark = pytest.mark.database


@pytest.fixture
def catalogue(validated: Any, author: Any) -> None:
    publish(author, "1.1.0")
    publish(author, "2.0.0", contract_id="crm.accounts", domain="crm", tags=["accounts", "gold"])


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        CONTRACTS,
        CONTRACTS + "?status=active",
        CONTRACTS + "?domain=crm&owner=olivia",
        CONTRACTS + "?q=gold",
        VERSIONS,
        VERSIONS + "?status__exact=draft&contract__domain=sales",
        VERSIONS + "?q=accounts",
        EVENTS,
        EVENTS + "?action__exact=approve",
        "/admin/api/apitoken/",
        "/admin/api/apitoken/add/",
    ],
)
def test_it_renders_the_lists(url: str, superuser: Any, catalogue: None) -> None:
    assert login(superuser).get(url).status_code == 200


def test_it_filters_contracts_by_the_status_of_a_version(superuser: Any, catalogue: None) -> None:
    body = login(superuser).get(CONTRACTS + "?status=active").content.decode()
    assert "sales.orders" in body and "crm.accounts" not in body


def test_it_searches_tags(superuser: Any, catalogue: None) -> None:
    body = login(superuser).get(VERSIONS + "?q=gold").content.decode()
    assert "crm.accounts" in body and ">sales.orders<" not in body


def test_it_drills_down_by_date(superuser: Any, catalogue: None) -> None:
    event = LifecycleEvent.objects.first()
    assert event is not None
    year = event.created_at.year
    assert "sales.orders" in login(superuser).get(f"{EVENTS}?created_at__year={year}").content.decode()


def test_it_links_a_contract_to_its_versions_and_public_pages(superuser: Any, catalogue: None) -> None:
    contract = Contract.objects.get(contract_id="sales.orders")
    client = login(superuser)
    body = client.get(f"{CONTRACTS}{contract.pk}/change/").content.decode()
    versions = f"{VERSIONS}?contract__id__exact={contract.pk}"
    assert versions in body
    assert 'href="/contracts/sales.orders/"' in body
    assert 'href="/contracts/sales.orders/versions/1.1.0/"' in body
    listed = client.get(versions).content.decode()
    assert "1.1.0" in listed and "2.0.0" not in listed


def test_it_renders_the_change_pages(superuser: Any, catalogue: None, validated: Any) -> None:
    client = login(superuser)
    event = LifecycleEvent.objects.filter(action="approve").get()
    token = token_create(user=superuser, name="ci", scopes="read")[0]
    for url in [
        f"{VERSIONS}{validated.pk}/change/",
        f"{EVENTS}{event.pk}/change/",
        f"/admin/api/apitoken/{token.pk}/change/",
        f"{CONTRACTS}{validated.contract_id}/history/",
    ]:
        assert client.get(url).status_code == 200, url
    assert ApiToken.objects.count() == 1


@pytest.mark.parametrize("url", [CONTRACTS, VERSIONS, EVENTS])
def test_it_lists_with_a_constant_number_of_queries(url: str, superuser: Any, author: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(superuser)
    counts = []
    for size in (2, 8):
        for n in range(size):
            publish(author, f"1.{n}.0", contract_id=f"c{size}.x{n}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
