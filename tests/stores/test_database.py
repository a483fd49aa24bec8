from __future__ import annotations

import gc

import pytest

from dc43_portal.dbstore.store import DatabaseContractStore
from tests.stores.conformance import StoreConformance

pytestmark = pytest.mark.database


@pytest.mark.django_db
class TestDatabaseContractStore(StoreConformance):
    @pytest.fixture
    def store(self) -> DatabaseContractStore:
        return DatabaseContractStore()

    @pytest.mark.django_db(transaction=True)  # the writer threads need committed rows, on their own connections
    def test_two_threads_putting_different_versions_keep_both(self, store: DatabaseContractStore) -> None:
        super().test_two_threads_putting_different_versions_keep_both(store)
        gc.collect()  # the finished threads' connections close, so the test database can be dropped
