"""An admin action on a selection that holds non-ids does nothing and says so; Django's admin answered 500.

Found by the QA sweep: ``_selected_action=abc`` (ValueError) or an id past 2^63 (OverflowError on SQLite)
reached the queryset of the lifecycle actions and of the token revocation.
"""

from __future__ import annotations

from typing import Any

import pytest

from dc43_portal.api.models import ApiToken
from dc43_portal.api.tokens import token_create
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from tests.admin.conftest import VERSIONS
from tests.fixtures.cast import login

pytestmark = pytest.mark.database
BAD_SELECTIONS = [["abc"], ["99999999999999999999999"], ["1", "-1"], ["²"]]


@pytest.mark.parametrize("selected", BAD_SELECTIONS)
def test_a_lifecycle_action_refuses_non_ids(superuser: Any, proposed: ContractVersion, selected: list[str]) -> None:
    events = LifecycleEvent.objects.count()
    data = {"action": "approve", "_selected_action": selected, "post": "yes", "comment": "ok"}
    response = login(superuser).post(VERSIONS, data, follow=True)
    assert response.status_code == 200
    assert "Nothing was done: the selection holds ids that are not rows of this list." in response.content.decode()
    assert ContractVersion.objects.get().status == "proposed"
    assert LifecycleEvent.objects.count() == events


@pytest.mark.parametrize("selected", BAD_SELECTIONS)
def test_revoking_tokens_refuses_non_ids(superuser: Any, steward: Any, selected: list[str]) -> None:
    token = token_create(user=steward, name="ci", scopes="read")[0]
    data = {"action": "revoke", "_selected_action": selected, "index": "0"}
    response = login(superuser).post("/admin/api/apitoken/", data, follow=True)
    assert response.status_code == 200
    assert "Nothing was done" in response.content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
