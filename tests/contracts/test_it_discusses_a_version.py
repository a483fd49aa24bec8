"""Discussions: comments with safe Markdown and @mentions, resolve, and change requests that an author turns
into a Draft; every write audited, bad input refused with nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import Comment, ContractVersion, LifecycleEvent

PAGE = reverse("contracts:version", args=["sales.orders", "1.0.0"])
POST = reverse("contracts:comment", args=["sales.orders", "1.0.0"])


def test_a_viewer_comments_with_markdown_and_a_mention(
    client: Client, validated: Any, viewer: Any, steward: Any
) -> None:
    client.force_login(viewer)
    body = "Could **amount** be a decimal, @sam? <script>alert(1)</script> [x](javascript:alert(1)) @nobody"
    response = client.post(POST, {"body": body})
    assert response.status_code == 302 and response["Location"].endswith("#discussion")
    comment = Comment.objects.get()
    assert (comment.author, comment.mentions) == ("victor", ["sam"])
    html = client.get(PAGE).content.decode().split('id="discussion"')[1]
    assert "<strong>amount</strong>" in html and '<strong class="mention">@sam</strong>' in html
    assert "<script>alert(1)" not in html and 'href="javascript' not in html and "@nobody" in html
    event = LifecycleEvent.objects.get(action="comment")
    assert (event.actor, event.details["mentions"], event.details["comment_id"]) == ("victor", ["sam"], comment.pk)


def test_it_resolves_and_refuses_what_it_cannot_keep(client: Client, validated: Any, viewer: Any, author2: Any) -> None:
    client.force_login(viewer)
    client.post(POST, {"body": "typo in the description"})
    comment = Comment.objects.get()
    for bad in ("", "   ", "x" * 10_001, "bell\x07"):
        client.post(POST, {"body": bad})
    assert Comment.objects.count() == 1 and LifecycleEvent.objects.filter(action="comment").count() == 1
    client.force_login(author2)
    assert client.post(reverse("contracts:comment_resolve", args=[comment.pk])).status_code == 302
    comment.refresh_from_db()
    assert comment.resolved_by == "arthur" and LifecycleEvent.objects.filter(action="resolve").count() == 1
    assert "Resolved by arthur" in client.get(PAGE).content.decode()
    assert client.post(reverse("contracts:comment_resolve", args=[999])).status_code == 404


def test_a_change_request_becomes_a_draft(client: Client, validated: Any, viewer: Any, author2: Any) -> None:
    client.force_login(viewer)
    assert "This is a change request" in client.get(PAGE).content.decode()
    client.post(POST, {"body": "Please add a currency column.", "change_request": "yes"})
    request = Comment.objects.get(change_request=True)
    accept = reverse("contracts:change_request_accept", args=[request.pk])
    assert client.post(accept).status_code == 302  # a viewer may not
    assert not ContractVersion.objects.filter(version="1.1.0").exists()
    client.force_login(author2)
    response = client.post(accept)
    assert response["Location"] == reverse("contracts:edit", args=["sales.orders", "1.1.0"])
    draft = ContractVersion.objects.get(version="1.1.0")
    assert (draft.status, draft.created_by) == ("draft", "arthur")
    assert default_store().get_document("sales.orders", "1.1.0")["status"] == "draft"
    request.refresh_from_db()
    assert (request.draft_version, request.resolved_by) == ("1.1.0", "arthur")
    assert client.post(accept).status_code == 302 and ContractVersion.objects.count() == 2  # only once


@pytest.mark.parametrize("fixture", ["draft", "proposed"])
def test_change_requests_are_for_validated_versions(client: Client, viewer: Any, fixture: str, request: Any) -> None:
    request.getfixturevalue(fixture)
    client.force_login(viewer)
    client.post(POST, {"body": "change it", "change_request": "yes"})
    assert not Comment.objects.exists()


def test_a_comment_emits_its_event_through_the_outbox(client: Client, validated: Any, viewer: Any) -> None:
    from dc43_portal.events.models import OutboxEvent

    client.force_login(viewer)
    client.post(POST, {"body": "Is amount in cents, @sam?"})
    event = OutboxEvent.objects.order_by("-id").first()
    assert event is not None and event.type == "io.dc43.contract.comment.added"
