"""The one write path: every change to a contract goes through here, then the store, then the mirror.

Order of a write: lock the contract row, read the store, apply the guards, write the mirror and its
audit event, then write the store, all in one transaction. A refused mirror or audit row leaves the
store untouched, and a failed store write rolls the mirror back; a commit that fails after the store
write (rare) is repaired by ``sync_contracts``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from dc43_portal import odcs, statuses
from dc43_portal.contracts import lifecycle
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.mirror import mirror_version, record_event
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent, VersionSource
from dc43_portal.contracts.services import compatibility
from dc43_portal.contracts.services.common import contract_lock, document_parse, document_validate, guard_downgrade
from dc43_portal.errors import ContractConflict, ContractNotFound, StaleWrite, StoreUnavailable
from dc43_portal.sourcelines import is_yaml_text
from dc43_portal.stores.interface import ContractStore
from dc43_portal.versioning import build_clash

Action = LifecycleEvent.Action


@dataclass
class PublishResult:
    version: ContractVersion
    created: bool
    changed: bool
    warnings: list[str] = field(default_factory=list)


def contract_publish(
    *,
    document: dict[str, Any] | bytes | str,
    actor: str,
    expected_fingerprint: str | None = None,
    keep_status: bool = False,
    create_only: bool = False,
    comment: str = "",
    source: str = "ui",
    source_text: str | None = None,
) -> PublishResult:
    """Validate and store one version; a new or replaced version is a Draft unless ``keep_status``.

    ``create_only`` refuses an existing version, so two authors creating the same version cannot
    silently replace each other's Draft. ``source_text``, the author's YAML, is kept beside the version.
    """
    doc, status, warnings = _prepare(document, keep_status)
    store = default_store()
    with transaction.atomic():
        contract_lock(doc["id"])
        existing = _stored(store, doc["id"], doc["version"])
        noop = _refuse_or_noop(store, doc, existing, expected_fingerprint, keep_status, create_only)
        if noop and existing is not None:
            row = _mirror_noop(existing, warnings, actor)
            _keep_source(row, doc, source_text)
            return PublishResult(version=row, created=False, changed=False, warnings=warnings)
        row = mirror_version(doc=doc, status=status, actor=actor, warnings=warnings)
        _keep_source(row, doc, source_text)
        action = Action.IMPORT if source == "import" else (Action.REPLACE if existing is not None else Action.PUBLISH)
        record_event(
            contract_id=doc["id"],
            version=doc["version"],
            action=action,
            actor=actor,
            from_status=statuses.import_status(existing.get("status"))[0] if existing else "",
            to_status=status,
            comment=comment,
            fingerprint=odcs.fingerprint(doc),
            source=source,
            details={"warnings": warnings} if warnings else {},
        )
        # The store last: a refused mirror or audit row rolls back before anything reached the store.
        try:
            store.put(doc, actor=actor)
        except ContractNotFound:
            raise  # an OSError too, but not a store fault
        except OSError as exc:
            raise StoreUnavailable(f"the store could not write {doc['id']} {doc['version']}: {exc}") from exc
    return PublishResult(version=row, created=existing is None, changed=True, warnings=warnings)


@dataclass
class PublishCheck:
    """What ``contract_publish`` would store (the document with its status) and the warnings it would give."""

    document: dict[str, Any]
    changed: bool
    warnings: list[str] = field(default_factory=list)


def contract_publish_check(
    *,
    document: dict[str, Any] | bytes | str,
    expected_fingerprint: str | None = None,
    keep_status: bool = False,
    create_only: bool = False,
) -> PublishCheck:
    """Raise what ``contract_publish`` would refuse, without writing anything: for forms that validate first.

    The write may still be refused later (another write in between); ``contract_publish`` checks again
    under the contract's lock.
    """
    doc, _, warnings = _prepare(document, keep_status)
    store = default_store()
    existing = _stored(store, doc["id"], doc["version"])
    noop = _refuse_or_noop(store, doc, existing, expected_fingerprint, keep_status, create_only)
    return PublishCheck(document=doc, changed=not noop, warnings=warnings)


def _refuse_or_noop(
    store: ContractStore,
    doc: dict[str, Any],
    existing: dict[str, Any] | None,
    expected: str | None,
    keep_status: bool,
    create_only: bool,
) -> bool:
    """Raise when the write is refused; True when it changes nothing."""
    if existing is not None and create_only:
        # A precondition, like If-None-Match: *: the API answers 412, the editor a conflict message.
        raise StaleWrite(f"{doc['id']} {doc['version']} already exists; edit it or choose another version")
    if existing is not None and _is_noop(existing, doc, expected, keep_status):
        return True
    _guard_write(store, doc, existing, expected, keep_status)
    return False


def _keep_source(row: ContractVersion, doc: dict[str, Any], source_text: str | None) -> None:
    """Keep the author's YAML with its comments; a JSON or model write leaves the old text to go stale."""
    if source_text is not None and is_yaml_text(source_text):
        text = source_text.removeprefix("\ufeff")
        VersionSource.objects.update_or_create(
            version=row, defaults={"text": text, "fingerprint": odcs.fingerprint(doc)}
        )


