"""A stale edit names who changed the Draft and when, lists the difference, and keeps what was typed; a failed
upload keeps the file's text in the editor."""

from __future__ import annotations

from typing import Any

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dc43_portal import odcs
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import LifecycleEvent
from tests.conftest import make_doc

EDIT = reverse("contracts:edit", args=["sales.orders", "1.0.0"])


def test_a_stale_edit_names_who_and_when_and_shows_the_difference(
    client: Client, draft: Any, author: Any, author2: Any
) -> None:
    loaded = odcs.fingerprint(default_store().get_document("sales.orders", "1.0.0"))
    other = Client()
    other.force_login(author2)
    assert other.post(EDIT, {"document": yaml.safe_dump(make_doc(name="Their orders"))}).status_code == 302
    client.force_login(author)
    mine = yaml.safe_dump(make_doc(name="My orders"))
    response = client.post(EDIT, {"document": mine, "expected_fingerprint": loaded})
    body = response.content.decode()
    assert response.status_code == 409
    replaced = LifecycleEvent.objects.get(action="replace")
    assert f'arthur changed this Draft at <time datetime="{replaced.created_at.isoformat()}' in body
    assert (
        '<code class="path">name</code> changed: theirs <code>Their orders</code>, yours <code>My orders</code>' in body
    )
    assert "My orders" in response.context["form"]["document"].value()
    assert default_store().get_document("sales.orders", "1.0.0")["name"] == "Their orders"


def test_a_failed_upload_keeps_the_file_in_the_editor(client: Client, author: Any) -> None:
    client.force_login(author)
    text = "# ours\n" + yaml.safe_dump(make_doc(version="not-a-version"), sort_keys=False)
    upload = SimpleUploadedFile("orders.yaml", text.encode(), content_type="application/yaml")
    response = client.post(reverse("contracts:upload"), {"document": "", "upload": upload})
    assert response.status_code == 400
    assert response.context["form"]["document"].value() == text
    assert "# ours" in response.content.decode()
