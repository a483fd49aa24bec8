"""Helpers every write shares: parsing and validating under the settings, the contract lock, the
downgrade guard and the status write to a store."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import F

from dc43_portal import odcs, statuses
from dc43_portal.contracts import lifecycle
from dc43_portal.contracts.models import Contract, ContractVersion
from dc43_portal.errors import ContractConflict
from dc43_portal.stores.interface import ContractStore


def document_parse(data: bytes | str) -> dict[str, Any]:
    """Parse an uploaded document under the configured size limit."""
    return odcs.parse_document(data, max_bytes=settings.DC43_MAX_DOCUMENT_BYTES)


def document_validate(doc: dict[str, Any]) -> odcs.Verdict:
    return odcs.validate_document(doc, mode=settings.DC43_VALIDATION, max_depth=settings.DC43_MAX_PROPERTY_DEPTH)


def contract_lock(contract_id: str) -> Contract:
    """Serialise writes to one contract: a row lock on PostgreSQL, the write lock on SQLite."""
    for _ in range(3):  # a contract deleted with its last Draft while this waited for the lock is made again
        contract, _ = Contract.objects.get_or_create(contract_id=contract_id)
        Contract.objects.filter(pk=contract.pk).update(updated_at=F("updated_at"))
        locked = Contract.objects.select_for_update().filter(pk=contract.pk).first()
        if locked is not None:
            return locked
    raise ContractConflict(f"{contract_id} was deleted and created again meanwhile; retry")


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
