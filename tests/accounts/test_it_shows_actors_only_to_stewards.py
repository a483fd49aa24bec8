"""Security finding 6: the activity page listed every account name to any signed-in user. Now only stewards
and admins see who did what; others see what happened."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.fixtures.cast import publish, transition

pytestmark = pytest.mark.database


def _page(user: Any, query: str = "") -> str:
    client = Client()
    client.force_login(user)
    return client.get(f"/activity/{query}").content.decode()


@pytest.fixture
def history(author: Any, steward: Any) -> None:
    publish(author)
    transition(author, "proposed")
    transition(steward, "active")


def test_a_viewer_sees_events_without_names(history: None, viewer: Any) -> None:
    page = _page(viewer)
    assert "sales.orders" in page and "Approved" in page
    assert "alice" not in page and "sam" not in page and ">Who<" not in page


def test_a_viewer_cannot_filter_by_person(history: None, viewer: Any) -> None:
    page = _page(viewer, "?actor=sam")
    assert 'name="actor"' not in page and "sam" not in page
    assert "Published" in page  # the filter is ignored, not used to probe who did what


def test_an_author_sees_no_names_either(history: None, author2: Any) -> None:
    assert "sam" not in _page(author2)


def test_a_steward_and_an_admin_see_them(history: None, steward2: Any, admin_user: Any) -> None:
    for user in (steward2, admin_user):
        page = _page(user)
        assert "alice" in page and "sam" in page and ">Who<" in page
