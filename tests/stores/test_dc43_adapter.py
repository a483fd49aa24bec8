from __future__ import annotations

from pathlib import Path

import pytest
from dc43_service_backends.contracts.backend.stores.filesystem import FSContractStore as Dc43FSStore

from dc43_portal.stores.adapter import ForeignStoreAdapter
from tests.stores.conformance import StoreConformance


class TestDc43FSStoreThroughAdapter(StoreConformance):
    @pytest.fixture
    def store(self, tmp_path: Path) -> ForeignStoreAdapter:
        return ForeignStoreAdapter(Dc43FSStore(str(tmp_path / "dc43")))
