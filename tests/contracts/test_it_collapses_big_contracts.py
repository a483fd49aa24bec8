"""The version page of a 2,000-property contract stays small: objects collapsed, their properties on demand."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dc43_portal.contracts.services import contract_publish
from tests.conftest import make_doc

pytestmark = pytest.mark.database
PAGE = reverse("contracts:version", args=["sales.orders", "1.0.0"])


def wide_doc(tables: int = 20, columns: int = 100) -> dict[str, Any]:
    schema = [
        {
            "name": f"table_{t}",
            "logicalType": "object",
            "properties": [
                {"name": f"col_{t}_{c}", "logicalType": "string", "description": f"Column {c} of table {t}"}
                for c in range(columns)
            ],
        }
        for t in range(tables)
    ]
    return make_doc(schema=schema)


@pytest.fixture
def wide(author: Any) -> None:
    contract_publish(document=wide_doc(), actor=author.username)


def test_the_page_is_small_and_its_objects_collapsed(wide: None, viewer: Any) -> None:
    client = Client()
    client.force_login(viewer)
    html = client.get(PAGE).content.decode()
    assert len(html.encode()) < 300 * 1024, len(html.encode())
    assert html.count('<details class="schema-object"') == 20
    assert "col_3_7" not in html
    assert "download the YAML" in html  # the raw text is linked, not inlined
    assert 'hx-get="?object=table_3"' in html and 'href="?object=table_3#obj-4"' in html


def test_an_object_loads_on_demand_with_htmx_or_without(wide: None, viewer: Any) -> None:
    client = Client()
    client.force_login(viewer)
    fragment = client.get(PAGE + "?object=table_3", headers={"HX-Request": "true"}).content.decode()
    assert "<code>col_3_7</code>" in fragment and "<html" not in fragment and "col_4_7" not in fragment
    page = client.get(PAGE + "?object=table_3").content.decode()  # the no-JS link
    assert '<details class="schema-object" id="obj-4" open>' in page and "<code>col_3_7</code>" in page
    assert "col_4_7" not in page


def test_an_unknown_object_is_a_404(wide: None, viewer: Any) -> None:
    client = Client()
    client.force_login(viewer)
    response = client.get(PAGE + "?object=nope", headers={"HX-Request": "true"})
    assert response.status_code == 404 and "no schema object" in response.content.decode()


def test_small_contracts_show_everything(author: Any, viewer: Any) -> None:
    contract_publish(document=make_doc(), actor=author.username)
    client = Client()
    client.force_login(viewer)
    html = client.get(PAGE).content.decode()
    assert "<details" not in html and "<code>order_id</code>" in html and "apiVersion: v3.1.0" in html


def test_a_compare_with_many_changes_collapses_its_objects(author: Any, viewer: Any) -> None:
    contract_publish(document=wide_doc(), actor=author.username)
    revised = wide_doc()
    revised["version"] = "1.1.0"
    for table in revised["schema"]:
        for prop in table["properties"][:10]:
            prop["description"] += " (revised)"
    contract_publish(document=revised, actor=author.username)
    client = Client()
    client.force_login(viewer)
    base = reverse("contracts:compare", args=["sales.orders"]) + "?from=1.0.0&to=1.1.0"
    html = client.get(base).content.decode()
    assert html.count('<details class="card schema-diff"') == 20 and "col_3_7" not in html
    fragment = client.get(base + "&object=table_3", headers={"HX-Request": "true"}).content.decode()
    assert "<code>col_3_7</code>" in fragment and "<ins> (revised)</ins>" in fragment and "<html" not in fragment
    page = client.get(base + "&object=table_3").content.decode()  # the no-JS link
    assert "<code>col_3_7</code>" in page and "col_4_7" not in page
