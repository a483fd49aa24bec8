"""Admin pages escape what documents, notes and labels say, as the steward pages do."""

from __future__ import annotations

from typing import Any

import pytest

from dc43_portal.contracts.models import Contract, LifecycleEvent
from dc43_portal.contracts.services import contract_annotate
from tests.admin.conftest import CONTRACTS, EVENTS, VERSIONS
from tests.fixtures.cast import login, publish

pytestmark = pytest.mark.database

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def hostile(author: Any, steward: Any) -> Contract:
    row = publish(author, name=SCRIPT, description={"purpose": SCRIPT}, tags=[SCRIPT])
    contract_annotate(contract_id="sales.orders", user=steward, steward_note=SCRIPT, labels=["<b>x</b>"])
    return row.contract


def test_it_escapes_lists_and_change_pages(superuser: Any, hostile: Contract) -> None:
    client = login(superuser)
    row = hostile.versions.get()
    event = LifecycleEvent.objects.get(action="edit")
    for url in [
        CONTRACTS,
        f"{CONTRACTS}{hostile.pk}/change/",
        VERSIONS,
        f"{VERSIONS}{row.pk}/change/",
        EVENTS,
        f"{EVENTS}{event.pk}/change/",
    ]:
        body = client.get(url).content.decode()
        assert "<script>alert" not in body, url
        assert "<b>x</b>" not in body, url
    change = client.get(f"{CONTRACTS}{hostile.pk}/change/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in change


def test_it_escapes_the_intermediate_action_page(superuser: Any, hostile: Contract) -> None:
    row = hostile.versions.get()
    data = {"action": "approve", "_selected_action": [row.pk], "index": "0"}
    body = login(superuser).post(VERSIONS, data).content.decode()
    assert "will be refused:" in body
    assert "<script>alert" not in body
