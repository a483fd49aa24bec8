"""E-mail through a real SMTP server on 127.0.0.1: review requested to the stewards who may approve, the
outcome (with the reason) to the author, a deprecation to watchers; preferences all / mine / none."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest

from dc43_portal.accounts.models import RoleAssignment
from dc43_portal.contracts import services
from dc43_portal.events.models import MailReceipt, NotificationPreference, OutboxEvent, Watch
from dc43_portal.events.notify import notify_event
from dc43_portal.events.outbox import sequence_committed
from dc43_portal.events.worker import sweep
from tests.conftest import make_doc
from tests.events.conftest import Mailbox

pytestmark = pytest.mark.database


@pytest.fixture
def cast(author: Any, steward: Any, steward2: Any, viewer: Any) -> dict[str, Any]:
    for user in (author, steward, steward2, viewer):
        user.email = f"{user.username}@example.com"
        user.save()
    return {"author": author, "steward": steward, "steward2": steward2, "viewer": viewer}


def _submit(author: Any, capture: Any) -> None:
    with capture(execute=True):
        services.contract_publish(document=make_doc(), actor=author.username)
        services.contract_transition(contract_id="sales.orders", version="1.0.0", to_status="proposed", user=author)


def _submitted_unmailed(author: Any, capture: Any) -> OutboxEvent:
    """A submission whose mails have not gone out yet: ``notify_event`` is the test's to call."""
    _submit(author, capture)
    submitted = OutboxEvent.objects.get(type="io.dc43.contract.version.submitted")
    OutboxEvent.objects.filter(pk=submitted.pk).update(notified_at=None)
    return submitted


def test_it_asks_the_stewards_then_tells_the_author_why(
    cast: dict[str, Any], smtp: Mailbox, run_worker: Callable[[], None], django_capture_on_commit_callbacks: Any
) -> None:
    _submit(cast["author"], django_capture_on_commit_callbacks)
    run_worker()
    assert [s for s, _ in smtp.to("sam@example.com")] == ["[dc43] Review requested: sales.orders/1.0.0"]
    assert len(smtp.to("sue@example.com")) == 1
    assert smtp.to("victor@example.com") == [] and smtp.to("alice@example.com") == []
    with django_capture_on_commit_callbacks(execute=True):
        services.contract_transition(
            contract_id="sales.orders",
            version="1.0.0",
            to_status="draft",
            user=cast["steward"],
            comment="add a PII flag",
        )
    run_worker()
    ((subject, body),) = smtp.to("alice@example.com")
    assert subject == "[dc43] Sent back to Draft: sales.orders/1.0.0"
    assert (
        "Reason: add a PII flag" in body and "https://portal.example.com/contracts/sales.orders/versions/1.0.0/" in body
    )


def test_it_tells_watchers_of_a_deprecation(
    cast: dict[str, Any], smtp: Mailbox, run_worker: Callable[[], None], django_capture_on_commit_callbacks: Any
) -> None:
    _submit(cast["author"], django_capture_on_commit_callbacks)
    Watch.objects.create(user=cast["viewer"], contract_id="sales.orders")
    with django_capture_on_commit_callbacks(execute=True):
        services.contract_transition(
            contract_id="sales.orders", version="1.0.0", to_status="active", user=cast["steward"]
        )
        services.contract_transition(
            contract_id="sales.orders", version="1.0.0", to_status="deprecated", user=cast["steward"], comment="use 2.0"
        )
    run_worker()
    subjects = [s for s, _ in smtp.to("victor@example.com")]
    assert "[dc43] Deprecated: sales.orders/1.0.0" in subjects
    assert "[dc43] Approved: sales.orders/1.0.0" in [s for s, _ in smtp.to("alice@example.com")]


def test_it_follows_preferences(
    cast: dict[str, Any], smtp: Mailbox, run_worker: Callable[[], None], django_capture_on_commit_callbacks: Any
) -> None:
    NotificationPreference.objects.create(user=cast["steward"], level="none")
    NotificationPreference.objects.create(user=cast["steward2"], level="mine")
    _submit(cast["author"], django_capture_on_commit_callbacks)
    run_worker()
    assert smtp.to("sam@example.com") == [] and smtp.to("sue@example.com") == []


