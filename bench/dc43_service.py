"""dc43's own service backend (``dc43_service_backends.server.build_app``) with its local backends, for
``bench/pipeline.py`` to compare against: ``python bench/dc43_service.py --port 8766 --root DIR``."""

from __future__ import annotations

import argparse

import uvicorn
from dc43_service_backends.contracts.backend.local import LocalContractServiceBackend
from dc43_service_backends.contracts.backend.stores.filesystem import FSContractStore
from dc43_service_backends.data_products import LocalDataProductServiceBackend
from dc43_service_backends.data_quality import LocalDataQualityServiceBackend
from dc43_service_backends.governance.backend.local import LocalGovernanceServiceBackend
from dc43_service_backends.server import build_app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--root", required=True, help="folder of dc43's filesystem contract store")
    args = parser.parse_args()
    contracts = LocalContractServiceBackend(FSContractStore(args.root))
    quality, products = LocalDataQualityServiceBackend(), LocalDataProductServiceBackend()
    governance = LocalGovernanceServiceBackend(
        contract_client=contracts, dq_client=quality, data_product_client=products, draft_store=None
    )
    app = build_app(contract_backend=contracts, dq_backend=quality, governance_backend=governance, data_product_backend=products)
    # uvicorn[standard]'s parser and loop, as api.py runs dc43: h11 adds ~40 ms per keep-alive request.
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", http="httptools", loop="uvloop")


if __name__ == "__main__":
    main()
