from __future__ import annotations

from pathlib import Path

import pytest

from dc43_portal.stores.filesystem import FSContractStore
from tests.stores.conformance import StoreConformance


class TestFSContractStore(StoreConformance):
    @pytest.fixture
    def store(self, tmp_path: Path) -> FSContractStore:
        return FSContractStore(tmp_path / "fs")
