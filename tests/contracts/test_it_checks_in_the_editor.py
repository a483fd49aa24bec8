"""The editor's Check: without JavaScript (a button) and with htmx (a fragment); errors by line, nothing saved."""

from __future__ import annotations

from typing import Any

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dc43_portal.contracts.models import Contract, LifecycleEvent
from tests.conftest import make_doc

UPLOAD = reverse("contracts:upload")


def broken_yaml() -> tuple[str, int]:
    doc = make_doc()
    doc["schema"][0]["properties"][1]["logicalType"] = "money"
    text = "# orders, as the team wrote it\n" + yaml.safe_dump(doc, sort_keys=False)
    return text, text.splitlines().index("    logicalType: money") + 1


def test_the_check_button_shows_errors_by_line_and_keeps_the_text(client: Client, author: Any) -> None:
    client.force_login(author)
    text, line = broken_yaml()
    response = client.post(UPLOAD, {"document": text, "check": "1"})
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        f'<span class="line">line {line}</span> <code class="path">schema[0].properties[1].logicalType</code>' in body
    )
    assert "# orders, as the team wrote it" in body  # the textarea keeps what was typed
    assert not Contract.objects.exists() and not LifecycleEvent.objects.exists()


def test_htmx_gets_the_results_alone(client: Client, author: Any) -> None:
    client.force_login(author)
    response = client.post(UPLOAD, {"document": yaml.safe_dump(make_doc()), "check": "1"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert body.strip().startswith('<section id="check-results"')
    assert "Valid: sales.orders 1.0.0." in body and "Approval would pass today." in body
    empty = client.post(UPLOAD, {"document": "", "check": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Paste a YAML or JSON document" in empty
    assert not Contract.objects.exists()


def test_checking_an_upload_shows_the_file_in_the_editor(client: Client, author: Any) -> None:
    client.force_login(author)
    text, line = broken_yaml()
    upload = SimpleUploadedFile("orders.yaml", text.encode(), content_type="application/yaml")
    body = client.post(UPLOAD, {"document": "", "upload": upload, "check": "1"}).content.decode()
    assert f"line {line}" in body and "# orders, as the team wrote it" in body
    assert not Contract.objects.exists()
