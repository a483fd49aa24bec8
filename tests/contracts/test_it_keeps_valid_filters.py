"""An invalid filter value is ignored on its own: the other filters of the page still apply."""

from __future__ import annotations

from typing import Any

from django.test import Client

from dc43_portal.contracts.services import contract_publish
from tests.conftest import make_doc


def test_the_activity_keeps_the_valid_filters(client: Client, author: Any, steward: Any, viewer: Any) -> None:
    contract_publish(document=make_doc(), actor=author.username)
    contract_publish(document=make_doc("hr.people"), actor=steward.username)
    client.force_login(steward)
    response = client.get("/activity/", {"action": "bogus", "actor": "sam"})
    assert response.status_code == 200
    assert response.context["filters"] == {"actor": "sam", "contract": "", "action": ""}
    assert [e.actor for e in response.context["page"]] == ["sam"]


def test_the_contract_list_keeps_the_valid_filters(client: Client, author: Any, viewer: Any) -> None:
    contract_publish(document=make_doc(), actor=author.username)
    contract_publish(document=make_doc("hr.people"), actor=author.username)
    client.force_login(viewer)
    response = client.get("/", {"sort": "bogus", "q": "people"})
    assert response.status_code == 200
    assert response.context["filters"]["q"] == "people" and response.context["filters"]["sort"] == ""
    assert [c.contract_id for c in response.context["page"]] == ["hr.people"]
