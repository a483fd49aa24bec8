"""Reconcile the metadata mirror with a store: the store wins on status, content changes on
unchangeable versions are reported and never mirrored, and a rerun changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from dc43_portal import odcs, statuses
from dc43_portal.contracts import lifecycle
from dc43_portal.contracts.handler import DEFAULT_ALIAS, contract_stores
from dc43_portal.contracts.mirror import mirror_version, record_event, refresh_summary
from dc43_portal.contracts.models import Contract, ContractVersion, LifecycleEvent
from dc43_portal.contracts.services import compatibility
from dc43_portal.contracts.services.common import document_validate
from dc43_portal.errors import InvalidContract, PortalError, StoreUnavailable
from dc43_portal.stores.interface import ContractStore
from dc43_portal.versioning import parse_version


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    # Versions the store holds under a name that is not SemVer: never listed, so named here with the rule.
    hidden: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def consistent(self) -> bool:
        return not (self.orphaned or self.conflicts or self.hidden)


def contract_sync(*, alias: str = DEFAULT_ALIAS, actor: str = "system") -> SyncReport:
    """Walk every version in the store, then flag mirror rows the store no longer has."""
    store = contract_stores[alias]
    report = SyncReport()
    try:
        in_store = {cid: store.list_versions(cid) for cid in store.list_contracts()}
    except OSError as exc:
        raise StoreUnavailable(f"store {alias!r} cannot be listed: {exc}") from exc
    for contract_id, versions in in_store.items():
        # One transaction and one summary per contract: a commit per version made a large sync crawl.
        with transaction.atomic():
            changed = [_sync_version(store, contract_id, version, actor, report) for version in versions]
            if any(changed):
                refresh_summary(Contract.objects.get(contract_id=contract_id))
    report.hidden = hidden_versions(store)
    for row in ContractVersion.objects.select_related("contract").filter(in_store=True):
        if row.version not in in_store.get(row.contract.contract_id, []):
            row.in_store = False
            row.save(update_fields=["in_store"])
            refresh_summary(row.contract)
    missing = ContractVersion.objects.filter(in_store=False).values_list("contract__contract_id", "version")
    report.orphaned = [f"{cid} {v}: in the mirror but not in the store" for cid, v in missing]
    return report


def hidden_versions(store: ContractStore) -> list[str]:
    """``"{id} {version}: {rule}"`` for every version the store holds but the portal cannot list."""
    unserved = getattr(store, "unserved_versions", None)
    if unserved is None:
        return []
    found = []
    for contract_id, version in unserved():
        try:
            parse_version(version)
        except InvalidContract as exc:
            found.append(f"{contract_id} {version}: hidden, {exc}; rename it (docs/dc43-pipelines.md)")
    return found


def _sync_version(store: ContractStore, contract_id: str, version: str, actor: str, report: SyncReport) -> bool:
    """Mirror one stored version; ``True`` when its row changed."""
    label = f"{contract_id} {version}"
    try:
        doc = store.get_document(contract_id, version)
    except StoreUnavailable:
        raise  # a store that goes down mid-sync is unavailable (exit 2), not a per-version conflict
    except PortalError as exc:
        report.conflicts.append(f"{label}: unreadable in the store ({exc})")
        return False
    try:
        # Written by another tool, it may hold what the mirror cannot keep (a NUL, a 20-digit major).
        odcs.check_values(doc)
        parse_version(version)
    except InvalidContract as exc:
        report.conflicts.append(f"{label}: cannot be mirrored ({exc}); not mirrored")
        return False
    status, _ = statuses.import_status(doc.get("status"))
    fingerprint = odcs.fingerprint(doc)
    row = ContractVersion.objects.filter(contract__contract_id=contract_id, version=version).first()
    if row and row.fingerprint == fingerprint and row.status == status and row.in_store:
        report.unchanged += 1
        return False
    if row and row.fingerprint != fingerprint and not lifecycle.can_replace(row.status):
        report.conflicts.append(
            f"{label}: the store holds different content for a {statuses.label(row.status)} version; not mirrored"
        )
        return False
    with transaction.atomic():
        Contract.objects.get_or_create(contract_id=contract_id)
        mirror_version(doc=doc, status=status, actor=actor, warnings=_warnings(doc, row, fingerprint), summary=False)
        record_event(
            contract_id=contract_id,
            version=version,
            action=LifecycleEvent.Action.SYNC,
            actor=actor,
            from_status=row.status if row else "",
            to_status=status,
            fingerprint=fingerprint,
            source="sync",
            comment="added from the store" if row is None else "updated from the store",
        )
    (report.added if row is None else report.updated).append(label)
    return True


def _warnings(doc: dict[str, Any], row: ContractVersion | None, fingerprint: str) -> list[str]:
    """Keep a row's warnings while its content is unchanged; otherwise validate the stored document again."""
    if row is not None and row.fingerprint == fingerprint:
        return list(row.warnings)
    try:
        return document_validate(doc).warnings + compatibility.publish_warnings(doc)
    except InvalidContract as exc:
        return [f"the stored document fails validation: {exc}"]
