"""The lifecycle buttons over HTTP: PRG without JavaScript, htmx fragments, and every refusal."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent

URL = reverse("contracts:transition", args=["sales.orders", "1.0.0"])
PAGE = reverse("contracts:version", args=["sales.orders", "1.0.0"])
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "lifecycle"}


def status() -> str:
    return ContractVersion.objects.get(version="1.0.0").status


def test_it_approves_with_post_redirect_get(client: Client, proposed: Any, steward: Any) -> None:
    client.force_login(steward)
    response = client.post(URL, {"action": "approve", "comment": "fine", "status": "proposed"})
    assert response.status_code == 302
    assert response["Location"] == PAGE + "#lifecycle"
    page = client.get(PAGE)
    assert "sales.orders 1.0.0 approved: it is now Validated." in page.content.decode()
    assert status() == "active"
    assert default_store().get_document("sales.orders", "1.0.0")["status"] == "active"


def test_it_answers_htmx_with_the_panel_and_the_timeline(client: Client, proposed: Any, steward: Any) -> None:
    client.force_login(steward)
    response = client.post(URL, {"action": "approve", "status": "proposed"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert '<section id="lifecycle"' in body
    assert '<section id="timeline" class="card" hx-swap-oob="true"' in body
    assert 'id="version-status" hx-swap-oob="true"' in body
    assert json.loads(response["HX-Trigger"]) == {"queue-changed": {}}
    assert "approved: it is now Validated" in body


def test_it_shows_only_the_buttons_the_user_may_press(
    client: Client, proposed: Any, author: Any, steward: Any, viewer: Any
) -> None:
    client.force_login(steward)
    body = client.get(PAGE).content.decode()
    assert 'value="approve"' in body and 'value="reject"' in body and 'value="submit"' not in body
    client.force_login(author)
    body = client.get(PAGE).content.decode()
    # The submitter may only withdraw her submission.
    assert 'value="withdraw"' in body and 'value="approve"' not in body and 'value="reject"' not in body
    client.force_login(viewer)
    assert 'name="action"' not in client.get(PAGE).content.decode()


def test_it_explains_four_eyes_on_the_page(client: Client, draft: Any, author: Any) -> None:
    from django.contrib.auth.models import Group

    author.groups.add(Group.objects.get(name="stewards"))
    client.force_login(author)
    client.post(URL, {"action": "submit", "status": "draft"})
    body = client.get(PAGE).content.decode()
    assert 'value="approve"' not in body
    assert "another steward must approve it (four eyes)" in body
    response = client.post(URL, {"action": "approve", "status": "proposed"})
    assert response.status_code == 409
    assert "four eyes" in response.content.decode()
    assert status() == "proposed"


@pytest.mark.parametrize("who", ["viewer", "author"])
def test_it_refuses_a_crafted_post_with_403(client: Client, proposed: Any, who: str, request: Any) -> None:
    client.force_login(request.getfixturevalue(who))
    response = client.post(URL, {"action": "approve", "status": "proposed"})
    assert response.status_code == 403
    assert "Only a steward may approve a version." in response.content.decode()
    assert status() == "proposed"
    assert not LifecycleEvent.objects.filter(action="approve").exists()
    response = client.post(URL, {"action": "approve"}, **HTMX)
    assert response.status_code == 403
    assert "Only a steward" in response.content.decode() and "<html" not in response.content.decode()


def test_it_sends_anonymous_writers_to_log_in(anonymous: Client, proposed: Any, settings: Any) -> None:
    settings.DC43_UI_ANONYMOUS_READ = True
    response = anonymous.post(URL, {"action": "approve"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = anonymous.post(URL, {"action": "approve"}, **HTMX)
    # htmx gets a notice in the panel (the form keeps what was typed) rather than a redirect.
    assert response.status_code == 401 and "/accounts/login/" in response.content.decode()
    assert status() == "proposed"


def test_it_requires_a_reason_to_reject(client: Client, proposed: Any, steward: Any) -> None:
    client.force_login(steward)
    response = client.post(URL, {"action": "reject", "comment": " ", "status": "proposed"})
    assert response.status_code == 400
    assert "Reject needs a reason." in response.content.decode()
    assert status() == "proposed"


def test_it_refuses_an_unknown_action(client: Client, proposed: Any, steward: Any) -> None:
    client.force_login(steward)
    response = client.post(URL, {"action": "explode"})
    assert response.status_code == 400
    assert status() == "proposed"


def test_it_says_when_the_version_changed_meanwhile(client: Client, proposed: Any, steward: Any, steward2: Any) -> None:
    client.force_login(steward2)
    client.post(URL, {"action": "approve", "status": "proposed"})
    client.force_login(steward)
    response = client.post(URL, {"action": "approve", "status": "proposed"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 409
    assert "This version changed while you were looking at it: it is now Validated by sue." in body
    assert "already approved by sue" in body
    assert LifecycleEvent.objects.filter(action="approve").count() == 1


def test_it_refuses_a_stale_fingerprint(client: Client, proposed: Any, steward: Any) -> None:
    client.force_login(steward)
    response = client.post(URL, {"action": "approve", "status": "proposed", "fingerprint": "0" * 64})
    assert response.status_code == 409
    assert "changed since you loaded it" in response.content.decode()
    assert status() == "proposed"


def test_it_answers_404_for_missing_contracts_and_versions(client: Client, proposed: Any, steward: Any) -> None:
    client.force_login(steward)
    for contract_id, version in (("nope", "1.0.0"), ("sales.orders", "9.9.9")):
        assert client.get(reverse("contracts:version", args=[contract_id, version])).status_code == 404
        url = reverse("contracts:transition", args=[contract_id, version])
        response = client.post(url, {"action": "approve"})
        assert response.status_code == 404
        assert "not found" in response.content.decode()
        response = client.post(url, {"action": "approve"}, **HTMX)
        assert response.status_code == 404 and response["HX-Retarget"] == "main"
    assert client.get(reverse("contracts:detail", args=["nope"])).status_code == 404
    assert client.get(reverse("contracts:version", args=["sales.orders", "not-semver"])).status_code == 400


def test_it_answers_400_for_malformed_ids_and_versions(client: Client, proposed: Any, steward: Any) -> None:
    client.force_login(steward)
    for contract_id, version in ((".hidden", "1.0.0"), ("sales.orders", "1.0"), ("sales.orders", "latest")):
        url = reverse("contracts:transition", args=[contract_id, version])
        assert client.post(url, {"action": "approve"}).status_code == 400
        assert client.post(url, {"action": "approve"}, **HTMX).status_code == 400
    assert status() == "proposed"