def _prepare(document: dict[str, Any] | bytes | str, keep_status: bool) -> tuple[dict[str, Any], str, list[str]]:
    """Parse and validate outside the transaction: the document with its status, the status, the warnings."""
    if isinstance(document, bytes | str):
        doc = document_parse(document)
    else:
        doc = odcs.as_document(document)
        odcs.check_values(doc)  # a mapping from an import skipped parsing, where these are checked
    status, status_warning = statuses.import_status(doc.get("status")) if keep_status else (statuses.DRAFT, None)
    doc = odcs.with_status(doc, status)
    warnings = ([status_warning] if status_warning else []) + document_validate(doc).warnings
    # Breaking changes since the last Validated version are a warning here; approval enforces them.
    warnings += compatibility.publish_warnings(doc)
    return doc, status, warnings


def _is_noop(existing: dict[str, Any], doc: dict[str, Any], expected: str | None, keep_status: bool) -> bool:
    """Identical content is a no-op (an import may still change a Draft's status)."""
    if expected and expected != odcs.fingerprint(existing):
        raise StaleWrite(f"{doc['id']} {doc['version']} changed since you loaded it; reload and retry")
    same_status = statuses.import_status(existing.get("status"))[0] == doc["status"]
    return odcs.fingerprint(existing) == odcs.fingerprint(doc) and (same_status or not keep_status)


def _mirror_noop(existing: dict[str, Any], warnings: list[str], actor: str) -> ContractVersion:
    """Repair the mirror row only when it is missing or differs, so a no-op never rewrites who edited it."""
    status = statuses.import_status(existing.get("status"))[0]
    row = ContractVersion.objects.filter(contract__contract_id=existing["id"], version=existing["version"]).first()
    if row is not None and row.in_store and row.status == status and row.fingerprint == odcs.fingerprint(existing):
        return row
    return mirror_version(doc=existing, status=status, actor=actor, warnings=warnings)


def _guard_write(
    store: ContractStore, doc: dict[str, Any], existing: dict[str, Any] | None, expected: str | None, keep_status: bool
) -> None:
    """Immutability, If-Match on a missing version, build-metadata clashes and the downgrade guard."""
    if existing is not None:
        old_status = statuses.import_status(existing.get("status"))[0]
        if not lifecycle.can_replace(old_status):
            raise ContractConflict(
                f"{doc['id']} {doc['version']} is {statuses.label(old_status)} and cannot change; "
                "publish a new version instead"
            )
    else:
        if expected:
            raise StaleWrite(
                f"{doc['id']} {doc['version']} does not exist, so it cannot match the expected fingerprint"
            )
        clash = build_clash(store.list_versions(doc["id"]), doc["version"])
        if clash:
            raise ContractConflict(f"{doc['version']} differs from the existing {clash} only in build metadata")
    if doc["status"] == statuses.ACTIVE and not keep_status:
        guard_downgrade(doc["id"], doc["version"])


def _stored(store: ContractStore, contract_id: str, version: str) -> dict[str, Any] | None:
    if version not in store.list_versions(contract_id):
        return None
    return store.get_document(contract_id, version)
