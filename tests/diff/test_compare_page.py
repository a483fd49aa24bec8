"""The compare page: summary, side-by-side schema view, other sections, text tab, htmx fragment, bad input."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from dc43_portal.contracts.services import contract_publish
from tests.conftest import make_doc
from tests.fixtures.cast import imported

pytestmark = pytest.mark.database

ID = "sales.orders"
XSS = "<script>alert('x')</script>"


def url(contract_id: str = ID, **params: str) -> str:
    base = reverse("contracts:compare", args=[contract_id])
    return f"{base}?{urlencode(params)}" if params else base


@pytest.fixture(autouse=True)
def text_diff_wait(settings: Any) -> None:
    """Wait for the text diff however loaded the machine is (its own test covers the "being prepared" page)."""
    settings.DC43_TEXT_DIFF_WAIT = 60


@pytest.fixture
def versions(db: None) -> None:
    imported("1.0.0")
    revised = make_doc(version="1.1.0", description={"purpose": XSS})
    props = revised["schema"][0]["properties"]
    props[1] = {"name": "amount", "logicalType": "integer"}
    props.append({"name": "currency", "logicalType": "string"})
    revised["servers"] = [{"server": "prod", "type": "local", "path": "/data", "format": "csv"}]
    contract_publish(document=revised, actor="alice")


@pytest.fixture
def client_in(viewer: Any) -> Client:
    client = Client()
    client.force_login(viewer)
    return client


def test_it_shows_the_summary_and_the_changes_side_by_side(versions: None, client_in: Client) -> None:
    response = client_in.get(url(**{"from": "1.0.0", "to": "1.1.0"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 breaking" in html and "2 non-breaking" in html and "1 info" in html
    assert "Not enough: these changes call for a major version." in html
    assert "Schema object <code>orders</code>" in html
    assert "rule <code>type-changed</code>" in html
    # Old and new values as readable fields, the changed word marked.
    assert '<p class="value"><del>number</del></p>' in html and '<p class="value"><ins>integer</ins></p>' in html
    assert "<code>currency</code>" in html and "Added" in html
    assert "<dt>logicalType</dt><dd>string</dd>" in html  # the added property as fields, not JSON
    assert '{"logicalType"' not in html
    assert "Servers" in html and "Description" in html
    assert re.search(r'aria-current="page"[^>]*>Changes</a>', html)
    assert "YAML, side by side" not in html


def test_it_escapes_text_from_the_documents(versions: None, client_in: Client) -> None:
    for tab in ("changes", "text"):
        html = client_in.get(url(**{"from": "1.0.0", "to": "1.1.0", "tab": tab})).content.decode()
        assert XSS not in html
        assert "&lt;script&gt;" in html


def test_it_shows_a_side_by_side_yaml_diff_in_the_text_tab(versions: None, client_in: Client) -> None:
    html = client_in.get(url(**{"from": "1.0.0", "to": "1.1.0", "tab": "text"})).content.decode()
    assert "YAML, side by side" in html
    assert re.search(
        r'<tr class="add"><td class="no"></td><td class="code old"></td><td class="no">\d+</td>'
        r'<td class="code new"><ins>  - name: currency</ins></td></tr>',  # the author's key order
        html,
    )
    # A changed line marks the changed word only.
    assert "logicalType: <del>number</del>" in html and "logicalType: <ins>integer</ins>" in html
    assert 'class="text-scroll" tabindex="0" role="region"' in html  # reachable by keyboard
    assert "status:" not in html.split("YAML, side by side")[1]


def test_it_swaps_only_the_diff_for_htmx(versions: None, client_in: Client) -> None:
    response = client_in.get(
        url(**{"from": "1.1.0", "to": "1.0.0"}), headers={"HX-Request": "true", "HX-Target": "diff"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="diff"')
    assert "<html" not in html and "compare-pickers" not in html
    assert "HX-Request" in response["Vary"]
    assert "Compared backwards" in html


def test_it_opens_on_the_newest_version_against_the_last_validated_one(versions: None, client_in: Client) -> None:
    html = client_in.get(url()).content.decode()
    assert '<option value="1.0.0" selected>' in html.split('id="compare-from"')[1].split("</select>")[0]
    assert '<option value="1.1.0" selected>' in html.split('id="compare-to"')[1].split("</select>")[0]
    assert "1 breaking" in html


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"from": "1.0.0"}, 400, "the &#x27;to&#x27; parameter is required"),
        ({"to": "1.0.0"}, 400, "the &#x27;from&#x27; parameter is required"),
        ({"from": "1.0.0", "to": "1.0.0"}, 400, "from and to are both 1.0.0"),
        ({"from": "1.0", "to": "1.1.0"}, 400, "from: &#x27;1.0&#x27; is not a SemVer"),
        ({"from": "1.0.0", "to": "9.9.9"}, 404, "sales.orders 9.9.9 not found"),
    ],
)
def test_it_answers_bad_input_with_a_clear_4xx(
    versions: None, client_in: Client, params: dict[str, str], status: int, message: str
) -> None:
    for headers in ({}, {"HX-Request": "true", "HX-Target": "diff"}):
        response = client_in.get(url(**params), headers=headers)
        assert response.status_code == status
        assert message in response.content.decode()


def test_it_answers_404_for_an_unknown_contract_and_400_for_a_bad_id(versions: None, client_in: Client) -> None:
    assert client_in.get(url("nope", **{"from": "1.0.0", "to": "1.1.0"})).status_code == 404
    assert client_in.get(url(".hidden", **{"from": "1.0.0", "to": "1.1.0"})).status_code == 400


def test_it_sends_anonymous_visitors_to_log_in(versions: None, anonymous: Client) -> None:
    response = anonymous.get(url(**{"from": "1.0.0", "to": "1.1.0"}))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_says_so_when_there_is_a_single_version(db: None, client_in: Client) -> None:
    contract_publish(document=make_doc(version="1.0.0"), actor="alice")
    response = client_in.get(url())
    assert response.status_code == 200
    assert "single version" in response.content.decode()


def test_it_keeps_build_metadata_in_its_links(db: None, client_in: Client) -> None:
    contract_publish(document=make_doc(version="1.0.0+build.7"), actor="alice")
    contract_publish(document=make_doc(version="1.1.0", tags=["orders", "eu"]), actor="alice")
    html = client_in.get(url(**{"from": "1.0.0+build.7", "to": "1.1.0"})).content.decode()
    assert "1.0.0+build.7 <span" in html
    assert "?from=1.1.0&amp;to=1.0.0%2Bbuild.7" in html  # the swap link
