"""Roles by domain (DESIGN §10), and security finding 5 (a user in no group read everything in the UI).

Fred authors ``sales`` and stewards ``finance``: he cannot approve a sales contract by any route (the
service, a page POST, htmx, the API with a steward token, the admin), while Stan, a sales steward, can.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from dc43_portal.api.tokens import token_create
from dc43_portal.contracts.models import ContractVersion
from tests.admin.conftest import action, staff
from tests.api.conftest import ApiClient
from tests.fixtures.cast import publish, transition

pytestmark = pytest.mark.database
VERSION = "/contracts/sales.orders/versions/1.0.0/"


@pytest.fixture
def in_review(sales_author: Any) -> ContractVersion:
    publish(sales_author)  # make_doc's domain is "sales"
    return transition(sales_author, "proposed")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _status() -> str:
    return ContractVersion.objects.get(version="1.0.0").status


def test_the_service_refuses_a_steward_of_another_domain(in_review: Any, finance_steward: Any) -> None:
    with pytest.raises(PermissionDenied, match="steward"):
        transition(finance_steward, "active")
    assert _status() == "proposed"


def test_the_page_and_htmx_refuse_it(in_review: Any, finance_steward: Any) -> None:
    client = _client(finance_steward)
    page = client.get(VERSION).content.decode()
    assert 'value="approve"' not in page
    form = {"action": "approve", "comment": "forged"}
    assert client.post(f"{VERSION}transition", form).status_code == 403
    assert client.post(f"{VERSION}transition", form, headers={"HX-Request": "true"}).status_code == 403
    assert _status() == "proposed"


def test_a_steward_token_refuses_it(in_review: Any, finance_steward: Any) -> None:
    api = ApiClient(token_create(user=finance_steward, name="t", scopes="read,write,steward")[1])
    response = api.post("/contracts/sales.orders/versions/1.0.0/transitions", {"to": "active"})
    assert response.status_code == 403 and response.json()["error"] == "permission_denied"
    assert _status() == "proposed"


def test_the_admin_refuses_it(in_review: Any, finance_steward: Any) -> None:
    client = _client(staff(finance_steward, "view_contractversion", "change_contractversion"))
    response = action(client, "approve", [in_review], post="yes")
    assert [str(m) for m in response.context["messages"]] == [
        "Refused: sales.orders 1.0.0. Only a steward may approve a version."
    ]
    assert _status() == "proposed"


def test_a_steward_of_the_domain_approves(in_review: Any, sales_steward: Any) -> None:
    client = _client(sales_steward)
    assert 'value="approve"' in client.get(VERSION).content.decode()
    response = client.post(f"{VERSION}transition", {"action": "approve"})
    assert response.status_code == 302 and _status() == "active"


def test_the_queue_and_its_count_agree(in_review: Any, finance_steward: Any, sales_steward: Any) -> None:
    fred, stan = _client(finance_steward).get("/queue/"), _client(sales_steward).get("/queue/")
    # Fred reads sales (he authors it) but may not approve there; Stan may.
    assert [can for _, _, can in fred.context["rows"]] == [False]
    assert [can for _, _, can in stan.context["rows"]] == [True]


def test_a_reader_of_another_domain_sees_none_of_it(in_review: Any, finance_viewer: Any) -> None:
    client = _client(finance_viewer)
    assert "sales.orders" not in client.get("/").content.decode()
    assert client.get(VERSION).status_code == 404
    assert client.get("/contracts/sales.orders/").status_code == 404
    assert client.get("/queue/").context["rows"] == []
    assert "sales.orders" not in client.get("/activity/").content.decode()
    api = ApiClient(token_create(user=finance_viewer, name="t", scopes="read")[1])
    assert api.get("/contracts").json()["items"] == []
    assert api.get("/contracts/sales.orders/versions/1.0.0").status_code == 404


def test_an_author_publishes_only_in_their_domain(sales_author: Any) -> None:
    api = ApiClient(token_create(user=sales_author, name="t", scopes="read,write")[1])
    from tests.conftest import make_doc

    assert api.put("/contracts/sales.orders/versions/1.0.0", make_doc()).status_code == 204
    finance = make_doc("finance.ledger", domain="finance")
    response = api.put("/contracts/finance.ledger/versions/1.0.0", finance)
    assert response.status_code == 403 and "author of domain 'finance'" in response.json()["detail"]
    moved = make_doc(version="1.1.0", domain="finance")  # moving a sales contract into finance
    assert api.put("/contracts/sales.orders/versions/1.1.0", moved).status_code == 403


def test_a_user_with_no_role_sees_whom_to_ask(in_review: Any, nobody: Any, admin_user: Any) -> None:
    client = _client(nobody)
    for url in ("/", VERSION, "/queue/", "/activity/", "/contracts/sales.orders/"):
        response = client.get(url)
        assert response.status_code == 403, url
        page = response.content.decode()
        assert "no role" in page and admin_user.username in page and "sales.orders" not in page


def test_the_admin_lists_only_readable_domains(in_review: Any, finance_viewer: Any) -> None:
    client = _client(staff(finance_viewer, "view_contractversion", "view_contract", "view_lifecycleevent"))
    for url in ("/admin/contracts/contractversion/", "/admin/contracts/contract/", "/admin/contracts/lifecycleevent/"):
        assert "sales.orders" not in client.get(url).content.decode(), url


def test_steward_notes_follow_the_domain(in_review: Any, sales_steward: Any, finance_steward: Any) -> None:
    from dc43_portal.contracts.services import contract_annotate

    contract_annotate(contract_id="sales.orders", user=sales_steward, steward_note="checked with finance")
    with pytest.raises(PermissionDenied):
        contract_annotate(contract_id="sales.orders", user=finance_steward, steward_note="overwritten")
