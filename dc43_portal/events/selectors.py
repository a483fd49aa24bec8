"""Reads for the events pages: "My work" (what awaits the signed-in user) and its nav count."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from dc43_portal import statuses
from dc43_portal.contracts import selectors as contract_selectors
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from dc43_portal.contracts.selectors.navcounts import cached_count
from dc43_portal.events import recipients
from dc43_portal.events.models import Delivery, Subscription, Watch

MAX_ROWS = 200


@dataclass
class SentBack:
    row: ContractVersion
    event: LifecycleEvent


@dataclass
class MyWork:
    to_approve: list[ContractVersion] = field(default_factory=list)
    sent_back: list[SentBack] = field(default_factory=list)
    waiting: list[ContractVersion] = field(default_factory=list)

    @property
    def actionable(self) -> int:
        return len(self.to_approve) + len(self.sent_back)


def my_work(user: Any) -> MyWork:
    if not getattr(user, "is_authenticated", False):
        return MyWork()
    username = user.get_username()
    queue = list(contract_selectors.review_queue()[:MAX_ROWS])
    return MyWork(
        to_approve=recipients.may_approve(user, queue),
        sent_back=sent_back(username),
        waiting=[row for row in queue if row.submitted_by == username],
    )


def actionable_count(user: Any) -> int:
    """The nav's "My work" count: ``my_work(user).actionable``, cached until the next audited write."""
    return cached_count("work", user, lambda: my_work(user).actionable)


def sent_back(username: str) -> list[SentBack]:
    """The user's Drafts whose last review step was a rejection, with the steward's reason."""
    drafts = list(
        ContractVersion.objects.filter(status=statuses.DRAFT, in_store=True)
        .filter(Q(submitted_by=username) | Q(created_by=username))
        .exclude(submitted_by="")
        .select_related("contract")[:MAX_ROWS]
    )
    if not drafts:
        return []
    steps = LifecycleEvent.objects.filter(
        contract_id__in={d.contract.contract_id for d in drafts},
        version__in={d.version for d in drafts},
        action__in=[LifecycleEvent.Action.SUBMIT, LifecycleEvent.Action.REJECT],
    ).order_by("created_at", "id")
    last = {(e.contract_id, e.version): e for e in steps}
    found = []
    for row in drafts:
        event = last.get((row.contract.contract_id, row.version))
        if event is not None and event.action == LifecycleEvent.Action.REJECT:
            found.append(SentBack(row=row, event=event))
    return sorted(found, key=lambda s: s.event.created_at, reverse=True)


def is_watching(user: Any, contract_id: str) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and Watch.objects.filter(user=user, contract_id=contract_id).exists()
    )


def subscriptions_with_counts() -> QuerySet[Subscription]:
    """Every subscription with its number of pending, delivered and failed deliveries (one query)."""
    return Subscription.objects.order_by("id").annotate(
        **{status: Count("deliveries", filter=Q(deliveries__status=status)) for status in Delivery.Status.values}
    )
