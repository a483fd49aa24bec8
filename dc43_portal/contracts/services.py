"""The one write path: every change to a contract goes through here, then the store, then the mirror.

Order of a write: lock the contract row, read the store, apply the guards, write the store, then
write the mirror and its audit event in the same transaction. A failed store write leaves the mirror
untouched; a failed mirror write after a store write is repaired by ``sync_contracts``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F

from dc43_portal import odcs, statuses
from dc43_portal.contracts import compatibility, lifecycle
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.mirror import mirror_version, record_event
from dc43_portal.contracts.models import Contract, ContractVersion, LifecycleEvent
from dc43_portal.errors import ContractConflict, StaleWrite
from dc43_portal.stores.interface import ContractStore
from dc43_portal.versioning import build_clash

Action = LifecycleEvent.Action


@dataclass
class PublishResult:
    version: ContractVersion
    created: bool
    changed: bool
    warnings: list[str] = field(default_factory=list)


def document_parse(data: bytes | str) -> dict[str, Any]:
    """Parse an uploaded document under the configured size limit."""
    return odcs.parse_document(data, max_bytes=settings.DC43_MAX_DOCUMENT_BYTES)


def document_validate(doc: dict[str, Any]) -> odcs.Verdict:
    return odcs.validate_document(doc, mode=settings.DC43_VALIDATION, max_depth=settings.DC43_MAX_PROPERTY_DEPTH)


def contract_lock(contract_id: str) -> Contract:
    """Serialise writes to one contract: a row lock on PostgreSQL, the write lock on SQLite."""
    contract, _ = Contract.objects.get_or_create(contract_id=contract_id)
    Contract.objects.filter(pk=contract.pk).update(updated_at=F("updated_at"))
    return Contract.objects.select_for_update().get(pk=contract.pk)


def contract_publish(
    *,
    document: dict[str, Any] | bytes | str,
    actor: str,
    expected_fingerprint: str | None = None,
    keep_status: bool = False,
    comment: str = "",
    source: str = "ui",
) -> PublishResult:
    """Validate and store one version; a new or replaced version is a Draft unless ``keep_status``."""
    doc = document_parse(document) if isinstance(document, bytes | str) else odcs.as_document(document)
    status, status_warning = statuses.import_status(doc.get("status")) if keep_status else (statuses.DRAFT, None)
    doc = odcs.with_status(doc, status)
    verdict = document_validate(doc)
    warnings = ([status_warning] if status_warning else []) + verdict.warnings
    # Breaking changes since the last Validated version are a warning here; approval enforces them.
    warnings += compatibility.publish_warnings(doc)
    store = default_store()
    with transaction.atomic():
        contract_lock(doc["id"])
        existing = _stored(store, doc["id"], doc["version"])
        fingerprint = odcs.fingerprint(doc)
        if existing is not None:
            old_status = statuses.import_status(existing.get("status"))[0]
            if expected_fingerprint and expected_fingerprint != odcs.fingerprint(existing):
                raise StaleWrite(f"{doc['id']} {doc['version']} changed since you loaded it; reload and retry")
            if odcs.fingerprint(existing) == fingerprint and (old_status == status or not keep_status):
                row = mirror_version(
                    doc=odcs.with_status(doc, old_status), status=old_status, actor=actor, warnings=warnings
                )
                return PublishResult(version=row, created=False, changed=False, warnings=warnings)
            if not lifecycle.can_replace(old_status):
                raise ContractConflict(
                    f"{doc['id']} {doc['version']} is {statuses.label(old_status)} and cannot change; "
                    "publish a new version instead"
                )
        else:
            if expected_fingerprint:
                raise StaleWrite(
                    f"{doc['id']} {doc['version']} does not exist, so it cannot match the expected fingerprint"
                )
            clash = build_clash(store.list_versions(doc["id"]), doc["version"])
            if clash:
                raise ContractConflict(f"{doc['version']} differs from the existing {clash} only in build metadata")
        if status == statuses.ACTIVE and not keep_status:
            guard_downgrade(doc["id"], doc["version"])
        store.put(doc, actor=actor)
        row = mirror_version(doc=doc, status=status, actor=actor, warnings=warnings)
        action = Action.IMPORT if source == "import" else (Action.REPLACE if existing is not None else Action.PUBLISH)
        record_event(
            contract_id=doc["id"],
            version=doc["version"],
            action=action,
            actor=actor,
            from_status=statuses.import_status(existing.get("status"))[0] if existing else "",
            to_status=status,
            comment=comment,
            fingerprint=fingerprint,
            source=source,
            details={"warnings": warnings} if warnings else {},
        )
    return PublishResult(version=row, created=existing is None, changed=True, warnings=warnings)


def _stored(store: ContractStore, contract_id: str, version: str) -> dict[str, Any] | None:
    if version not in store.list_versions(contract_id):
        return None
    return store.get_document(contract_id, version)


def guard_downgrade(contract_id: str, version: str) -> None:
    active = list(
        ContractVersion.objects.filter(
            contract__contract_id=contract_id, status=statuses.ACTIVE, in_store=True
        ).values_list("version", flat=True)
    )
    problem = lifecycle.downgrade_problem(version, active)
    if problem:
        raise ContractConflict(f"downgrade refused: {problem}")


def store_write_status(store: ContractStore, contract_id: str, version: str, status: str, *, actor: str) -> None:
    """Put the status into the store, natively or by rewriting the document (same fingerprint)."""
    if store.supports_status:
        store.set_status(contract_id, version, status, actor=actor)
    else:
        store.put(odcs.with_status(store.get_document(contract_id, version), status), actor=actor)


# Lifecycle orchestration lives in its own module (split by concern); callers import it from here.
from dc43_portal.contracts.services_admin import contract_delete as contract_delete  # noqa: E402
from dc43_portal.contracts.services_lifecycle import contract_transition as contract_transition  # noqa: E402
