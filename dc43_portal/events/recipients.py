"""Who hears of what. ``stewards_for`` is the ONE answer to "who are the stewards of this contract" (the
domain's and the global stewards, from ``accounts.roles``); ``may_approve`` answers "what may this user
approve" with the same roles and the lifecycle rules.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from dc43_portal.accounts import roles
from dc43_portal.contracts import lifecycle
from dc43_portal.contracts.models import Contract, ContractVersion
from dc43_portal.events.models import NotificationPreference, Watch


def stewards_for(contract: Contract | str) -> QuerySet[Any]:
    """Active users holding the steward role for ``contract`` (an id or a row): a steward of its domain or
    a global one (DESIGN §10; ``accounts.roles`` owns the assignments), or a superuser."""
    if isinstance(contract, Contract):
        domain = contract.domain
    else:
        domain = Contract.objects.filter(contract_id=contract).values_list("domain", flat=True).first() or ""
    domains = sorted({roles.GLOBAL, domain})
    steward = lifecycle.STEWARD
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(role_assignments__role=steward, role_assignments__domain__in=domains)
            | Q(groups__role_assignments__role=steward, groups__role_assignments__domain__in=domains)
        )
        .distinct()
    )


def approvers_for(row: ContractVersion) -> list[Any]:
    """Stewards of the contract whom the lifecycle rules let approve this version now (four eyes)."""
    from dc43_portal.contracts.services.lifecycle import version_facts

    facts = version_facts(row)
    return [
        user
        for user in stewards_for(row.contract).order_by("pk")
        if lifecycle.transition_refusal(facts, roles.actor_in(user, row.contract.domain), "active", "-") is None
    ]


def author_of(row: ContractVersion | None, event_data: dict[str, Any]) -> list[Any]:
    """Who submitted the version (else who created it): the person told of its approval or rejection."""
    username = (row.submitted_by or row.created_by) if row is not None else ""
    if not username:
        return []
    return list(get_user_model().objects.filter(username=username, is_active=True))


def mentioned_in(contract_id: str, usernames: list[str]) -> list[Any]:
    """The active users ``@named`` in a comment who may read the contract (a mail quotes the comment)."""
    domain = Contract.objects.filter(contract_id=contract_id).values_list("domain", flat=True).first() or ""
    named = get_user_model().objects.filter(username__in=[str(name) for name in usernames], is_active=True)
    return [user for user in named.order_by("pk") if roles.can_read(user, domain)]


def watchers_of(contract_id: str) -> list[Any]:
    return [w.user for w in Watch.objects.filter(contract_id=contract_id, user__is_active=True).select_related("user")]


def level_of(user: Any) -> str:
    pref = NotificationPreference.objects.filter(user=user).values_list("level", flat=True).first()
    return pref or NotificationPreference.Level.ALL


def may_approve(user: Any, rows: list[ContractVersion]) -> list[ContractVersion]:
    """The rows (In review) ``user`` may approve now: a steward of their domain, and four eyes hold."""
    from dc43_portal.contracts.services.lifecycle import versions_facts

    if not getattr(user, "is_authenticated", False) or not rows:
        return []
    stewarded = roles.grants_of(user).domains_of(lifecycle.STEWARD)  # None: every domain
    rows = [row for row in rows if stewarded is None or (row.contract.domain and row.contract.domain in stewarded)]
    return [
        row
        for row, facts in zip(rows, versions_facts(rows), strict=True)
        if lifecycle.transition_refusal(facts, roles.actor_in(user, row.contract.domain), "active", "-") is None
    ]
