"""The compare page in a real browser: a picker swaps only the diff (htmx) and pushes the URL."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dc43_portal.contracts.services import contract_publish
from tests.conftest import make_doc
from tests.contracts.test_browser_journey import Session
from tests.fixtures.cast import imported

pytestmark = pytest.mark.browser


def test_it_swaps_the_diff_when_a_picker_changes(
    browser: Any,  # noqa: F811
    live_server: Any,
    viewer: Any,
    settings: Any,
) -> None:
    settings.DC43_TEXT_DIFF_WAIT = 60  # wait for the text diff however loaded the machine is
    from playwright.sync_api import expect

    imported("1.0.0")
    contract_publish(document=make_doc(version="1.1.0", description={"purpose": "more"}), actor="alice")
    removed = make_doc(version="1.2.0")
    removed["schema"][0]["properties"].pop()
    contract_publish(document=removed, actor="alice")

    victor = Session(browser, live_server.url, "victor", "victor-pw")
    page = victor.page
    page.goto(f"{live_server.url}/contracts/sales.orders/compare?from=1.0.0&to=1.1.0")
    expect(page.locator("#diff")).to_contain_text("0 breaking")
    page.evaluate("window.notReloaded = true")

    page.select_option("#compare-to", "1.2.0")
    expect(page.locator("#diff")).to_contain_text("1 breaking")
    expect(page.locator("#diff")).to_contain_text("property-removed")
    assert page.evaluate("window.notReloaded") is True  # swapped in place, not a new page
    # htmx pushes the URL when the swap settles: expect() polls for it.
    expect(page).to_have_url(re.compile(r".*/contracts/sales\.orders/compare\?from=1\.0\.0&to=1\.2\.0$"))
    victor.shot("compare")

    page.click(".compare-tabs >> text=Text")
    # The removed property's lines are struck on the old side (in the author's key order, name first).
    expect(page.locator("table.sbs td.old del").filter(has_text="name: amount").first).to_be_visible()
    expect(page.locator("table.sbs td.old del").filter(has_text="logicalType: number").first).to_be_visible()
    expect(page).to_have_url(re.compile(r".*tab=text$"))
    assert page.evaluate("window.notReloaded") is True

    page.go_back()
    expect(page.locator("#diff")).to_contain_text("property-removed")
