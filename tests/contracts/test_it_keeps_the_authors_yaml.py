"""A YAML upload keeps its text, comments included: the YAML tab, the download and the editor show it while
it still matches the stored document, with the status the portal owns set in place."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dc43_portal.contracts.handler import default_store
from tests.fixtures.cast import transition

SOURCE = """# Orders, as the sales data team keeps them.
version: 1.0.0   # bumped by hand
id: sales.orders
kind: DataContract
apiVersion: v3.1.0
status: draft
name: Orders
schema:
  - properties:
      # the key comes first
      - required: true
        logicalType: string
        name: order_id
      - logicalType: number
        name: amount
    logicalType: object
    name: orders
"""
DOWNLOAD = reverse("contracts:download", args=["sales.orders", "1.0.0", "yaml"])
EDIT = reverse("contracts:edit", args=["sales.orders", "1.0.0"])
PAGE = reverse("contracts:version", args=["sales.orders", "1.0.0"])


def upload(client: Client) -> None:
    file = SimpleUploadedFile("orders.yaml", SOURCE.encode(), content_type="application/yaml")
    response = client.post(reverse("contracts:upload"), {"document": "", "upload": file})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_download_and_the_editor_give_back_the_upload(client: Client, author: Any) -> None:
    client.force_login(author)
    upload(client)
    assert client.get(DOWNLOAD).content.decode() == SOURCE
    editor = client.get(EDIT).context["form"]
    assert editor.initial["document"] == SOURCE
    # The store keeps the author's key order too (JSON on disk, never sorted).
    assert list(default_store().get_document("sales.orders", "1.0.0"))[:3] == ["version", "id", "kind"]
    json_tab = client.get(reverse("contracts:download", args=["sales.orders", "1.0.0", "json"])).content.decode()
    assert json_tab.index('"version"') < json_tab.index('"id"') < json_tab.index('"apiVersion"')


def test_the_status_line_follows_the_lifecycle(client: Client, author: Any, steward: Any) -> None:
    client.force_login(author)
    upload(client)
    transition(author, "proposed")
    transition(steward, "active")
    assert client.get(DOWNLOAD).content.decode() == SOURCE.replace("status: draft", "status: active")
    assert "# the key comes first" in client.get(PAGE).content.decode()
    new = client.get(reverse("contracts:new_version", args=["sales.orders"]) + "?from=1.0.0&bump=minor")
    text = new.context["form"].initial["document"]
    assert text.startswith("# Orders") and "version: 1.1.0 # bumped by hand" in text and "status: draft" in text


def test_an_edit_replaces_the_text_and_a_bad_one_changes_nothing(client: Client, author: Any) -> None:
    client.force_login(author)
    upload(client)
    changed = SOURCE.replace("name: Orders", "name: Orders v2")
    response = client.post(EDIT, {"document": "{}", "expected_fingerprint": ""})
    assert response.status_code == 400  # an invalid edit changes nothing
    assert client.get(DOWNLOAD).content.decode() == SOURCE
    response = client.post(EDIT, {"document": changed.replace("\n", "\r\n")})
    assert response.status_code == 302
    assert client.get(DOWNLOAD).content.decode() == changed
