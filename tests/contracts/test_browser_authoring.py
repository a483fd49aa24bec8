"""Authoring in a real browser (chromium through Playwright, against ``live_server``): the editor's Check as
the author types, the deprecation banner, withdraw and discard."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import make_doc
from tests.contracts.test_browser_journey import Session

pytestmark = pytest.mark.browser


def test_the_editor_checks_as_the_author_types(browser: Any, live_server: Any, author: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    alice = Session(browser, live_server.url, "alice", "alice-pw")
    page = alice.page
    page.goto(f"{live_server.url}/new/")
    doc = make_doc()
    doc["schema"][0]["properties"][1]["logicalType"] = "money"
    text = "# as the team wrote it\n" + yaml.safe_dump(doc, sort_keys=False)
    line = text.splitlines().index("    logicalType: money") + 1
    page.fill("textarea[name=document]", text)  # no click: the check runs on input, debounced
    results = page.locator("#check-results")
    expect(results).to_contain_text(f"line {line} schema[0].properties[1].logicalType")
    alice.shot("editor-check-error")
    page.fill("textarea[name=document]", text.replace("logicalType: money", "logicalType: number"))
    expect(results).to_contain_text("Valid: sales.orders 1.0.0.")
    expect(results).to_contain_text("Approval would pass today.")
    page.click("button[name=check]")  # the button does the same on demand
    expect(results).to_contain_text("Valid: sales.orders 1.0.0.")
    assert page.url == f"{live_server.url}/new/"


def test_deprecation_with_a_successor_and_a_date_shows_the_banner(
    browser: Any,  # noqa: F811
    live_server: Any,
    author: Any,
    steward: Any,
    steward2: Any,
) -> None:
    from playwright.sync_api import expect

    from tests.fixtures.cast import publish, transition

    for version in ("1.0.0", "1.1.0"):
        publish(author, version)
        transition(author, "proposed", version)
        transition(steward, "active", version)
    sue = Session(browser, live_server.url, "sue", "sue-pw")
    page = sue.page
    page.goto(f"{live_server.url}/contracts/sales.orders/versions/1.0.0/")
    sunset = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    page.fill("#lifecycle-comment", "use 1.1.0")
    page.select_option("#lifecycle-replaced-by", "1.1.0")
    page.fill("#lifecycle-sunset", sunset)
    page.click("button[value=deprecate]")
    banner = page.locator(".deprecation")
    expect(banner).to_contain_text("Replaced by 1.1.0.")
    expect(banner).to_contain_text(f"It goes away on {sunset}.")
    sue.shot("deprecated-banner")
    banner.locator("a").click()
    expect(page.locator("#version-status")).to_contain_text("Validated")
    assert page.url.endswith("/versions/1.1.0/")


def test_a_yaml_upload_comes_back_byte_for_byte(browser: Any, live_server: Any, author: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    from tests.contracts.test_it_keeps_the_authors_yaml import SOURCE

    alice = Session(browser, live_server.url, "alice", "alice-pw")
    page = alice.page
    page.goto(f"{live_server.url}/new/")
    page.set_input_files(
        "input[name=upload]", {"name": "orders.yaml", "mimeType": "application/yaml", "buffer": SOURCE.encode()}
    )
    expect(page.locator("#check-results")).to_contain_text("Valid: sales.orders 1.0.0.")  # the check reads the file too
    page.click("text=Save as Draft")
    expect(page.locator("#version-status")).to_contain_text("Draft")
    with page.expect_download() as download:
        page.click("a[download][href$='download.yaml']")
    assert Path(download.value.path()).read_bytes() == SOURCE.encode()
    page.click("text=Edit draft")
    assert page.locator("textarea[name=document]").input_value() == SOURCE
    alice.shot("editor-authors-yaml")


def test_a_thread_with_a_mention_and_a_change_request_turned_into_a_draft(
    browser: Any,  # noqa: F811
    live_server: Any,
    validated: Any,
    viewer: Any,
    author2: Any,
) -> None:
    from playwright.sync_api import expect

    victor = Session(browser, live_server.url, "victor", "victor-pw")
    page = victor.page
    page.goto(f"{live_server.url}/contracts/sales.orders/versions/1.0.0/")
    page.fill("#comment-body", "Could you add a **currency** column, @arthur?")
    page.check("input[name=change_request]")
    page.click("#discussion button[type=submit]")
    thread = page.locator("#discussion")
    expect(thread.locator(".mention")).to_have_text("@arthur")
    expect(thread.locator(".comment-body strong").first).to_have_text("currency")
    expect(thread).to_contain_text("change request")
    victor.shot("discussion")
    arthur = Session(browser, live_server.url, "arthur", "arthur-pw")
    page = arthur.page
    page.goto(f"{live_server.url}/contracts/sales.orders/versions/1.0.0/#discussion")
    page.fill("#comment-body", "On it, @victor.")
    page.click("#discussion button:has-text('Post')")
    expect(page.locator("#discussion .comment")).to_have_count(2)
    page.click("text=Turn into a Draft")
    expect(page.locator("h1")).to_contain_text("Edit draft 1.1.0")
    page.goto(f"{live_server.url}/contracts/sales.orders/versions/1.0.0/")
    expect(page.locator("#discussion")).to_contain_text("Resolved by arthur: now Draft 1.1.0.")
