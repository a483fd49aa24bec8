"""An ended session or a stale form token: the panel says so (no nested page, no 405), and nothing is written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dc43_portal.contracts.models import ContractVersion, LifecycleEvent

pytestmark = pytest.mark.database

URL = reverse("contracts:transition", args=["sales.orders", "1.0.0"])
PAGE = reverse("contracts:version", args=["sales.orders", "1.0.0"])
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "lifecycle", "HTTP_HX_CURRENT_URL": "http://testserver" + PAGE}


def test_an_htmx_press_after_the_session_ended_gets_a_notice_in_the_panel(client: Client, proposed: Any) -> None:
    events = LifecycleEvent.objects.count()
    response = client.post(URL, {"action": "approve", "comment": "typed", "status": "proposed"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 401
    assert response["HX-Retarget"] == "#lifecycle-alert" and response["HX-Reswap"] == "innerHTML"
    assert "Your session has ended" in body and "<html" not in body and "<main" not in body
    assert 'target="_blank"' in body and "/accounts/login/?next=" in body
    assert LifecycleEvent.objects.count() == events
    assert ContractVersion.objects.get(version="1.0.0").status == "proposed"


def test_a_plain_post_after_the_session_ended_signs_in_back_to_the_version_page(
    client: Client, proposed: Any, steward: Any
) -> None:
    response = client.post(URL, {"action": "approve", "status": "proposed"})
    assert response.status_code == 302
    assert "/accounts/login/?next=" + PAGE in response["Location"]
    # After signing in, the browser lands on the panel, not on a POST-only address.
    client.force_login(steward)
    landed = client.get(URL)
    assert landed.status_code == 302 and landed["Location"] == PAGE + "#lifecycle"


def test_a_stale_form_token_gets_a_fresh_one_and_a_notice(proposed: Any, steward: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(steward)
    client.get(PAGE)
    events = LifecycleEvent.objects.count()
    response = client.post(URL, {"action": "approve", "status": "proposed"}, HTTP_X_CSRFTOKEN="stale" * 8, **HTMX)
    assert response.status_code == 403
    assert response["HX-Retarget"] == "#lifecycle-alert"
    assert "form token is out of date" in response.content.decode()
    token = json.loads(response["HX-Trigger"])["csrf-token"]["value"]
    assert LifecycleEvent.objects.count() == events
    # Pressing again with the token the notice delivered goes through.
    again = client.post(URL, {"action": "approve", "status": "proposed"}, HTTP_X_CSRFTOKEN=token, **HTMX)
    assert again.status_code == 200 and "approved: it is now Validated" in again.content.decode()


def test_a_conflict_resets_the_form(client: Client, proposed: Any, steward: Any, steward2: Any) -> None:
    client.force_login(steward2)
    client.post(URL, {"action": "approve", "status": "proposed"})
    client.force_login(steward)
    # Sam still sees "In review" and types a reason to reject; Sue approved meanwhile.
    response = client.post(URL, {"action": "reject", "comment": "needs work", "status": "proposed"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 409
    assert "changed while you were looking" in body and "What you had typed: <q>needs work</q>" in body
    textarea = body.split('<textarea id="lifecycle-comment"')[1].split("</textarea>")[0]
    assert "needs work" not in textarea
