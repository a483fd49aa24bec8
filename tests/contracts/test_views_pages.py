"""The read pages: review queue and its badge, activity, the version page's sections, downloads, history."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dc43_portal.contracts.handler import contract_stores
from tests.fixtures.cast import publish, transition

VERSION = reverse("contracts:version", args=["sales.orders", "1.0.0"])


def test_it_lists_the_review_queue_oldest_first(client: Client, author: Any, steward: Any) -> None:
    for version in ("1.1.0", "1.0.0"):
        publish(author, version)
        transition(author, "proposed", version)
    client.force_login(steward)
    response = client.get(reverse("contracts:queue"))
    assert [row.version for row, _, _ in response.context["rows"]] == ["1.1.0", "1.0.0"]
    assert all(can for _, _, can in response.context["rows"])
    assert 'title="2 versions in review">2</span>' in response.content.decode()
    client.force_login(author)
    body = client.get(reverse("contracts:queue")).content.decode()
    assert "stewards review" in body and "btn-approve" not in body


def test_it_shows_an_empty_queue(client: Client, steward: Any) -> None:
    client.force_login(steward)
    body = client.get(reverse("contracts:queue")).content.decode()
    assert "Nothing waits for review" in body and 'class="count"' not in body


def test_it_refreshes_the_badge(client: Client, proposed: Any, steward: Any) -> None:
    client.force_login(steward)
    body = client.get(reverse("contracts:queue_badge"), HTTP_HX_REQUEST="true").content.decode()
    assert body.startswith('<a id="queue-link"') and ">1</span>" in body and "<html" not in body


def test_it_filters_the_activity(client: Client, validated: Any, steward: Any) -> None:
    publish(steward, contract_id="hr.people")
    client.force_login(steward)
    url = reverse("contracts:activity")

    def actions(**params: str) -> list[tuple[str, str]]:
        return [(e.actor, e.action) for e in client.get(url, params).context["page"]]

    assert actions(actor="sam") == [("sam", "publish"), ("sam", "approve")]
    assert actions(contract="sales.orders", action="submit") == [("alice", "submit")]
    assert actions(action="nonsense") == actions()
    fragment = client.get(url, {"actor": "alice"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert fragment.content.decode().strip().startswith('<section id="results"')


def test_it_renders_the_contract_for_humans(client: Client, author: Any, viewer: Any) -> None:
    publish(
        author,
        slaProperties=[{"property": "latency", "value": 4, "unit": "h"}],
        servers=[
            {"server": "prod", "type": "postgres", "host": "db", "port": 5432, "database": "sales", "schema": "public"}
        ],
        support=[{"channel": "#help", "url": "javascript:alert(1)"}, {"channel": "docs", "url": "https://x.example"}],
        customProperties=[{"property": "costCenter", "value": {"code": 42}}],
        roles=[{"role": "analyst", "access": "read"}],
    )
    client.force_login(viewer)
    body = client.get(VERSION).content.decode()
    for text in (
        "order_id",
        "primary key",
        "latency",
        "prod",
        "olivia",
        "analyst",
        "costCenter",
        "{&quot;code&quot;: 42}",
    ):
        assert text in body, text
    assert 'href="javascript:' not in body and 'href="https://x.example"' in body
    assert 'id="tab-yaml"' in body and "apiVersion: v3.1.0" in body


def test_it_downloads_yaml_and_json(client: Client, draft: Any, viewer: Any) -> None:
    client.force_login(viewer)
    response = client.get(reverse("contracts:download", args=["sales.orders", "1.0.0", "yaml"]))
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert 'filename="sales.orders-1.0.0.yaml"' in response["Content-Disposition"]
    response = client.get(reverse("contracts:download", args=["sales.orders", "1.0.0", "json"]))
    assert response.json()["id"] == "sales.orders"
    assert client.get(reverse("contracts:download", args=["sales.orders", "1.0.0", "xml"])).status_code == 404


def test_it_handles_build_metadata_in_urls(client: Client, author: Any, viewer: Any) -> None:
    publish(author, "1.0.0+build.7")
    client.force_login(viewer)
    url = reverse("contracts:version", args=["sales.orders", "1.0.0+build.7"])
    assert client.get(url).status_code == 200


@pytest.fixture
def memory_store(settings: Any) -> None:
    settings.CONTRACT_STORES = {"default": {"BACKEND": "dc43_portal.stores.memory.MemoryContractStore"}}
    contract_stores.reset()


def test_it_shows_the_store_history_when_the_store_keeps_one(
    client: Client, memory_store: None, author: Any, viewer: Any
) -> None:
    publish(author)
    transition(author, "proposed")
    client.force_login(viewer)
    body = client.get(VERSION).content.decode()
    assert "Store history" in body
    # The store's own entries, not the audit timeline's: the put, then the status change.
    history = body.split('id="store-history"', 1)[1]
    assert history.count("<strong>alice</strong>") >= 2 and "status proposed" in history


def test_it_hides_the_store_history_otherwise(client: Client, draft: Any, viewer: Any) -> None:
    client.force_login(viewer)
    assert "Store history" not in client.get(VERSION).content.decode()


def test_it_links_compare_only_when_the_compare_page_exists(client: Client, author: Any, viewer: Any) -> None:
    from django.urls import NoReverseMatch
    from django.urls import reverse as django_reverse

    publish(author, "1.0.0")
    publish(author, "1.1.0")
    client.force_login(viewer)
    body = client.get(reverse("contracts:detail", args=["sales.orders"])).content.decode()
    try:
        expected = django_reverse("contracts:compare", args=["sales.orders"]) + "?from=1.0.0&amp;to=1.1.0"
    except NoReverseMatch:
        assert "compare with" not in body
    else:
        assert expected in body
