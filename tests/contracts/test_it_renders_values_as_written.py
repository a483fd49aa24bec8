"""Values on the version page read as the document writes them: ``true``, not Python's ``True``."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from dc43_portal.contracts.services import contract_publish
from tests.conftest import make_doc


def test_it_writes_booleans_as_the_document_does(client: Client, author: Any, viewer: Any) -> None:
    doc = make_doc(customProperties=[{"property": "pii", "value": True}, {"property": "archived", "value": False}])
    contract_publish(document=doc, actor=author.username)
    client.force_login(viewer)
    body = client.get(reverse("contracts:version", args=["sales.orders", "1.0.0"])).content.decode()
    assert "<dt>pii</dt><dd>true</dd>" in body and "<dt>archived</dt><dd>false</dd>" in body
    assert ">True<" not in body and ">False<" not in body
