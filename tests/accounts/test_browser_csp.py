"""Security finding 3: no Content-Security-Policy. The portal now sends a strict one (no inline script or
style), and a real browser visits every portal page, and uses its htmx controls, without one violation."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.test import Client

from tests.fixtures.cast import publish, transition

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Every violation the page reports, through the DOM event the CSP spec defines.
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
"""
PAGES = [
    "/",
    "/?q=orders&status=draft",
    "/queue/",
    "/activity/",
    "/new/",
    "/contracts/sales.orders/",
    "/contracts/sales.orders/versions/1.0.0/",
    "/contracts/sales.orders/versions/1.1.0/",
    "/contracts/sales.orders/versions/1.1.0/edit/",
    "/contracts/sales.orders/new/",
    "/contracts/sales.orders/compare?from=1.0.0&to=1.1.0",
    "/account/tokens/",
    "/accounts/password/",
    "/contracts/no.such.contract/",
    "/admin/",
    "/admin/contracts/contractversion/",
    "/admin/api/apitoken/add/",
]


@pytest.mark.database
def test_every_response_carries_the_policy(author: Any) -> None:
    client = Client()
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    client.force_login(author)
    assert "script-src 'self'" in client.get("/").get("Content-Security-Policy", "")


def _violations(page: Any, console: list[str]) -> list[str]:
    found = list(page.evaluate("window.__csp || []")) + [m for m in console if "Content Security Policy" in m]
    console.clear()
    return found


@pytest.mark.browser
def test_no_page_reports_a_violation(browser: Any, live_server: Any, author: Any, steward: Any) -> None:
    author.is_staff = author.is_superuser = True
    author.save()
    publish(author)
    transition(author, "proposed")
    transition(steward, "active")
    publish(author, "1.1.0")
    page = browser.new_context().new_page()
    page.set_default_timeout(10_000)
    page.add_init_script(LISTEN)
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text))
    page.goto(f"{live_server.url}/accounts/login/")
    assert _violations(page, console) == [], "/accounts/login/"
    page.fill("#id_username", "alice")
    page.fill("#id_password", "alice-pw")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    seen: dict[str, list[str]] = {}
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        seen[path] = _violations(page, console)
    # htmx swaps: a live filter on the list and a lifecycle button on a version.
    page.goto(f"{live_server.url}/")
    page.fill("input[name=q]", "orders")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/contracts/sales.orders/versions/1.1.0/")
    page.fill("#lifecycle-comment", "ready")
    page.click("button[value=submit]")
    page.wait_for_selector("text=In review")
    seen["htmx"] = _violations(page, console)
    assert {path: found for path, found in seen.items() if found} == {}
