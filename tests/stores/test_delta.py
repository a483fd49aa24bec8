from __future__ import annotations

from pathlib import Path

import pytest

from dc43_portal.stores.delta.store import DeltaContractStore
from tests.stores.conformance import StoreConformance


class TestDeltaContractStore(StoreConformance):
    @pytest.fixture
    def store(self, tmp_path: Path) -> DeltaContractStore:
        return DeltaContractStore(str(tmp_path / "contracts.delta"))
