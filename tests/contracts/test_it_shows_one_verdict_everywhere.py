"""One verdict, word for word, against one baseline: the version page's banner, the editor's Check (page, htmx
and API), the review queue and the lifecycle panel, for a Draft that drops a required property of 1.0.0."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from dc43_portal.api.tokens import token_create
from dc43_portal.contracts.models import ContractVersion
from dc43_portal.contracts.services import contract_publish, contract_transition
from tests.conftest import make_doc
from tests.fixtures.cast import imported

pytestmark = pytest.mark.database

HEADING = "Breaking changes since Validated 1.0.0"
ITEM = (
    "Approval will be refused: 1.1.0 has 1 breaking change since 1.0.0, the highest Validated version of major "
    "line 1; publish these changes as 2.0.0, a new major version. "
    "Breaking: schema.orders.properties.order_id removed [property-removed]."
)
TAGGED = f"{HEADING}: {ITEM}"
BLOCK = f'<div class="message warning" role="status"><strong>{HEADING}</strong><ul><li>{escape(ITEM)}</li></ul></div>'
SUMMARY = "Approval would be refused: 1 breaking change since Validated 1.0.0"
QUEUE = reverse("contracts:queue")


def without_order_id(version: str = "1.1.0") -> dict[str, Any]:
    doc = make_doc(version=version)
    del doc["schema"][0]["properties"][0]  # order_id, required
    return doc


def page(version: str = "1.1.0") -> str:
    return reverse("contracts:version", args=["sales.orders", version])


def checked(client: Client, **headers: str) -> str:
    """The editor's Check of the Draft's own text."""
    url = reverse("contracts:edit", args=["sales.orders", "1.1.0"])
    text = yaml.safe_dump(without_order_id(), sort_keys=False)
    response = client.post(url, {"document": text, "check": "1"}, **headers)
    assert response.status_code == 200
    return str(response.content.decode())


def panel(client: Client) -> str:
    """The lifecycle panel alone (the fragment htmx swaps), so the banner above it cannot answer for it."""
    body = client.get(page(), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="lifecycle").content.decode()
    assert body.lstrip().startswith('<section id="lifecycle"')
    return str(body)


@pytest.fixture
def breaking_draft(author: Any) -> str:
    imported("1.0.0")
    return str(contract_publish(document=without_order_id(), actor=author.username).version)


def test_the_banner_and_the_editors_check_show_the_same_block(client: Client, author: Any, breaking_draft: str) -> None:
    client.force_login(author)
    banner = client.get(page()).content.decode()
    assert banner.count(BLOCK) == 1
    for check in (checked(client), checked(client, HTTP_HX_REQUEST="true")):
        assert check.count(BLOCK) == 1 and SUMMARY in check
        # The objection is shown once, in the verdict's block, not again in a list of refusals.
        assert check.count(f"{escape(ITEM)}</li>") == 1
    assert SUMMARY in panel(client) and BLOCK not in panel(client)


def test_the_api_check_returns_the_banners_texts(author: Any, breaking_draft: str) -> None:
    token = token_create(user=author, name="t", scopes="read")[1]
    response = Client().post(
        "/api/v1/contracts/check",
        json.dumps(without_order_id()),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    approval = response.json()["approval"]
    assert approval["compatibility"] == {
        "baseline": "1.0.0",
        "objections": [TAGGED],
        "warnings": [],
        "breaking": 1,
        "refused": True,
    }
    assert (approval["would_pass"], approval["reasons"]) == (False, [TAGGED])


def test_the_queue_and_the_panel_show_the_verdict_of_the_version_in_review(
    client: Client, author: Any, steward: Any, breaking_draft: str
) -> None:
    client.force_login(author)
    refused = client.post(reverse("contracts:transition", args=["sales.orders", "1.1.0"]), {"action": "submit"})
    assert refused.status_code == 400 and ContractVersion.objects.get(version="1.1.0").status == "draft"
    client.post(
        reverse("contracts:transition", args=["sales.orders", "1.1.0"]), {"action": "submit", "acknowledge": "y"}
    )
    assert ContractVersion.objects.get(version="1.1.0").status == "proposed"
    client.force_login(steward)
    queue = client.get(QUEUE).content.decode()
    assert f'<span class="verdict refused" title="{escape(TAGGED)}">{SUMMARY}</span>' in queue
    assert SUMMARY in panel(client) and BLOCK in client.get(page()).content.decode()


def test_a_compatible_version_says_so_in_the_queue_and_the_panel(client: Client, author: Any, steward: Any) -> None:
    imported("1.0.0")
    contract_publish(document=make_doc(version="1.1.0", tags=["orders", "eu"]), actor=author.username)
    contract_transition(contract_id="sales.orders", version="1.1.0", to_status="proposed", user=author)
    client.force_login(steward)
    line = '<span class="verdict compatible">Compatible with Validated 1.0.0</span>'
    assert line in client.get(QUEUE).content.decode() and line in panel(client)
    assert "Approval would be refused" not in client.get(page()).content.decode()


def test_under_warn_the_objection_is_kept_and_submitting_needs_no_acknowledgement(
    client: Client, author: Any, breaking_draft: str, settings: Any
) -> None:
    settings.DC43_COMPATIBILITY = "warn"
    client.force_login(author)
    kept = "1 breaking change since Validated 1.0.0, kept as a warning at approval"
    assert kept in panel(client) and "Approval will be refused" not in client.get(page()).content.decode()
    assert 'name="acknowledge"' not in panel(client)
    client.post(reverse("contracts:transition", args=["sales.orders", "1.1.0"]), {"action": "submit"})
    assert ContractVersion.objects.get(version="1.1.0").status == "proposed"


def _queued_files(author: Any, store: Path) -> list[Path]:
    """1.1.0 submitted, and the store's files of it (the test then removes or corrupts them)."""
    contract_transition(contract_id="sales.orders", version="1.1.0", to_status="proposed", user=author)
    stored = [p for p in store.rglob("*") if p.is_file() and "1.1.0" in p.name]
    assert stored
    return stored


