"""The Delta table store: one row per version, MERGE on (contract_id, version), time travel and history.

- ``store``: ``DeltaContractStore`` (re-exported: BACKEND ``dc43_portal.stores.delta.DeltaContractStore``);
- ``engine``: the delta-rs engine (the table schema, merges, retries on commit races);
- ``spark``: the same operations through a Spark session, for jobs that already hold one.

May import the pure modules and ``stores.interface``; never Django.
"""

from __future__ import annotations

from dc43_portal.stores.delta.store import DeltaContractStore

__all__ = ["DeltaContractStore"]
