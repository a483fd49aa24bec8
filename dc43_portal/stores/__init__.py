"""Contract stores: the interface and its backends. Nothing here imports Django (except ``database``)."""

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