def test_a_queued_version_missing_from_the_store_shows_no_verdict(
    client: Client, author: Any, steward: Any, breaking_draft: str, contract_store_dir: Path
) -> None:
    for path in _queued_files(author, contract_store_dir):
        path.unlink()
    client.force_login(steward)
    response = client.get(QUEUE)
    body = response.content.decode()
    assert response.status_code == 200 and "what changed since Validated 1.0.0" in body
    assert 'class="verdict' not in body


def test_a_queued_version_whose_document_is_unreadable_shows_no_verdict(
    client: Client, author: Any, steward: Any, breaking_draft: str, contract_store_dir: Path
) -> None:
    for path in _queued_files(author, contract_store_dir):
        path.write_text("{not json", encoding="utf-8")  # corrupted behind the portal's back
    client.force_login(steward)
    response = client.get(QUEUE)
    assert response.status_code == 200 and "what changed since Validated 1.0.0" in response.content.decode()
    assert 'class="verdict' not in response.content.decode()


def test_a_backport_is_judged_against_its_own_major_line_everywhere(
    client: Client, author: Any, steward: Any, breaking_draft: str
) -> None:
    imported("2.0.0")  # the latest Validated version is not 1.1.0's baseline
    contract_transition(contract_id="sales.orders", version="1.1.0", to_status="proposed", user=author)
    client.force_login(steward)
    tagged = escape(TAGGED.replace("as 2.0.0", "as 3.0.0"))
    assert f'<span class="verdict refused" title="{tagged}">{SUMMARY}</span>' in client.get(QUEUE).content.decode()
    assert f'title="{tagged}">{SUMMARY}</span>' in panel(client)
