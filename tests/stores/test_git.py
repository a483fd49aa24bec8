from __future__ import annotations

from pathlib import Path

import pytest

from dc43_portal.stores.git.store import GitContractStore
from tests.stores.conformance import StoreConformance


class TestGitContractStore(StoreConformance):
    @pytest.fixture
    def store(self, tmp_path: Path) -> GitContractStore:
        # Durability (fsync) is not what the suite checks; the commit and concurrency tests use the default.
        return GitContractStore(tmp_path / "contracts.git", fsync=False)
