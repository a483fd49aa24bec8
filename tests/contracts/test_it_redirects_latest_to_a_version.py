"""``/versions/latest/`` redirects to the version the API's latest route serves (a link from a job's config)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.fixtures.cast import publish, transition

LATEST = "/contracts/sales.orders/versions/latest/"


def test_it_redirects_to_the_highest_version_of_any_status(client: Client, author: Any, viewer: Any) -> None:
    publish(author, "1.0.0")
    publish(author, "1.10.0")
    publish(author, "1.9.0")
    client.force_login(viewer)
    response = client.get(LATEST)
    assert response.status_code == 302
    assert response["Location"] == "/contracts/sales.orders/versions/1.10.0/"


def test_it_follows_the_latest_status_setting(
    client: Client, settings: Any, author: Any, steward: Any, viewer: Any
) -> None:
    settings.DC43_API_LATEST_STATUS = "Validated"
    publish(author, "1.0.0")
    transition(author, "proposed", "1.0.0")
    transition(steward, "active", "1.0.0")
    publish(author, "2.0.0")
    client.force_login(viewer)
    assert client.get(LATEST)["Location"] == "/contracts/sales.orders/versions/1.0.0/"


def test_it_answers_404_without_such_a_version(client: Client, settings: Any, author: Any, viewer: Any) -> None:
    client.force_login(viewer)
    assert client.get("/contracts/nope/versions/latest/").status_code == 404
    settings.DC43_API_LATEST_STATUS = "active"
    publish(author, "1.0.0")
    response = client.get(LATEST)
    assert response.status_code == 404 and "has no Validated version" in response.content.decode()
