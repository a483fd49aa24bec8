"""Deprecation names a newer Validated successor and an optional sunset date; the page shows both."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from dc43_portal.errors import InvalidContract
from tests.fixtures.cast import publish, transition

PAGE = reverse("contracts:version", args=["sales.orders", "1.0.0"])
MOVE = reverse("contracts:transition", args=["sales.orders", "1.0.0"])
LATER = (dt.date.today() + dt.timedelta(days=90)).isoformat()


def validate(author: Any, steward: Any, version: str) -> None:
    publish(author, version)
    transition(author, "proposed", version)
    transition(steward, "active", version)


@pytest.fixture
def versions(author: Any, steward: Any) -> None:
    """0.9.0 and 1.0.0 and 1.2.0 Validated, 1.1.0 In review, 1.3.0 a Draft."""
    for version in ("0.9.0", "1.0.0", "1.2.0"):
        validate(author, steward, version)
    publish(author, "1.1.0")
    transition(author, "proposed", "1.1.0")
    publish(author, "1.3.0")


def test_it_offers_only_newer_validated_versions(client: Client, versions: None, steward: Any) -> None:
    client.force_login(steward)
    body = client.get(PAGE).content.decode()
    options = body.split('id="lifecycle-replaced-by"')[1].split("</select>")[0]
    assert 'value="1.2.0"' in options
    for version in ("0.9.0", "1.1.0", "1.3.0"):
        assert f'value="{version}"' not in options
    assert 'type="date" id="lifecycle-sunset"' in body


@pytest.mark.parametrize("replacement", ["0.9.0", "1.1.0", "1.3.0", "1.0.0", "7.0.0"])
def test_the_service_refuses_any_other_replacement(versions: None, steward: Any, replacement: str) -> None:
    with pytest.raises(InvalidContract):
        transition(steward, "deprecated", comment="old", replaced_by=replacement)
    assert ContractVersion.objects.get(version="1.0.0").status == "active"


@pytest.mark.parametrize("sunset", ["tomorrow", "2001-01-01", dt.date.today().isoformat()])
def test_it_refuses_a_bad_or_past_sunset(client: Client, versions: None, steward: Any, sunset: str) -> None:
    client.force_login(steward)
    response = client.post(MOVE, {"action": "deprecate", "comment": "old", "sunset": sunset, "status": "active"})
    assert response.status_code == 400
    assert ContractVersion.objects.get(version="1.0.0").status == "active"
    assert not LifecycleEvent.objects.filter(action="deprecate").exists()


def test_the_page_names_the_successor_and_the_sunset(client: Client, versions: None, steward: Any) -> None:
    client.force_login(steward)
    data = {"action": "deprecate", "comment": "use 1.2", "replaced_by": "1.2.0", "sunset": LATER, "status": "active"}
    assert client.post(MOVE, data).status_code == 302
    row = ContractVersion.objects.get(version="1.0.0")
    assert (row.status, row.replaced_by, row.sunset_on) == ("deprecated", "1.2.0", dt.date.fromisoformat(LATER))
    event = LifecycleEvent.objects.get(action="deprecate")
    assert event.details == {"replaced_by": "1.2.0", "sunset": LATER}
    banner = client.get(PAGE).content.decode().split('class="message warning deprecation"')[1].split("</div>")[0]
    successor = reverse("contracts:version", args=["sales.orders", "1.2.0"])
    assert f'Replaced by <a href="{successor}">1.2.0</a>' in banner
    assert f'goes away on <time datetime="{LATER}">{LATER}</time>' in banner


def test_reinstating_forgets_the_sunset(versions: None, steward: Any) -> None:
    transition(steward, "deprecated", "1.2.0", comment="old", sunset=LATER)
    assert ContractVersion.objects.get(version="1.2.0").sunset_on == dt.date.fromisoformat(LATER)
    row = transition(steward, "active", "1.2.0", comment="back")
    assert (row.status, row.replaced_by, row.sunset_on) == ("active", "", None)
