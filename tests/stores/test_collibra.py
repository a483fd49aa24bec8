from __future__ import annotations

import pytest

from dc43_portal.stores.collibra.store import CollibraContractStore
from tests.stores.conformance import StoreConformance


class TestCollibraContractStore(StoreConformance):
    @pytest.fixture
    def store(self, collibra_store: CollibraContractStore) -> CollibraContractStore:
        return collibra_store
