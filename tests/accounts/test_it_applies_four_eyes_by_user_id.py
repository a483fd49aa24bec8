"""Security finding 9: four eyes compared usernames, so renaming an account let one person approve their own
edit. The audit now keeps the user id of every actor, four eyes compares ids, and pages show current names."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.apps import apps as live_apps
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.test import Client

from dc43_portal.contracts.models import LifecycleEvent
from dc43_portal.errors import ContractConflict
from tests.fixtures.cast import publish, transition

pytestmark = pytest.mark.database


def _rename(user: Any, name: str) -> None:
    user.username = name
    user.save()


def test_a_renamed_submitter_cannot_approve(author: Any) -> None:
    author.groups.add(Group.objects.get(name="stewards"))
    publish(author)
    transition(author, "proposed")
    _rename(author, "alice-renamed")
    with pytest.raises(ContractConflict, match="four eyes"):
        transition(type(author).objects.get(pk=author.pk), "active")


def test_a_renamed_last_editor_cannot_approve(author: Any, author2: Any) -> None:
    author.groups.add(Group.objects.get(name="stewards"))
    publish(author)
    transition(author2, "proposed")
    _rename(author, "someone-else")
    with pytest.raises(ContractConflict, match="edited this version last"):
        transition(type(author).objects.get(pk=author.pk), "active")


def test_a_new_account_taking_the_old_name_is_another_person(author: Any, author2: Any, steward: Any) -> None:
    publish(author)
    transition(author, "proposed")
    _rename(author, "alice-old")
    _rename(steward, "alice")  # a steward now carries the name the submitter had
    row = transition(type(steward).objects.get(pk=steward.pk), "active")
    assert row.status == "active"


def test_every_event_keeps_the_actor_id(author: Any, steward: Any) -> None:
    publish(author)
    transition(author, "proposed")
    transition(steward, "active")
    assert list(LifecycleEvent.objects.order_by("id").values_list("actor_user_id", flat=True)) == [
        author.pk,
        author.pk,
        steward.pk,
    ]


def test_pages_show_the_current_name(author: Any, steward: Any) -> None:
    publish(author)
    transition(author, "proposed")
    _rename(author, "alice-renamed")
    client = Client()
    client.force_login(steward)
    for url in ("/activity/", "/contracts/sales.orders/versions/1.0.0/", "/contracts/sales.orders/"):
        page = client.get(url).content.decode()
        assert "alice-renamed" in page, url
    assert "alice-renamed" in client.get("/activity/?actor=alice-renamed").content.decode()


def test_the_migration_fills_ids_from_usernames(author: Any, steward: Any) -> None:
    publish(author)
    LifecycleEvent.objects.create(contract_id="x", version="1.0.0", action="publish", actor="sam")
    LifecycleEvent.objects.create(contract_id="x", version="1.0.0", action="sync", actor="system")
    LifecycleEvent.objects.update(actor_user_id=None)
    migration = import_module("dc43_portal.contracts.migrations.0006_event_actor_user_id")
    migration.backfill(live_apps, None)
    ids = dict(LifecycleEvent.objects.values_list("actor", "actor_user_id"))
    assert ids == {"alice": author.pk, "sam": steward.pk, "system": None}


def test_a_viewer_still_cannot_approve_after_a_rename(author: Any, viewer: Any) -> None:
    publish(author)
    transition(author, "proposed")
    _rename(author, "alice-old")
    _rename(viewer, "alice")
    with pytest.raises(PermissionDenied):
        transition(type(viewer).objects.get(pk=viewer.pk), "active")
