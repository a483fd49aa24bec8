"""A Draft's document is edited as YAML in the admin and saved by ``contract_publish``; nothing else is editable."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from dc43_portal import odcs
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from tests.admin.conftest import VERSIONS, staff
from tests.conftest import make_doc
from tests.fixtures.cast import login, publish

pytestmark = pytest.mark.database


def page(row: ContractVersion) -> str:
    return f"{VERSIONS}{row.pk}/change/"


def stored() -> dict[str, Any]:
    return default_store().get_document("sales.orders", "1.0.0")


def form_data(client: Any, row: ContractVersion, **changes: Any) -> dict[str, str]:
    """What the change form posts: the document it shows, with ``changes``, and its fingerprint."""
    form = client.get(page(row)).context["adminform"].form
    doc = {**yaml.safe_load(form.initial["document"]), **changes}
    return {"document": odcs.dump_yaml(doc), "expected_fingerprint": form.initial["expected_fingerprint"]}


def test_it_saves_an_edited_draft_to_the_store(staff_author: Any, draft: ContractVersion) -> None:
    client = login(staff_author)
    data = form_data(client, draft, name="Orders, edited")
    response = client.post(page(draft), {**data, "comment": "typo"})
    assert response.status_code == 302
    assert stored()["name"] == "Orders, edited"
    assert ContractVersion.objects.get(pk=draft.pk).name == "Orders, edited"
    event = LifecycleEvent.objects.get(action="replace")
    assert (event.actor, event.source, event.comment) == ("alice", "admin", "typo")


def test_it_shows_invalid_yaml_as_a_form_error(staff_author: Any, draft: ContractVersion) -> None:
    client = login(staff_author)
    data = form_data(client, draft)
    before = stored()
    response = client.post(page(draft), {**data, "document": "id: [unclosed\n  name: x"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["document"]
    assert stored() == before
    assert not LifecycleEvent.objects.filter(action="replace").exists()


def test_it_shows_schema_errors_at_their_json_path(staff_author: Any, draft: ContractVersion) -> None:
    client = login(staff_author)
    doc = make_doc()
    doc["schema"][0]["properties"][1]["logicalType"] = "decimalish"
    data = form_data(client, draft)
    response = client.post(page(draft), {**data, "document": odcs.dump_yaml(doc)})
    errors = response.context["adminform"].form.errors["document"]
    assert any(e.startswith("schema[0].properties[1].logicalType") for e in errors), errors
    assert "schema[0].properties[1].logicalType" in response.content.decode()
    assert stored()["schema"][0]["properties"][1]["logicalType"] == "number"


def test_it_refuses_a_draft_that_changed_meanwhile(staff_author: Any, author2: Any, draft: ContractVersion) -> None:
    client = login(staff_author)
    data = form_data(client, draft, name="Mine")
    publish(author2, name="Theirs")  # another author replaces the Draft after the form was loaded
    response = client.post(page(draft), data)
    assert response.status_code == 200
    assert "changed since you loaded it" in response.content.decode()
    assert stored()["name"] == "Theirs"


def test_it_refuses_a_post_without_the_fingerprint(staff_author: Any, draft: ContractVersion) -> None:
    client = login(staff_author)
    data = form_data(client, draft, name="Blind")
    response = client.post(page(draft), {"document": data["document"]})
    assert response.status_code == 200
    assert stored()["name"] == "Orders"


def test_it_refuses_to_turn_a_draft_into_another_version(staff_author: Any, draft: ContractVersion) -> None:
    client = login(staff_author)
    response = client.post(page(draft), form_data(client, draft, version="9.0.0"))
    assert "start a new version instead" in response.content.decode()
    assert default_store().list_versions("sales.orders") == ["1.0.0"]


def test_it_keeps_validated_versions_read_only(superuser: Any, validated: ContractVersion) -> None:
    client = login(superuser)
    response = client.get(page(validated))
    assert response.status_code == 200
    assert "document" not in response.context["adminform"].form.fields
    assert "Validated: its content can no longer change." in response.content.decode()
    doc = {**stored(), "name": "Sneaky"}
    posted = client.post(page(validated), {"document": odcs.dump_yaml(doc), "expected_fingerprint": "x"})
    assert posted.status_code == 403
    assert stored()["name"] == "Orders"


def test_it_keeps_drafts_read_only_for_non_authors(staff_steward: Any, draft: ContractVersion) -> None:
    client = login(staff_steward)
    assert "document" not in client.get(page(draft)).context["adminform"].form.fields
    assert client.post(page(draft), {"document": "x", "expected_fingerprint": "x"}).status_code == 403


def test_it_refuses_non_staff(author: Any, draft: ContractVersion) -> None:
    response = login(author).get(page(draft))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_it_offers_no_add_page(superuser: Any) -> None:
    assert login(superuser).get(f"{VERSIONS}add/").status_code == 403


def test_it_needs_the_author_role_even_with_admin_access(db: None, django_user_model: Any) -> None:
    helper = staff(django_user_model.objects.create_user("helper"), "change_contractversion", "view_contractversion")
    row = publish(helper)
    assert login(helper).post(page(row), {"document": "x", "expected_fingerprint": "x"}).status_code == 403


def test_it_explains_a_draft_the_store_lost(staff_author: Any, draft: ContractVersion, contract_store_dir: Any) -> None:
    (contract_store_dir / "sales.orders" / "1.0.0.json").unlink()  # gone from the store, not yet synced
    response = login(staff_author).get(page(draft), follow=True)
    assert response.redirect_chain[-1][0] == VERSIONS
    assert "This version cannot be edited now: contract sales.orders 1.0.0 not found" in response.content.decode()
