"""In a real browser (Debian's chromium via Playwright): a steward sends a draft back with a reason, and the
author's "My work" shows it, with the nav count of what she can act on."""

from __future__ import annotations

from typing import Any

import pytest

from dc43_portal.contracts import services
from tests.conftest import make_doc
from tests.contracts.test_browser_journey import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_author_reads_the_stewards_reason(browser: Any, live_server: Any, author: Any, steward: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    services.contract_publish(document=make_doc(), actor=author.username)
    services.contract_transition(contract_id="sales.orders", version="1.0.0", to_status="proposed", user=author)

    sam = Session(browser, live_server.url, "sam", "sam-pw")
    expect(sam.page.locator("#work-link .count")).to_have_text("1")  # one version for him to approve
    sam.page.click("#work-link")
    sam.page.click("#to-approve a.version")
    sam.page.fill("#lifecycle-comment", "the amount needs a currency")
    sam.page.click("button[value=reject]")
    expect(sam.page.locator("#version-status")).to_contain_text("Draft")
    sam.shot("inbox-steward-rejects")

    alice = Session(browser, live_server.url, "alice", "alice-pw")
    expect(alice.page.locator("#work-link .count")).to_have_text("1")
    alice.page.click("#work-link")
    sent_back = alice.page.locator("#sent-back")
    expect(sent_back).to_contain_text("sales.orders 1.0.0")
    expect(sent_back).to_contain_text("by sam")
    expect(sent_back.locator("blockquote.reason")).to_have_text("the amount needs a currency")
    alice.shot("inbox-author-sent-back")
