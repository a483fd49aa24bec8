"""Edit the portal-only fields of a contract (steward note, labels).

It takes the contract's row lock and record an audit event, like every other write in ``services``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from dc43_portal.accounts import roles
from dc43_portal.contracts import lifecycle
from dc43_portal.contracts.mirror import record_event
from dc43_portal.contracts.models import Contract, LifecycleEvent
from dc43_portal.contracts.services.common import contract_lock
from dc43_portal.errors import ContractNotFound, InvalidContract

Action = LifecycleEvent.Action
MAX_LABELS = 20
MAX_LABEL_LENGTH = 50


def can_annotate(user: Any, domain: str | None = None) -> bool:
    """Stewards (of ``domain``, or of some domain when not given), and whoever holds the model's change
    permission, edit the portal-only fields."""
    facts = roles.actor_anywhere(user) if domain is None else roles.actor_in(user, domain)
    return bool(facts.username) and (facts.is_steward or user.has_perm("contracts.change_contract"))


def clean_labels(raw: str | list[str]) -> list[str]:
    """Labels from a comma-separated text or a list: trimmed, de-duplicated, bounded."""
    items = raw.split(",") if isinstance(raw, str) else [str(x) for x in raw]
    labels: list[str] = []
    for item in (i.strip() for i in items):
        if not item or item in labels:
            continue
        if len(item) > MAX_LABEL_LENGTH or any(ord(ch) < 32 for ch in item):
            raise InvalidContract([("labels", f"a label is at most {MAX_LABEL_LENGTH} printable characters")])
        labels.append(item)
    if len(labels) > MAX_LABELS:
        raise InvalidContract([("labels", f"at most {MAX_LABELS} labels")])
    return labels


def contract_annotate(
    *, contract_id: str, user: Any, steward_note: str | None = None, labels: list[str] | None = None
) -> Contract:
    """Change the portal-only fields of a contract; each change is audited with its old and new value."""
    domain = Contract.objects.filter(contract_id=contract_id).values_list("domain", flat=True).first()
    if domain is None:
        raise ContractNotFound(f"contract {contract_id} not found")
    if not can_annotate(user, domain):
        raise PermissionDenied("Only stewards and administrators edit the steward note and labels.")
    username = lifecycle.ActorFacts.of(user).username
    with transaction.atomic():
        contract = contract_lock(contract_id)
        changes: dict[str, dict[str, Any]] = {}
        if steward_note is not None and steward_note.strip() != contract.steward_note:
            changes["steward_note"] = {"from": contract.steward_note, "to": steward_note.strip()}
        if labels is not None and clean_labels(labels) != contract.labels:
            changes["labels"] = {"from": contract.labels, "to": clean_labels(labels)}
        if not changes:
            return contract
        # Only these columns: a concurrent summary refresh keeps its own fields.
        Contract.objects.filter(pk=contract.pk).update(**{k: v["to"] for k, v in changes.items()})
        record_event(
            contract_id=contract_id,
            version="",
            action=Action.EDIT,
            actor=username,
            comment="edited " + ", ".join(k.replace("_", " ") for k in changes),
            source="admin",
            details=changes,
        )
    contract.refresh_from_db()
    return contract
