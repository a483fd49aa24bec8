"""The document editor: upload or paste, start from a version, edit a Draft; always saved as a Draft."""

from __future__ import annotations

import json
from typing import Any

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dc43_portal import odcs
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import ContractVersion
from tests.conftest import make_doc
from tests.fixtures.cast import publish

UPLOAD = reverse("contracts:upload")


def test_it_saves_a_pasted_document_as_a_draft(client: Client, author: Any) -> None:
    client.force_login(author)
    response = client.post(UPLOAD, {"document": yaml.safe_dump(make_doc(status="active"))})
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:version", args=["sales.orders", "1.0.0"])
    assert ContractVersion.objects.get().status == "draft"
    assert default_store().get_document("sales.orders", "1.0.0")["status"] == "draft"
    assert "Saved sales.orders 1.0.0 as a Draft." in client.get(response["Location"]).content.decode()


def test_it_saves_an_uploaded_json_file(client: Client, author: Any) -> None:
    client.force_login(author)
    upload = SimpleUploadedFile("c.json", json.dumps(make_doc()).encode(), content_type="application/json")
    assert client.post(UPLOAD, {"upload": upload}).status_code == 302
    assert ContractVersion.objects.get().created_by == "alice"


def test_it_shows_validation_errors_inline_with_their_path(client: Client, author: Any) -> None:
    client.force_login(author)
    doc = make_doc()
    doc["schema"][0]["properties"][1]["logicalType"] = "strin"
    response = client.post(UPLOAD, {"document": yaml.safe_dump(doc)})
    body = response.content.decode()
    assert response.status_code == 400
    assert '<code class="path">schema[0].properties[1].logicalType</code>' in body
    assert "strin" in body  # the pasted text is kept in the editor
    assert not ContractVersion.objects.exists()
    response = client.post(UPLOAD, {"document": "id: [unclosed"})
    assert response.status_code == 400 and "The document was not saved" in response.content.decode()
    assert client.post(UPLOAD, {"document": "  "}).status_code == 400


def test_it_prefills_the_next_version_from_an_existing_one(client: Client, author: Any) -> None:
    publish(author, "1.0.0")
    publish(author, "1.1.0")
    client.force_login(author)
    url = reverse("contracts:new_version", args=["sales.orders"])
    for bump, expected in (("patch", "1.0.1"), ("minor", "1.2.0"), ("major", "2.0.0")):
        response = client.get(url, {"from": "1.0.0", "bump": bump})
        assert response.context["suggested"] == expected
        assert yaml.safe_load(response.context["form"]["document"].value())["version"] == expected
    text = client.get(url, {"from": "1.0.0", "bump": "minor"}).context["form"]["document"].value()
    assert client.post(url, {"document": text}).status_code == 302
    assert ContractVersion.objects.get(version="1.2.0").status == "draft"


def test_it_refuses_existing_versions_and_other_ids_on_the_new_version_page(client: Client, author: Any) -> None:
    publish(author)
    client.force_login(author)
    url = reverse("contracts:new_version", args=["sales.orders"])
    response = client.post(url, {"document": yaml.safe_dump(make_doc())})
    assert response.status_code == 400 and "already exists; edit that Draft instead" in response.content.decode()
    response = client.post(url, {"document": yaml.safe_dump(make_doc("other.id", "2.0.0"))})
    assert response.status_code == 400 and "this page saves versions of sales.orders" in response.content.decode()
    assert ContractVersion.objects.count() == 1


def test_it_edits_a_draft_and_refuses_a_stale_edit(client: Client, author: Any, author2: Any) -> None:
    publish(author)
    url = reverse("contracts:edit", args=["sales.orders", "1.0.0"])
    client.force_login(author2)
    form = client.get(url).context["form"]
    fingerprint = form["expected_fingerprint"].value()
    changed = yaml.safe_dump(make_doc(name="Orders v2"))
    assert client.post(url, {"document": changed, "expected_fingerprint": fingerprint}).status_code == 302
    assert default_store().get_document("sales.orders", "1.0.0")["name"] == "Orders v2"
    response = client.post(
        url, {"document": yaml.safe_dump(make_doc(name="Lost")), "expected_fingerprint": fingerprint}
    )
    assert response.status_code == 409 and "changed since you loaded it" in response.content.decode()
    assert default_store().get_document("sales.orders", "1.0.0")["name"] == "Orders v2"
    assert ContractVersion.objects.get().updated_by == "arthur"


def test_it_refuses_to_edit_frozen_versions(client: Client, validated: Any, author: Any) -> None:
    client.force_login(author)
    url = reverse("contracts:edit", args=["sales.orders", "1.0.0"])
    response = client.get(url)
    assert response.status_code == 409
    assert "is Validated: its content can no longer change" in response.content.decode()
    response = client.post(url, {"document": yaml.safe_dump(make_doc(name="Changed"))})
    assert response.status_code == 409
    assert default_store().get_document("sales.orders", "1.0.0")["name"] == "Orders"
    page = client.get(reverse("contracts:version", args=["sales.orders", "1.0.0"])).content.decode()
    assert "Edit draft" not in page and "New version from this" in page


def test_it_lets_only_authors_publish(client: Client, draft: Any, steward: Any, viewer: Any) -> None:
    for user in (steward, viewer):
        client.force_login(user)
        for url in (UPLOAD, reverse("contracts:new_version", args=["sales.orders"])):
            response = client.get(url)
            assert response.status_code == 403 and "Only authors publish versions" in response.content.decode()
        response = client.post(UPLOAD, {"document": yaml.safe_dump(make_doc(version="2.0.0"))})
        assert response.status_code == 403
    assert ContractVersion.objects.count() == 1
    client.logout()
    assert client.get(UPLOAD).status_code == 302


def test_it_keeps_the_fingerprint_when_nothing_changed(client: Client, draft: Any, author: Any) -> None:
    client.force_login(author)
    url = reverse("contracts:edit", args=["sales.orders", "1.0.0"])
    text = client.get(url).context["form"]["document"].value()
    response = client.post(url, {"document": text}, follow=True)
    assert "nothing changed" in response.content.decode()
    assert ContractVersion.objects.get().fingerprint == odcs.fingerprint(make_doc())
