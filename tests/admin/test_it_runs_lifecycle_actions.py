"""Lifecycle actions on selected versions: an intermediate comment page, the steward rules, per-row results."""

from __future__ import annotations

from typing import Any

import pytest

from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from tests.admin.conftest import action
from tests.fixtures.cast import login, publish, transition

pytestmark = pytest.mark.database


def status(version: str = "1.0.0") -> str:
    return ContractVersion.objects.get(version=version).status


def texts(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_it_asks_for_a_comment_first(staff_steward2: Any, proposed: ContractVersion) -> None:
    response = action(login(staff_steward2), "approve", [proposed])
    assert response.status_code == 200
    assert response.templates[0].name == "admin/contracts/contractversion/action_confirm.html"
    assert "Comment (optional)" in response.content.decode()
    assert status() == "proposed"


def test_it_approves_through_the_service(staff_steward2: Any, proposed: ContractVersion) -> None:
    response = action(login(staff_steward2), "approve", [proposed], post="yes", comment="looks good")
    assert texts(response) == ["Approved: sales.orders 1.0.0."]
    assert status() == "active"
    assert default_store().get_document("sales.orders", "1.0.0")["status"] == "active"
    event = LifecycleEvent.objects.get(action="approve")
    assert (event.actor, event.source, event.comment) == ("sue", "admin", "looks good")


def test_it_applies_four_eyes(staff_steward: Any, steward: Any, author: Any) -> None:
    publish(steward)  # the steward wrote this Draft
    transition(author, "proposed")
    response = action(login(staff_steward), "approve", [ContractVersion.objects.get()], post="yes")
    [message] = texts(response)
    assert message.startswith("Refused: sales.orders 1.0.0.") and "four eyes" in message
    assert status() == "proposed"


def test_it_forecasts_refusals_on_the_intermediate_page(staff_steward: Any, steward: Any, author: Any) -> None:
    publish(steward)
    transition(author, "proposed")
    body = action(login(staff_steward), "approve", [ContractVersion.objects.get()]).content.decode()
    assert "will be refused:" in body and "four eyes" in body


def test_it_needs_a_reason_to_reject(staff_steward2: Any, proposed: ContractVersion) -> None:
    client = login(staff_steward2)
    response = client.post(
        "/admin/contracts/contractversion/",
        {"action": "reject", "_selected_action": [proposed.pk], "post": "yes", "comment": " "},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert status() == "proposed"
    done = action(client, "reject", [proposed], post="yes", comment="missing owner")
    assert texts(done) == ["Rejected: sales.orders 1.0.0."]
    assert status() == "draft"


def test_it_reports_each_row(staff_steward: Any, validated: ContractVersion, author: Any) -> None:
    draft = publish(author, "1.1.0")
    response = action(login(staff_steward), "deprecate", [validated, draft], post="yes", comment="superseded")
    done, refused = sorted(texts(response))
    assert done == "Deprecated: sales.orders 1.0.0."
    assert refused.startswith("Refused: sales.orders 1.1.0. A version cannot go from Draft to Deprecated")
    assert (status("1.0.0"), status("1.1.0")) == ("deprecated", "draft")


def test_it_reinstates_with_a_reason(staff_steward: Any, deprecated: ContractVersion) -> None:
    assert status() == "deprecated"
    response = action(login(staff_steward), "reinstate", [deprecated], post="yes", comment="still in use")
    assert texts(response) == ["Reinstated: sales.orders 1.0.0."]
    assert status() == "active"


def test_it_hides_steward_actions_from_authors(staff_author: Any, proposed: ContractVersion) -> None:
    client = login(staff_author)
    assert client.get("/admin/contracts/contractversion/").context["action_form"] is None
    action(client, "approve", [proposed], post="yes")
    assert status() == "proposed"


def test_it_offers_stewards_the_lifecycle_actions_but_not_the_bulk_delete(staff_steward2: Any) -> None:
    form = login(staff_steward2).get("/admin/contracts/contractversion/").context["action_form"]
    choices = [name for name, _ in form.fields["action"].choices]
    assert choices == ["", "approve", "reject", "deprecate", "reinstate"]
