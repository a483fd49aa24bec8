from __future__ import annotations

import pytest

from dc43_portal.stores.objects.store import ObjectStorageContractStore
from tests.stores.conformance import StoreConformance
from tests.stores.s3_server import S3Endpoint, s3_threaded  # noqa: F401 - fixture


class TestObjectStorageContractStore(StoreConformance):
    @pytest.fixture
    def store(self, s3_threaded: S3Endpoint) -> ObjectStorageContractStore:  # noqa: F811
        return ObjectStorageContractStore(f"s3://{s3_threaded.new_bucket()}/contracts", s3_threaded.s3fs_options())
