"""dc43's own backend classes, assembled with the portal's pieces: one fresh set per request.

Fresh per request because dc43's governance backend keeps the credentials of ``/governance/auth`` on the
instance; shared, one pipeline's credentials would leak into another's calls. Building costs microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from dc43_service_backends.data_products import LocalDataProductServiceBackend
from dc43_service_backends.data_quality import LocalDataQualityServiceBackend
from dc43_service_backends.governance.backend.local import LocalGovernanceServiceBackend
from open_data_contract_standard.model import OpenDataContractStandard

from dc43_portal.errors import ContractNotFound
from dc43_portal.governance.contract_backend import PortalContractBackend
from dc43_portal.governance.stores import DjangoDataProductStore, DjangoGovernanceStore


class PortalGovernanceBackend(LocalGovernanceServiceBackend):
    """dc43's backend, except that a reference to a contract without versions is a 404, not a ValueError."""

    def latest_contract(self, *, contract_id: str) -> OpenDataContractStandard | None:
        # dc43 calls this only to resolve a reference without a version, and fails on None.
        latest = super().latest_contract(contract_id=contract_id)
        if latest is None:
            raise ContractNotFound(f"contract {contract_id} has no version to resolve")
        return latest


@dataclass(frozen=True)
class Backends:
    contracts: PortalContractBackend
    data_quality: LocalDataQualityServiceBackend
    data_products: LocalDataProductServiceBackend
    governance: PortalGovernanceBackend


def backends() -> Backends:
    contracts = PortalContractBackend()
    data_quality = LocalDataQualityServiceBackend()
    data_products = LocalDataProductServiceBackend(store=DjangoDataProductStore())
    governance = PortalGovernanceBackend(
        contract_client=contracts,
        dq_client=data_quality,
        data_product_client=data_products,
        draft_store=contracts,
        store=DjangoGovernanceStore(),
    )
    return Backends(contracts, data_quality, data_products, governance)
