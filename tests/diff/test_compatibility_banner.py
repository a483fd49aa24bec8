"""The version page keeps compatibility warnings apart from validation warnings, and an approval under
``DC43_COMPATIBILITY=warn`` leaves a banner naming the breaking change."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from dc43_portal.contracts.models import ContractVersion
from tests.conftest import make_doc
from tests.fixtures.cast import imported, submit

pytestmark = [pytest.mark.database, pytest.mark.django_db]

ID = "sales.orders"
PAGE = reverse("contracts:version", args=[ID, "1.1.0"])
APPROVE = reverse("contracts:transition", args=[ID, "1.1.0"])
HEADING = "Breaking changes since Validated 1.0.0"
CHANGE = "schema.orders.properties.amount removed [property-removed"
# A dc43 server type: accepted with warnings under DC43_VALIDATION=dc43.
DC43_SERVER = {"server": "local", "type": "filesystem", "path": "/data"}


def submit_breaking_minor(author: Any, **extra: Any) -> None:
    """Validated 1.0.0, then 1.1.0 without the ``amount`` column, In review."""
    imported("1.0.0")
    doc = make_doc(version="1.1.0", **extra)
    doc["schema"][0]["properties"] = doc["schema"][0]["properties"][:1]
    submit(author, doc)


def banners(html: str) -> list[str]:
    """The text of each warning banner, in page order."""
    return [part.split("</div>", 1)[0] for part in html.split('<div class="message warning" role="status">')[1:]]


@override_settings(DC43_VALIDATION="dc43")
def test_it_shows_validation_and_compatibility_warnings_under_their_own_headings(
    client: Client, author: Any, viewer: Any
) -> None:
    submit_breaking_minor(author, servers=[DC43_SERVER])
    client.force_login(viewer)
    breaking, validation = banners(client.get(PAGE).content.decode())
    assert HEADING in breaking and "Approval will be refused" in breaking and CHANGE in breaking
    assert "validation" not in breaking
    assert "Validation warnings" in validation and "servers[0].type" in validation and CHANGE not in validation


@override_settings(DC43_VALIDATION="dc43")
def test_it_keeps_a_banner_after_an_approval_under_warn(client: Client, author: Any, steward: Any) -> None:
    submit_breaking_minor(author, servers=[DC43_SERVER])
    client.force_login(steward)
    with override_settings(DC43_COMPATIBILITY="warn"):
        response = client.post(APPROVE, {"action": "approve", "comment": "known break"})
    assert response.status_code == 302
    assert ContractVersion.objects.get(version="1.1.0").status == "active"
    breaking, validation = banners(client.get(PAGE).content.decode())
    assert HEADING in breaking and CHANGE in breaking
    # Approved now: the publish-time "will be refused" is replaced by what the approval's check found.
    assert "Approval will be refused" not in breaking
    assert "servers[0].type" in validation


def test_it_lists_what_the_approval_found_even_if_publishing_did_not(client: Client, author: Any, steward: Any) -> None:
    with override_settings(DC43_COMPATIBILITY="off"):
        submit_breaking_minor(author)
    assert ContractVersion.objects.get(version="1.1.0").warnings == []
    client.force_login(steward)
    with override_settings(DC43_COMPATIBILITY="warn"):
        response = client.post(APPROVE, {"action": "approve"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    # The htmx answer swaps the banner in out of band, so it shows without a reload.
    oob = response.content.decode().split('<div id="version-warnings" hx-swap-oob="true">', 1)[1]
    assert HEADING in oob.split('<section id="', 1)[0]
    [banner] = banners(client.get(PAGE).content.decode())
    assert HEADING in banner and CHANGE in banner
