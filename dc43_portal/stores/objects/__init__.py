"""The object storage store (S3, ADLS, GCS or a local folder through fsspec): a manifest per contract.

- ``store``: ``ObjectStorageContractStore`` (BACKEND ``dc43_portal.stores.objects.ObjectStorageContractStore``);
- ``blobs``: conditional writes (If-Match / If-None-Match) per filesystem.

May import the pure modules and ``stores.interface``; never Django.
"""

from __future__ import annotations

from dc43_portal.stores.objects.store import ObjectStorageContractStore

__all__ = ["ObjectStorageContractStore"]
