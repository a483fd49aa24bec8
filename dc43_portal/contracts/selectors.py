"""Reads for views and the API: the mirror for lists and filters, the store for payloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import Contract, ContractVersion, LifecycleEvent
from dc43_portal.errors import ContractNotFound
from dc43_portal.ids import check_contract_id
from dc43_portal.versioning import parse_version


def contract_search(
    *, query: str = "", status: str = "", domain: str = "", owner: str = "", tag: str = ""
) -> QuerySet[Contract]:
    contracts = Contract.objects.annotate(version_count=Count("versions")).filter(version_count__gt=0)
    for word in query.lower().split():
        contracts = contracts.filter(search_text__contains=word)
    if status:
        contracts = contracts.filter(versions__status=status).distinct()
    if domain:
        contracts = contracts.filter(domain=domain)
    if owner:
        contracts = contracts.filter(owner=owner)
    if tag:
        contracts = contracts.filter(tags_text__contains=f"|{tag.lower()}|")
    return contracts.order_by("contract_id")


def contract_get(contract_id: str) -> Contract:
    check_contract_id(contract_id)
    contract = Contract.objects.filter(contract_id=contract_id).first()
    if contract is None or not contract.versions.exists():
        raise ContractNotFound(f"contract {contract_id} not found")
    return contract


def contract_versions(contract: Contract) -> list[ContractVersion]:
    """Versions newest SemVer first (sorted in Python, which orders pre-releases exactly)."""
    rows = list(contract.versions.all())
    return sorted(rows, key=lambda r: parse_version(r.version).precedence_key(), reverse=True)


@dataclass
class VersionView:
    row: ContractVersion
    document: dict[str, Any]


def version_get(contract_id: str, version: str) -> VersionView:
    contract = contract_get(contract_id)
    parse_version(version)
    row = contract.versions.filter(version=version).first()
    if row is None:
        raise ContractNotFound(f"contract {contract_id} {version} not found")
    return VersionView(row=row, document=default_store().get_document(contract_id, version))


def version_events(contract_id: str, version: str | None = None) -> QuerySet[LifecycleEvent]:
    events = LifecycleEvent.objects.filter(contract_id=contract_id)
    if version is not None:
        events = events.filter(Q(version=version) | Q(version=""))
    return events.order_by("-created_at", "-id")
