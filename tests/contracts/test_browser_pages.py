"""Every portal page in Chromium at 1366 and 390 px: no horizontal overflow and no critical or serious axe-core
violation; the lifecycle panel survives a session that ends mid-action; focus follows an htmx swap.

axe-core 4.10.3 is vendored in tests/vendor (from npm, MPL-2.0) so the tests never reach the network.
Screenshots go to ``var/screenshots/pages-<width>-<page>.png``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group

from dc43_portal.contracts.services import contract_publish, contract_transition
from tests.conftest import REPO, make_doc

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core-4.10.3.min.js"
SHOTS = REPO / "var" / "screenshots"
WIDTHS = (1366, 390)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PAGES = {
    "list": "/",
    "queue": "/queue/",
    "activity": "/activity/",
    "upload": "/new/",
    "contract": "/contracts/sales.orders/",
    "version-validated": "/contracts/sales.orders/versions/1.0.0/",
    "version-review": "/contracts/sales.orders/versions/1.1.0/",
    "edit": "/contracts/sales.orders/versions/1.2.0/edit/",
    "new-version": "/contracts/sales.orders/new/",
    "compare": "/contracts/sales.orders/compare?from=1.0.0&to=1.1.0",
    "compare-text": "/contracts/sales.orders/compare?from=1.0.0&to=1.1.0&tab=text",
    "tokens": "/account/tokens/",
    "not-found": "/contracts/nope/",
}


@pytest.fixture(autouse=True)
def text_diff_wait(settings: Any) -> None:
    """Wait for the text diff however loaded the machine is (its own test covers the "being prepared" page)."""
    settings.DC43_TEXT_DIFF_WAIT = 60


@pytest.fixture
def contracts(author: Any, steward: Any) -> None:
    """A Validated 1.0.0, a 1.1.0 in review that changes a description and adds a property, a Draft."""
    contract_publish(document=make_doc(version="1.0.0", status="active"), actor="importer", keep_status=True)
    revised = make_doc(version="1.1.0", description={"purpose": "Orders as the shop records them, every day"})
    revised["schema"][0]["properties"][1] = {"name": "amount", "logicalType": "number", "description": "In euros"}
    revised["schema"][0]["properties"].append({"name": "currency", "logicalType": "string"})
    contract_publish(document=revised, actor=author.username)
    contract_transition(contract_id="sales.orders", version="1.1.0", to_status="proposed", user=author)
    contract_publish(document=make_doc(version="1.2.0", tags=["orders", "eu"]), actor=author.username)


def sign_in(browser: Any, base: str, username: str, width: int, *, inject: bool = False) -> Any:
    # Only the axe check bypasses the portal's CSP (to inject axe); the other journeys run under it.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=inject)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"{username}-pw")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def problems_of(page: Any, width: int) -> list[str]:
    found = []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        found.append(f"overflows by {overflow} px at {width} px")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    for violation in result["violations"]:
        if violation["impact"] in ("critical", "serious"):
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"axe {violation['id']} ({violation['impact']}) on {targets}")
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_and_passes_axe(
    browser: Any, live_server: Any, contracts: None, steward: Any, width: int
) -> None:
    steward.groups.add(Group.objects.get(name="authors"))  # Sam sees every button and the editor
    page = sign_in(browser, live_server.url, "sam", width, inject=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    failures = []
    for name, path in PAGES.items():
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(SHOTS / f"pages-{width}-{name}.png"), full_page=True)
        failures += [f"{name}: {problem}" for problem in problems_of(page, width)]
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.screenshot(path=str(SHOTS / f"pages-{width}-login.png"), full_page=True)
    failures += [f"login: {problem}" for problem in problems_of(page, width)]
    assert not failures, "\n".join(failures)


def test_the_panel_survives_a_session_ending_mid_action(browser: Any, live_server: Any, contracts: None) -> None:
    from playwright.sync_api import expect

    page = sign_in(browser, live_server.url, "sam", 1366)
    page.goto(live_server.url + PAGES["version-review"])
    page.fill("#lifecycle-comment", "checked the amounts with finance")
    page.context.clear_cookies()  # the session ends while Sam types
    page.click("button[value=approve]")
    alert = page.locator("#lifecycle-alert [role=alert]")
    expect(alert).to_contain_text("Your session has ended")
    expect(page.locator("#lifecycle-comment")).to_have_value("checked the amounts with finance")
    assert page.locator("main main, #lifecycle h1").count() == 0  # no page nested in the panel
    page.screenshot(path=str(SHOTS / "pages-session-ended.png"), full_page=True)

    # Sam signs in again in another tab: the session comes back with a new form token.
    other = page.context.new_page()
    other.goto(f"{live_server.url}/accounts/login/")
    other.fill("#id_username", "sam")
    other.fill("#id_password", "sam-pw")
    other.click("form button[type=submit]")
    other.wait_for_url(f"{live_server.url}/")
    other.close()
    page.click("button[value=approve]")
    expect(alert).to_contain_text("form token is out of date")
    expect(page.locator("#lifecycle-comment")).to_have_value("checked the amounts with finance")
    page.click("button[value=approve]")
    expect(page.locator("#version-status")).to_contain_text("Validated")
    # Focus moves to the swapped panel's message once htmx settles, so a screen reader hears the outcome;
    # expect() polls, since the status badge (an out-of-band swap) may show before the panel settles.
    expect(page.locator("#lifecycle [role=status]")).to_be_focused()


def test_the_review_works_with_the_keyboard_alone(browser: Any, live_server: Any, contracts: None) -> None:
    from playwright.sync_api import expect

    page = sign_in(browser, live_server.url, "sam", 1366)
    page.goto(live_server.url + "/queue/")
    for _ in range(40):  # Tab to the review link of 1.1.0
        page.keyboard.press("Tab")
        if "/versions/1.1.0/" in page.evaluate("document.activeElement.href || ''"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/versions/1\.1\.0/.*"))
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "lifecycle-comment":
            break
    page.keyboard.type("looks right")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "approve":
            break
    page.keyboard.press("Enter")
    expect(page.locator("#version-status")).to_contain_text("Validated")
    expect(page.locator("#lifecycle [role=status]")).to_be_focused()
