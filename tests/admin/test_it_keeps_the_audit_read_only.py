"""Lifecycle events are read-only in the admin and cannot be deleted there, not even by a superuser."""

from __future__ import annotations

from typing import Any

import pytest

from dc43_portal.contracts.models import LifecycleEvent
from tests.admin.conftest import EVENTS
from tests.fixtures.cast import login

pytestmark = pytest.mark.database


def test_it_shows_an_event_without_a_save_button(superuser: Any, validated: Any) -> None:
    event = LifecycleEvent.objects.get(action="approve")
    response = login(superuser).get(f"{EVENTS}{event.pk}/change/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="_save"' not in body and "/delete/" not in body
    assert 'href="/contracts/sales.orders/versions/1.0.0/"' in body


def test_it_refuses_edits_and_deletes(superuser: Any, validated: Any) -> None:
    client = login(superuser)
    event = LifecycleEvent.objects.get(action="approve")
    assert client.post(f"{EVENTS}{event.pk}/change/", {"actor": "mallory", "comment": "x"}).status_code == 403
    assert client.post(f"{EVENTS}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get(f"{EVENTS}add/").status_code == 403
    client.post(EVENTS, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    event.refresh_from_db()
    assert event.actor == "sam"  # the cast's validated version was approved by sam
    assert LifecycleEvent.objects.count() == 3
