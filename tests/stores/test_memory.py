from __future__ import annotations

import pytest

from dc43_portal.stores.memory import MemoryContractStore
from tests.stores.conformance import StoreConformance


class TestMemoryContractStore(StoreConformance):
    @pytest.fixture
    def store(self) -> MemoryContractStore:
        return MemoryContractStore()
