"""Writes to the metadata mirror: one version row, the contract summary and its audit event."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from dc43_portal import odcs
from dc43_portal.contracts.models import Contract, ContractVersion, LifecycleEvent
from dc43_portal.errors import ContractNotFound
from dc43_portal.events.outbox import event_emit
from dc43_portal.versioning import sort_fields, sort_versions


def owner_of(doc: dict[str, Any]) -> str:
    """The owner from ``team``: a member whose role names an owner, else the team name, else the first member."""
    team = doc.get("team")
    members = team.get("members") if isinstance(team, dict) else team
    members = [m for m in members or [] if isinstance(m, dict)]
    for member in members:
        if "owner" in str(member.get("role", "")).lower() and member.get("username"):
            return str(member["username"])[:200]
    if isinstance(team, dict) and team.get("name"):
        return str(team["name"])[:200]
    first = next((m.get("username") or m.get("name") for m in members if m.get("username") or m.get("name")), "")
    return str(first)[:200]


def property_names(doc: dict[str, Any]) -> list[str]:
    names: list[str] = []
    stack: list[Any] = list(doc.get("schema") or [])
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        if node.get("name"):
            names.append(str(node["name"]))
        stack.extend(node.get("properties") or [])
        if isinstance(node.get("items"), dict):
            stack.append(node["items"])
    return names


def team_names(doc: dict[str, Any]) -> list[str]:
    """Every member's username and name, and the team's name: stewards search for people."""
    team = doc.get("team")
    members = team.get("members") if isinstance(team, dict) else team
    names = [str(team["name"])] if isinstance(team, dict) and team.get("name") else []
    for member in members or []:
        if isinstance(member, dict):
            names += [str(member[k]) for k in ("username", "name") if member.get(k)]
    return names


def tags_of(doc: dict[str, Any]) -> list[str]:
    return [str(t) for t in doc.get("tags") or [] if isinstance(t, str | int | float)]


def mirror_version(
    *, doc: dict[str, Any], status: str, actor: str, warnings: list[str] | None = None, summary: bool = True
) -> ContractVersion:
    """Create or refresh the row of one version, then the contract summary (unless the caller does it once)."""
    contract, _ = Contract.objects.get_or_create(contract_id=doc["id"])
    schema = [s for s in doc.get("schema") or [] if isinstance(s, dict)]
    values: dict[str, Any] = {
        **sort_fields(doc["version"]),
        "status": status,
        "fingerprint": odcs.fingerprint(doc),
        "name": str(doc.get("name") or "")[:300],
        "api_version": str(doc.get("apiVersion") or "")[:20],
        "schema_count": len(schema),
        "property_count": len(property_names(doc)) - len([s for s in schema if s.get("name")]),
        "warnings": list(warnings or []),
        "updated_by": actor,
        "in_store": True,
    }
    row, created = ContractVersion.objects.get_or_create(
        contract=contract, version=doc["version"], defaults={**values, "created_by": actor}
    )
    if not created:
        if row.status != status:
            values |= {"status_changed_at": timezone.now(), "status_changed_by": actor}
        for key, value in values.items():
            setattr(row, key, value)
        row.save()
    if summary:
        refresh_summary(contract, doc)
    return row


def refresh_summary(contract: Contract, doc: dict[str, Any] | None = None) -> None:
    """Name, domain, owner, tags and search text come from the latest version's payload."""
    versions = list(contract.versions.filter(in_store=True).values_list("version", flat=True))
    latest = sort_versions(versions)[-1] if versions else ""
    if doc is None or doc.get("version") != latest:
        doc = _latest_document(contract.contract_id, latest) or doc or {}
    tags = tags_of(doc)
    contract.latest_version = latest
    contract.name = str(doc.get("name") or "")[:300]
    contract.description = _description(doc)
    contract.domain = str(doc.get("domain") or "")[:200]
    contract.owner = owner_of(doc)
    contract.tags = tags
    contract.tags_text = "|" + "|".join(t.lower() for t in tags) + "|" if tags else ""
    # The rest of the search document is the row itself (see migration 0009: tsvector or FTS5).
    contract.search_text = " ".join([*property_names(doc), *team_names(doc)])
    contract.save(update_fields=[*SUMMARY_FIELDS, "updated_at"])


SUMMARY_FIELDS = ["latest_version", "name", "description", "domain", "owner", "tags", "tags_text", "search_text"]


def _latest_document(contract_id: str, latest: str) -> dict[str, Any] | None:
    """The latest version's payload; ``None`` when the mirror lists a version the store no longer has."""
    if not latest:
        return None
    from dc43_portal.contracts.handler import default_store

    try:
        return default_store().get_document(contract_id, latest)
    except ContractNotFound:
        return None  # a stale mirror must not block writes; sync_contracts reports the orphan


def _description(doc: dict[str, Any]) -> str:
    description = doc.get("description")
    if isinstance(description, dict):
        return " ".join(str(v) for v in description.values() if isinstance(v, str))
    return str(description or "")


def user_id_of(username: str) -> int | None:
    """The id of the account called ``username`` (``None`` for "system", "sync" and other non-accounts)."""
    from django.contrib.auth import get_user_model

    model = get_user_model()
    return model.objects.filter(**{model.USERNAME_FIELD: username}).values_list("pk", flat=True).first()


def record_event(
    *,
    contract_id: str,
    version: str,
    action: str,
    actor: str,
    from_status: str = "",
    to_status: str = "",
    comment: str = "",
    fingerprint: str = "",
    source: str = "",
    details: dict[str, Any] | None = None,
    actor_user_id: int | None = None,
) -> LifecycleEvent:
    """The audit event (the actor's id: ``actor_user_id``, else the account named ``actor`` now) and, in the
    same transaction, its outbox event (DESIGN §9)."""
    if actor_user_id is None and actor:
        actor_user_id = user_id_of(actor)
    with transaction.atomic(savepoint=False):  # the caller's transaction, or one of its own
        event = LifecycleEvent.objects.create(
            contract_id=contract_id,
            version=version,
            action=action,
            actor=actor,
            actor_user_id=actor_user_id,
            from_status=from_status,
            to_status=to_status,
            comment=comment,
            fingerprint=fingerprint,
            source=source,
            details=details or {},
        )
        event_emit(event)
    return event
