"""The steward workflow in a real browser: Debian's chromium, driven by Playwright, against ``live_server``.

An author uploads a draft and submits it; she cannot approve it herself (four eyes); a steward approves
it from the review queue; the author publishes a second version; the steward deprecates the first; the
timeline and the activity page show all of it. A screenshot of each page goes to ``var/screenshots/``.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
import yaml
from django.contrib.auth.models import Group

from tests.conftest import REPO, make_doc

pytestmark = pytest.mark.browser
SHOTS = REPO / "var" / "screenshots"
# Playwright's sync API runs an event loop in this thread; Django then refuses ORM calls without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class Session:
    """One signed-in user in their own browser context."""

    def __init__(self, browser: Any, base: str, username: str, password: str) -> None:
        self.base = base
        self.page = browser.new_context(viewport={"width": 1360, "height": 900}).new_page()
        self.page.set_default_timeout(10_000)
        self.page.goto(f"{base}/accounts/login/")
        self.shot("login")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("form button[type=submit]")
        self.page.wait_for_url(f"{base}/")

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_it_walks_the_steward_journey(browser: Any, live_server: Any, author: Any, steward: Any) -> None:
    from playwright.sync_api import expect

    # Alice is an author and also a steward: only four eyes stops her approving her own draft.
    author.groups.add(Group.objects.get(name="stewards"))
    alice = Session(browser, live_server.url, "alice", "alice-pw")
    page = alice.page
    alice.shot("list-empty")

    # 1. Alice uploads a draft and submits it.
    page.click("text=+ New contract")
    page.fill("textarea[name=document]", yaml.safe_dump(make_doc(description={"purpose": "<script>x</script>"})))
    alice.shot("upload")
    page.click("text=Save as Draft")
    expect(page.locator("#version-status")).to_contain_text("Draft")
    expect(page.locator(".overview, #overview")).to_contain_text("<script>x</script>")
    alice.shot("version-draft")
    page.fill("#lifecycle-comment", "ready for review")
    page.click("button[value=submit]")
    expect(page.locator("#lifecycle")).to_contain_text("submitted: it is now In review")
    expect(page.locator("#version-status")).to_contain_text("In review")
    expect(page.locator("#queue-link .count")).to_have_text("1")  # refreshed by the queue-changed event

    # 2. She cannot approve it: no button, and the reason is on the page.
    expect(page.locator("button[value=approve]")).to_have_count(0)
    expect(page.locator("#lifecycle")).to_contain_text("another steward must approve it (four eyes)")
    alice.shot("version-in-review-four-eyes")

    # 3. Sam approves it from the review queue.
    sam = Session(browser, live_server.url, "sam", "sam-pw")
    sam.page.click("#queue-link")
    expect(sam.page.locator("table.queue")).to_contain_text("sales.orders")
    sam.shot("queue")
    sam.page.click("table.queue a.btn-approve")
    sam.page.fill("#lifecycle-comment", "schema and owner look right")
    sam.page.click("button[value=approve]")
    expect(sam.page.locator("#version-status")).to_contain_text("Validated")
    expect(sam.page.locator("#timeline")).to_contain_text("schema and owner look right")
    expect(sam.page.locator("#queue-link .count")).to_have_count(0)
    sam.shot("version-validated")

    # 4. Alice publishes a second version, starting from the first.
    page.goto(f"{live_server.url}/contracts/sales.orders/")
    page.click("text=+ New version")
    page.click("a.btn:text-is('minor')")
    expect(page.locator("textarea[name=document]")).to_contain_text("version: 1.1.0")
    alice.shot("new-version")
    page.click("text=Save as Draft")
    expect(page.locator("h1")).to_contain_text("1.1.0")
    page.click("button[value=submit]")
    expect(page.locator("#version-status")).to_contain_text("In review")

    # 5. Sam approves 1.1.0, then deprecates 1.0.0 in favour of it.
    sam.page.goto(f"{live_server.url}/contracts/sales.orders/versions/1.1.0/")
    sam.page.click("button[value=approve]")
    expect(sam.page.locator("#version-status")).to_contain_text("Validated")
    sam.page.goto(f"{live_server.url}/contracts/sales.orders/versions/1.0.0/")
    sam.page.click("button[value=deprecate]")  # without a reason first: refused, nothing written
    expect(sam.page.locator("#lifecycle .message.error")).to_contain_text("Deprecate needs a reason.")
    sam.page.fill("#lifecycle-comment", "1.1.0 adds the currency")
    sam.page.select_option("#lifecycle-replaced-by", "1.1.0")
    sam.page.click("button[value=deprecate]")
    expect(sam.page.locator("#version-status")).to_contain_text("Deprecated")

    # 6. The timeline and the activity page show all of it.
    timeline = sam.page.locator("#timeline")
    for text in ("published", "submitted for review", "approved", "deprecated", "Replaced by 1.1.0"):
        expect(timeline).to_contain_text(text)
    sam.shot("version-deprecated")
    sam.page.goto(f"{live_server.url}/contracts/sales.orders/")
    expect(sam.page.locator("tr.highlight")).to_contain_text("1.1.0")
    sam.shot("contract")
    sam.page.click("#content >> text=All activity of this contract")
    expect(sam.page.locator("#results tbody tr")).to_have_count(7)
    sam.page.fill("input[name=actor]", "sam")
    expect(sam.page.locator("#results tbody tr")).to_have_count(3)  # live filter, swapped by htmx
    expect(sam.page).to_have_url(re.compile(r".*actor=sam"))  # pushed when the swap settles
    sam.shot("activity")
    sam.page.goto(f"{live_server.url}/")
    sam.page.fill("#q", "currency")
    expect(sam.page.locator("#results")).to_contain_text("1 contract")
    sam.shot("list")
