"""An author withdraws their own submission and discards their own Draft: in the pages, without JavaScript."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from dc43_portal import statuses
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.lifecycle import ActorFacts, VersionFacts, allowed_transitions, discard_refusal
from dc43_portal.contracts.models import Contract, ContractVersion, LifecycleEvent
from tests.fixtures.cast import publish

PAGE = reverse("contracts:version", args=["sales.orders", "1.0.0"])
MOVE = reverse("contracts:transition", args=["sales.orders", "1.0.0"])
DISCARD = reverse("contracts:discard", args=["sales.orders", "1.0.0"])


def test_the_rules_let_only_the_submitter_withdraw_and_only_the_creator_discard() -> None:
    proposed = VersionFacts(statuses.PROPOSED, created_by="alice", submitted_by="alice")
    assert [t.action for t in allowed_transitions(proposed, ActorFacts("alice", is_author=True))] == ["withdraw"]
    assert allowed_transitions(proposed, ActorFacts("arthur", is_author=True)) == []
    # A steward who submitted may both reject and withdraw: two buttons, told apart by their action.
    both = ActorFacts("alice", is_author=True, is_steward=True)
    assert [t.action for t in allowed_transitions(proposed, both)] == ["reject", "withdraw"]
    draft = VersionFacts(statuses.DRAFT, created_by="alice")
    assert discard_refusal(draft, ActorFacts("alice", is_author=True)) is None
    assert discard_refusal(draft, ActorFacts("arthur", is_author=True)).kind == "permission"  # type: ignore[union-attr]
    assert discard_refusal(draft, ActorFacts("alice")).kind == "permission"  # type: ignore[union-attr]
    assert discard_refusal(proposed, ActorFacts("alice", is_author=True)).kind == "state"  # type: ignore[union-attr]


def test_it_withdraws_a_submission_with_post_redirect_get(client: Client, proposed: Any, author: Any) -> None:
    client.force_login(author)
    assert 'value="withdraw"' in client.get(PAGE).content.decode()
    response = client.post(MOVE, {"action": "withdraw", "comment": "one more column", "status": "proposed"})
    assert response.status_code == 302
    assert ContractVersion.objects.get().status == statuses.DRAFT
    assert default_store().get_document("sales.orders", "1.0.0")["status"] == "draft"
    event = LifecycleEvent.objects.get(action="withdraw")
    assert (event.actor, event.from_status, event.to_status, event.comment) == (
        "alice",
        "proposed",
        "draft",
        "one more column",
    )
    assert "withdrawn by its author" in client.get(PAGE).content.decode()


def test_another_author_cannot_withdraw(client: Client, proposed: Any, author2: Any) -> None:
    client.force_login(author2)
    assert 'value="withdraw"' not in client.get(PAGE).content.decode()
    response = client.post(MOVE, {"action": "withdraw", "status": "proposed"})
    assert response.status_code == 403
    assert "submitted this version may withdraw" in response.content.decode()
    assert ContractVersion.objects.get().status == statuses.PROPOSED
    assert not LifecycleEvent.objects.filter(action="withdraw").exists()


def test_it_discards_a_draft_after_confirmation(client: Client, draft: Any, author: Any) -> None:
    publish(author, "1.1.0")
    client.force_login(author)
    assert DISCARD in client.get(PAGE).content.decode()
    refused = client.post(DISCARD, {})
    assert refused.status_code == 400 and "Tick the box" in refused.content.decode()
    assert ContractVersion.objects.count() == 2
    response = client.post(DISCARD, {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == reverse("contracts:detail", args=["sales.orders"])
    assert list(ContractVersion.objects.values_list("version", flat=True)) == ["1.1.0"]
    assert default_store().list_versions("sales.orders") == ["1.1.0"]
    event = LifecycleEvent.objects.get(action="discard")
    assert (event.actor, event.from_status, event.source) == ("alice", "draft", "ui")


def test_discarding_the_last_version_removes_the_contract(client: Client, draft: Any, author: Any) -> None:
    client.force_login(author)
    response = client.post(DISCARD, {"confirm": "yes"})
    assert response["Location"] == reverse("contracts:list")
    assert not Contract.objects.exists()


def test_only_the_creator_may_discard_and_only_a_draft(
    client: Client, proposed: Any, author: Any, author2: Any, steward: Any
) -> None:
    client.force_login(author)
    assert DISCARD not in client.get(PAGE).content.decode()
    response = client.post(DISCARD, {"confirm": "yes"})
    assert response.status_code == 409 and "Only a Draft can be discarded" in response.content.decode()
    for user in (author2, steward):
        client.force_login(user)
        assert client.post(DISCARD, {"confirm": "yes"}).status_code == 403
    assert ContractVersion.objects.count() == 1
    assert default_store().list_versions("sales.orders") == ["1.0.0"]
    assert not LifecycleEvent.objects.filter(action="discard").exists()
