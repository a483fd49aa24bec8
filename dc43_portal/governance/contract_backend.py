"""The contract backend dc43's governance backend sees: the portal's own selectors and services.

A contract a pipeline proposes (a draft on schema drift, a PUT) goes through ``contract_publish``, so it
lands as a Draft, audited with ``source="pipeline"``, and waits for a steward like any other.
"""

from __future__ import annotations

from collections.abc import Sequence

from dc43_service_backends.contracts.backend.interface import ContractListing
from django.conf import settings
from open_data_contract_standard.model import OpenDataContractStandard

from dc43_portal import odcs, statuses
from dc43_portal.contracts import selectors, services
from dc43_portal.contracts.models import Contract, ContractVersion
from dc43_portal.errors import ContractNotFound
from dc43_portal.governance.actor import current_actor
from dc43_portal.governance.stores import DjangoGovernanceStore
from dc43_portal.versioning import sort_versions

SOURCE = "pipeline"


class PortalContractBackend:
    """dc43's ``ContractServiceBackend`` (and its draft store) over the portal's services."""

    def put(self, contract: OpenDataContractStandard) -> None:
        document = odcs.as_document(contract)
        services.contract_publish(document=document, actor=current_actor() or SOURCE, source=SOURCE)

    def list_contracts(self, *, limit: int | None = None, offset: int = 0) -> ContractListing:
        ids = sorted(Contract.objects.filter(versions__in_store=True).distinct().values_list("contract_id", flat=True))
        end = len(ids) if limit is None else offset + limit
        return ContractListing(items=ids[offset:end], total=len(ids), limit=limit, offset=offset)

    def get(self, contract_id: str, contract_version: str) -> OpenDataContractStandard:
        found = selectors.version_get(contract_id, contract_version)
        return odcs.to_model(odcs.with_status(found.document, found.row.status))

    def latest(self, contract_id: str) -> OpenDataContractStandard | None:
        """The highest version, of the status ``DC43_API_LATEST_STATUS`` names (any when empty), like the API."""
        versions = self._versions(contract_id, statuses.parse_status(settings.DC43_API_LATEST_STATUS or ""))
        return self.get(contract_id, versions[-1]) if versions else None

    def list_versions(self, contract_id: str) -> Sequence[str]:
        return self._versions(contract_id, None)

    @staticmethod
    def _versions(contract_id: str, status: str | None) -> list[str]:
        rows = ContractVersion.objects.filter(contract__contract_id=contract_id, in_store=True)
        if status:
            rows = rows.filter(status=status)
        return sort_versions(list(rows.values_list("version", flat=True)))

    def link_dataset_contract(
        self, *, dataset_id: str, dataset_version: str, contract_id: str, contract_version: str
    ) -> None:
        """Like dc43's local backend: the version must exist; the link itself lives in the governance store."""
        if not ContractVersion.objects.filter(
            contract__contract_id=contract_id, version=contract_version, in_store=True
        ).exists():
            raise ContractNotFound(f"contract {contract_id} {contract_version} not found")

    def get_linked_contract_version(self, *, dataset_id: str, dataset_version: str | None = None) -> str | None:
        return DjangoGovernanceStore().get_linked_contract_version(
            dataset_id=dataset_id, dataset_version=dataset_version
        )
