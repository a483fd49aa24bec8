"""dc43's own backend classes, assembled with the portal's pieces: one fresh set per request.

Fresh per request because dc43's governance backend keeps the credentials of ``/governance/auth`` on the
instance; shared, one pipeline's credentials would leak into another's calls. Building costs microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from dc43_service_backends.data_products import LocalDataProductServiceBackend
from dc43_service_backends.data_quality import LocalDataQualityServiceBackend
from dc43_service_backends.governance.backend.local import LocalGovernanceServiceBackend

from dc43_portal.governance.contract_backend import PortalContractBackend
from dc43_portal.governance.stores import DjangoDataProductStore, DjangoGovernanceStore


@dataclass(frozen=True)
class Backends:
    contracts: PortalContractBackend
    data_quality: LocalDataQualityServiceBackend
    data_products: LocalDataProductServiceBackend
    governance: LocalGovernanceServiceBackend


def backends() -> Backends:
    contracts = PortalContractBackend()
    data_quality = LocalDataQualityServiceBackend()
    data_products = LocalDataProductServiceBackend(store=DjangoDataProductStore())
    governance = LocalGovernanceServiceBackend(
        contract_client=contracts,
        dq_client=data_quality,
        data_product_client=data_products,
        draft_store=contracts,
        store=DjangoGovernanceStore(),
    )
    return Backends(contracts, data_quality, data_products, governance)
