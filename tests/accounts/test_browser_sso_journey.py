"""The issue's "Done when", in chromium against ``live_server`` and a real OpenID provider process.

Fred signs in through the provider as an author of ``sales`` and a steward of ``finance``: he uploads and
submits a sales contract, and cannot approve it by any route (the page, htmx, a forged POST, an API token,
the admin). Sales has a two-approval policy: Stan, a sales steward, approves; his second approval is
refused; Stella's approval makes the version Validated.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
import yaml
from django.contrib.auth import get_user_model

from dc43_portal.accounts.models import ApprovalPolicy
from dc43_portal.contracts.models import ContractVersion
from tests.accounts.oidc_provider import Provider
from tests.admin.conftest import staff
from tests.conftest import make_doc

pytestmark = pytest.mark.browser
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
VERSION = "/contracts/sales.orders/versions/1.0.0/"


def sso(browser: Any, base: str, sub: str) -> Any:
    """A browser context signed in through the provider's own authorization form."""
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/login/")
    page.click("text=Sign in with Example SSO")
    page.fill("input[name=sub]", sub)
    page.click("button:has-text('Authorize')")
    page.wait_for_url(f"{base}/")
    return page


def forged_post(page: Any, base: str, action: str, **headers: str) -> int:
    """The lifecycle form's POST, sent without the button (the CSRF token is the page's own)."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    form = {"action": action, "csrfmiddlewaretoken": token}
    return int(page.request.post(f"{base}{VERSION}transition", form=form, headers=headers).status)


def _status() -> str:
    return ContractVersion.objects.get(contract__contract_id="sales.orders", version="1.0.0").status


def test_the_domain_steward_journey(browser: Any, live_server: Any, provider: Provider) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    provider.add_user("fred", ["sales-authors", "finance-stewards"])
    provider.add_user("stan", ["sales-stewards"])
    provider.add_user("stella", ["sales-stewards"])
    ApprovalPolicy.objects.create(domain="sales", approvals=2, breaking_approvals=2)

    # Fred authors sales: he uploads a draft and submits it.
    fred = sso(browser, base, "fred")
    fred.click("text=+ New contract")
    fred.fill("textarea[name=document]", yaml.safe_dump(make_doc()))
    fred.click("text=Save as Draft")
    fred.fill("#lifecycle-comment", "ready")
    fred.click("button[value=submit]")
    expect(fred.locator("#version-status")).to_contain_text("In review")

    # He stewards finance, not sales: no button, and every route refuses.
    fred.goto(f"{base}{VERSION}")
    expect(fred.locator("button[value=approve]")).to_have_count(0)
    assert forged_post(fred, base, "approve") == 403
    assert forged_post(fred, base, "approve", **{"HX-Request": "true", "HX-Target": "lifecycle"}) == 403
    fred.goto(f"{base}/account/tokens/")
    fred.fill("input[name=name]", "fred's job")
    for scope in ("read", "write", "steward"):
        fred.check(f"input[name=scopes][value={scope}]")
    fred.click("text=Create token")
    token = re.search(r"dc43p_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", fred.content())
    assert token is not None
    api = fred.request.post(
        f"{base}/api/v1/contracts/sales.orders/versions/1.0.0/transitions",
        data={"to": "active"},
        headers={"Authorization": f"Bearer {token.group()}"},
    )
    assert api.status == 403
    # Even as a staff member who may change versions, the admin's approve action refuses him.
    fred_user = get_user_model().objects.get(username="fred")
    staff(fred_user, "view_contractversion", "change_contractversion")
    csrf = next(c["value"] for c in fred.context.cookies() if c["name"] == "csrftoken")
    row = ContractVersion.objects.get()
    form = {"action": "approve", "_selected_action": str(row.pk), "post": "yes", "csrfmiddlewaretoken": csrf}
    done = fred.request.post(f"{base}/admin/contracts/contractversion/", form=form)
    assert done.ok and "Only a steward may approve a version." in done.text()
    assert _status() == "proposed"

    # Stan, a sales steward, approves: the policy wants one more.
    stan = sso(browser, base, "stan")
    stan.goto(f"{base}{VERSION}")
    stan.click("button[value=approve]")
    expect(stan.locator("#approvals")).to_contain_text("1 of 2 approvals: approved by stan, waiting for one more")
    assert _status() == "proposed"
    stan.goto(f"{base}{VERSION}")
    expect(stan.locator("button[value=approve]")).to_have_count(0)
    expect(stan.locator("#lifecycle")).to_contain_text("You already approved this version")
    assert forged_post(stan, base, "approve") == 409
    assert _status() == "proposed"

    # Stella gives the second approval: Validated.
    stella = sso(browser, base, "stella")
    stella.goto(f"{base}{VERSION}")
    stella.click("button[value=approve]")
    expect(stella.locator("#version-status")).to_contain_text("Validated")
    assert _status() == "active"
