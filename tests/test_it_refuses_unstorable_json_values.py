"""Values that parse as JSON but that no store or database can keep are a 400 at parsing, never a 500 later.

Found by the QA sweep: a 5,000-digit integer (Python's int limit), a lone surrogate (not UTF-8) and a
NUL character (PostgreSQL refuses it in text and jsonb) each crashed the editor or the API.
"""

from __future__ import annotations

import json

import pytest

from dc43_portal import odcs
from dc43_portal.errors import InvalidContract
from tests.conftest import make_doc

BIG_INT = "9" * 5000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"id": "x", "n": ' + BIG_INT + "}", "invalid JSON"),
        ('{"id": "x", "name": "a\\ud800b"}', "lone surrogate"),
        ('{"id": "x", "a\\udfffb": 1}', "lone surrogate"),
        ('{"id": "x", "name": "a\\u0000b"}', "NUL"),
        ('{"id": "x", "k\\u0000": 1}', "NUL"),
        ('id: x\nname: "a\\0b"\n', "NUL"),
        ('id: x\nname: "a\\uD800b"\n', "lone surrogate|invalid YAML"),
    ],
    ids=["json-huge-int", "surrogate-value", "surrogate-key", "nul-value", "nul-key", "yaml-nul", "yaml-surrogate"],
)
def test_it_refuses_values_no_store_can_keep(text: str, message: str) -> None:
    with pytest.raises(InvalidContract, match=message):
        odcs.parse_document(text.encode("utf-8"))


def test_it_names_the_path_of_the_bad_text() -> None:
    doc = make_doc(description={"purpose": "a\x00b"})
    with pytest.raises(InvalidContract) as caught:
        odcs.parse_document(json.dumps(doc))
    assert caught.value.errors == [("description.purpose", "text must not contain NUL (U+0000)")]


@pytest.mark.django_db
def test_it_answers_the_api_and_the_editor_with_400_and_writes_nothing(
    client: object, author: object, contract_store_dir: object
) -> None:
    from django.test import Client

    from dc43_portal.api.tokens import token_create
    from dc43_portal.contracts.models import ContractVersion, LifecycleEvent

    body = json.dumps(make_doc()).replace('"Orders"', '"a\\ud800"')
    token = token_create(user=author, name="t", scopes="read,write")[1]
    api = Client().put(
        "/api/v1/contracts/sales.orders/versions/1.0.0",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert api.status_code == 400
    assert api.json()["error"] == "invalid_contract"

    ui = Client()
    ui.force_login(author)  # type: ignore[arg-type]
    page = ui.post("/new/", {"document": '{"id": "x", "n": ' + BIG_INT + "}"})
    assert page.status_code == 400
    assert "invalid JSON" in page.content.decode()

    assert not ContractVersion.objects.exists() and not LifecycleEvent.objects.exists()
    assert not any(contract_store_dir.rglob("*"))  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_the_write_path_checks_a_mapping_too(contract_store_dir: object) -> None:
    # Imports (dc43's SQL table, copies) hand contract_publish a mapping that never went through parsing.
    from dc43_portal.contracts import services
    from dc43_portal.contracts.models import ContractVersion

    with pytest.raises(InvalidContract, match="NUL"):
        services.contract_publish(document=make_doc(name="a\x00b"), actor="alice")
    assert not ContractVersion.objects.exists()
    assert not any(contract_store_dir.rglob("*"))  # type: ignore[attr-defined]
