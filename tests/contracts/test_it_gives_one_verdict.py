"""One compatibility verdict, against today's baseline, on the version page, its panel and at submit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dc43_portal.contracts.models import ContractVersion
from dc43_portal.contracts.services import contract_publish, contract_transition
from tests.conftest import make_doc

pytestmark = pytest.mark.database


def breaking(version: str) -> dict[str, Any]:
    doc = make_doc(version=version)
    doc["schema"][0]["properties"][1]["logicalType"] = "string"  # amount: number -> string
    return doc


def page(version: str) -> str:
    return reverse("contracts:version", args=["sales.orders", version])


def transition_url(version: str) -> str:
    return reverse("contracts:transition", args=["sales.orders", version])


def test_submitting_a_version_approval_would_refuse_needs_an_acknowledgement(author: Any) -> None:
    contract_publish(document=make_doc(version="1.0.0", status="active"), actor="importer", keep_status=True)
    contract_publish(document=breaking("1.1.0"), actor=author.username)
    client = Client()
    client.force_login(author)
    html = client.get(page("1.1.0")).content.decode()
    assert "Breaking changes since Validated 1.0.0" in html and "Approval will be refused" in html
    assert 'name="acknowledge"' in html and "objection" not in html
    refused = client.post(transition_url("1.1.0"), {"action": "submit", "status": "draft", "comment": "pls"})
    assert refused.status_code == 400 and "tick the box to submit it anyway" in refused.content.decode()
    assert ContractVersion.objects.get(version="1.1.0").status == "draft"
    done = client.post(transition_url("1.1.0"), {"action": "submit", "status": "draft", "acknowledge": "yes"})
    assert done.status_code == 302
    assert ContractVersion.objects.get(version="1.1.0").status == "proposed"


def test_a_compatible_draft_submits_without_a_checkbox(author: Any) -> None:
    contract_publish(document=make_doc(version="1.0.0", status="active"), actor="importer", keep_status=True)
    contract_publish(document=make_doc(version="1.1.0", tags=["orders", "eu"]), actor=author.username)
    client = Client()
    client.force_login(author)
    assert 'name="acknowledge"' not in client.get(page("1.1.0")).content.decode()
    assert client.post(transition_url("1.1.0"), {"action": "submit", "status": "draft"}).status_code == 302


def test_the_banner_follows_todays_baseline(author: Any, steward: Any) -> None:
    contract_publish(document=make_doc(version="1.0.0", status="active"), actor="importer", keep_status=True)
    contract_publish(document=breaking("1.2.0"), actor=author.username)  # published against 1.0.0
    contract_publish(document=make_doc(version="1.1.0", tags=["orders", "eu"]), actor=author.username)
    contract_transition(contract_id="sales.orders", version="1.1.0", to_status="proposed", user=author)
    contract_transition(contract_id="sales.orders", version="1.1.0", to_status="active", user=steward)
    client = Client()
    client.force_login(author)
    html = client.get(page("1.2.0")).content.decode()
    # Approval compares with 1.1.0 now; the banner says the same, not the 1.0.0 stored at publication.
    assert "Breaking changes since Validated 1.1.0" in html and "since Validated 1.0.0" not in html
