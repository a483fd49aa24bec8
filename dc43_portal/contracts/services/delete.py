"""Delete a Draft from the default store and the mirror together, audited: an admin deletes, its author discards.

It takes the contract's row lock and records an audit event, like every other write in ``services``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from dc43_portal import odcs, statuses
from dc43_portal.accounts import roles
from dc43_portal.contracts import lifecycle
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.mirror import record_event, refresh_summary
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from dc43_portal.contracts.services.common import contract_lock
from dc43_portal.contracts.services.lifecycle import refusal_error, version_facts
from dc43_portal.errors import ContractConflict, ContractNotFound, StoreUnavailable
from dc43_portal.ids import check_contract_id
from dc43_portal.stores.interface import ContractStore
from dc43_portal.versioning import parse_version

Action = LifecycleEvent.Action
DELETE_PERMISSION = "contracts.delete_contractversion"


def can_delete(status: str) -> bool:
    """Only a Draft can be deleted: anything submitted, Validated or Deprecated may already be relied upon."""
    return status == statuses.DRAFT


def contract_delete(
    *, contract_id: str, version: str, user: Any, comment: str = "", source: str = "admin"
) -> LifecycleEvent:
    """Delete one Draft from the default store and the mirror together; returns the audit event."""
    check_contract_id(contract_id)
    parse_version(version)
    username = lifecycle.ActorFacts.of(user).username
    if not username or not user.has_perm(DELETE_PERMISSION):
        raise PermissionDenied("You are not allowed to delete contract versions.")
    return _delete(contract_id, version, username, comment, source, Action.DELETE, None)


def contract_discard(
    *, contract_id: str, version: str, user: Any, comment: str = "", source: str = "ui"
) -> LifecycleEvent:
    """An author discards a Draft they created (``lifecycle.discard_refusal``); audited as a discard."""
    check_contract_id(contract_id)
    parse_version(version)
    actor = lifecycle.ActorFacts.of(user)
    if not actor.username:
        raise PermissionDenied("Log in to discard a Draft.")
    return _delete(contract_id, version, actor.username, comment, source, Action.DISCARD, user)


def _delete(
    contract_id: str,
    version: str,
    username: str,
    comment: str,
    source: str,
    action: str,
    discarder: Any,
) -> LifecycleEvent:
    if not ContractVersion.objects.filter(contract__contract_id=contract_id, version=version).exists():
        raise ContractNotFound(f"contract {contract_id} {version} not found")
    store = default_store()
    if not store.supports_delete:
        raise ContractConflict(f"the contract store ({type(store).__name__}) cannot delete versions; nothing deleted")
    with transaction.atomic():
        contract = contract_lock(contract_id)
        row = ContractVersion.objects.filter(contract=contract, version=version).first()
        if row is None:  # deleted by a concurrent request while this one waited for the lock
            raise ContractNotFound(f"contract {contract_id} {version} not found")
        if discarder is not None:
            _check_discard(row, discarder)
        doc = store.get_document(contract_id, version) if store.exists(contract_id, version) else None
        # The store wins on status: a version approved there but not yet synced is not a Draft.
        status = statuses.import_status(doc.get("status"))[0] if doc is not None else row.status
        for found in (row.status, status):
            if not can_delete(found):
                raise ContractConflict(
                    f"{contract_id} {version} is {statuses.label(found)}: only Drafts can be deleted"
                )
        row.delete()
        if contract.versions.exists():
            refresh_summary(contract)
        else:
            contract.delete()
        event = record_event(
            contract_id=contract_id,
            version=version,
            action=action,
            actor=username,
            from_status=status,
            comment=comment.strip(),
            fingerprint=odcs.fingerprint(doc) if doc is not None else row.fingerprint,
            source=source,
            details={"in_store": doc is not None},
        )
        # The store last: a refused mirror or audit write rolls back with the document still there.
        if doc is not None:
            _store_delete(store, contract_id, version, username)
        return event


def _store_delete(store: ContractStore, contract_id: str, version: str, username: str) -> None:
    try:
        store.delete(contract_id, version, actor=username)
    except ContractNotFound:
        raise  # an OSError too, but not a store fault
    except OSError as exc:
        raise StoreUnavailable(f"the store could not delete {contract_id} {version}: {exc}") from exc


def _check_discard(row: ContractVersion, user: Any) -> None:
    """The rules decide with the roles of the contract's domain and the creator by user id."""
    refusal = lifecycle.discard_refusal(version_facts(row), roles.actor_in(user, row.contract.domain))
    if refusal:
        raise refusal_error(refusal)
