"""Contract stores: the interface (``interface``) and its backends, one module or package per family.

``filesystem`` (the default), ``memory``, ``adapter`` (any dc43 store), ``http`` (the portal API or dc43's
service), and the packages ``delta``, ``objects``, ``git`` and ``collibra``. The database store lives in the
``dbstore`` app, since it is built on the Django ORM.

Nothing here imports Django or the portal's apps, so a Spark job can use a store alone (import-linter checks it).
"""

from __future__ import annotations

from dc43_portal.stores.interface import (
    ContractConflict,
    ContractNotFound,
    ContractStore,
    HistoryEntry,
    InvalidContractId,
    StoreUnavailable,
)

__all__ = [
    "ContractConflict",
    "ContractNotFound",
    "ContractStore",
    "HistoryEntry",
    "InvalidContractId",
    "StoreUnavailable",
]