def test_it_sends_each_event_once(cast: dict[str, Any], smtp: Mailbox, django_capture_on_commit_callbacks: Any) -> None:
    submitted = _submitted_unmailed(cast["author"], django_capture_on_commit_callbacks)
    assert notify_event(submitted.pk) == 2
    assert notify_event(submitted.pk) == 0  # a sweep that enqueues it again sends nothing twice


def test_a_comment_mails_the_readers_it_mentions(
    cast: dict[str, Any],
    smtp: Mailbox,
    run_worker: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
    django_user_model: Any,
) -> None:
    _submit(cast["author"], django_capture_on_commit_callbacks)
    run_worker()
    smtp.messages.clear()
    fiona = django_user_model.objects.create_user(username="fiona", email="fiona@example.com")
    RoleAssignment.objects.create(user=fiona, role="viewer", domain="finance")  # cannot read a sales contract
    NotificationPreference.objects.create(user=cast["steward2"], level="mine")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(
            contract_id="sales.orders",
            version="1.0.0",
            user=cast["author"],
            body="@sam can you check the amounts? cc @sue @fiona @alice @nobody",
        )
    run_worker()
    ((subject, body),) = smtp.to("sam@example.com")
    assert subject == "[dc43] alice mentioned you: sales.orders/1.0.0"
    assert "Comment: @sam can you check the amounts?" in body and "the comment mentions you" in body
    # sue chose "only news of my own versions", fiona reads finance only, alice wrote it.
    assert smtp.to("sue@example.com") == smtp.to("fiona@example.com") == smtp.to("alice@example.com") == []


def test_a_mail_server_that_is_down_gets_the_mail_later(
    cast: dict[str, Any], smtp: Mailbox, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    submitted = _submitted_unmailed(cast["author"], django_capture_on_commit_callbacks)
    with socket.socket() as probe:  # a port nothing listens on: a real refusal
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.EMAIL_PORT, working = closed, settings.EMAIL_PORT
    assert notify_event(submitted.pk) == 0
    assert OutboxEvent.objects.get(pk=submitted.pk).notified_at is None  # given back
    assert sweep(0)["notifications"] == 1  # the worker's sweep enqueues it again
    settings.EMAIL_PORT = working
    assert notify_event(submitted.pk) == 2
    assert notify_event(submitted.pk) == 0
    assert len(smtp.to("sam@example.com")) == len(smtp.to("sue@example.com")) == 1


def test_only_a_comment_with_a_mention_waits_for_a_mail(cast: dict[str, Any]) -> None:
    services.contract_publish(document=make_doc(), actor=cast["author"].username)
    for body in ("looks fine", "@sam have a look"):
        services.comment_add(contract_id="sales.orders", version="1.0.0", user=cast["author"], body=body)
    sequence_committed()
    comments = OutboxEvent.objects.filter(type="io.dc43.contract.comment.added").order_by("id")
    assert [row.notified_at is None for row in comments] == [False, True]  # the plain one has nothing to mail


def test_a_failure_part_way_mails_the_rest_later_and_nobody_twice(
    cast: dict[str, Any], smtp: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    submitted = _submitted_unmailed(cast["author"], django_capture_on_commit_callbacks)
    smtp.busy = {"sue@example.com"}  # sam's mail goes, then the server answers 451 for sue's
    assert notify_event(submitted.pk) == 1
    assert OutboxEvent.objects.get(pk=submitted.pk).notified_at is None  # given back for the sweep
    smtp.busy = set()
    assert notify_event(submitted.pk) == 1  # sue's only: sam has his
    assert notify_event(submitted.pk) == 0
    assert len(smtp.to("sam@example.com")) == len(smtp.to("sue@example.com")) == 1
    assert sorted(MailReceipt.objects.values_list("address", flat=True)) == ["sam@example.com", "sue@example.com"]
