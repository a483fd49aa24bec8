"""In-memory store for tests and demos; thread-safe, lost when the process ends."""

from __future__ import annotations

import copy
import threading
from datetime import UTC, datetime
from typing import Any

from dc43_portal import odcs
from dc43_portal.errors import ContractNotFound
from dc43_portal.stores.interface import ContractInput, ContractStore, HistoryEntry, check_identity


class MemoryContractStore(ContractStore):
    supports_status = True
    supports_delete = True
    supports_history = True

    def __init__(self) -> None:
        self._docs: dict[str, dict[str, dict[str, Any]]] = {}
        self._history: dict[str, list[HistoryEntry]] = {}
        self._lock = threading.Lock()

    def put(self, contract: ContractInput, *, actor: str | None = None, overwrite: bool = True) -> None:
        doc, contract_id, version = self._prepare(contract)
        with self._lock:
            existing = self._docs.get(contract_id, {}).get(version)
            if existing is not None and not overwrite:
                self._refuse_overwrite(existing, doc, contract_id, version)
                return
            self._docs.setdefault(contract_id, {})[version] = doc
            self._record(contract_id, version, actor, "put")

    def get_document(self, contract_id: str, version: str) -> dict[str, Any]:
        check_identity(contract_id, version)
        with self._lock:
            doc = self._docs.get(contract_id, {}).get(version)
        if doc is None:
            raise ContractNotFound(f"contract {contract_id} {version} not found")
        return copy.deepcopy(doc)

    def list_contracts(self) -> list[str]:
        with self._lock:
            return sorted(cid for cid, versions in self._docs.items() if versions)

    def list_versions(self, contract_id: str) -> list[str]:
        with self._lock:
            return self._sorted(list(self._docs.get(contract_id, {})))

    def set_status(self, contract_id: str, version: str, status: str, *, actor: str | None = None) -> None:
        doc = self.get_document(contract_id, version)
        with self._lock:
            self._docs[contract_id][version] = odcs.with_status(doc, status)
            self._record(contract_id, version, actor, f"status {status}")

    def delete(self, contract_id: str, version: str, *, actor: str | None = None) -> None:
        self.get_document(contract_id, version)
        with self._lock:
            del self._docs[contract_id][version]
            self._record(contract_id, version, actor, "delete")

    def history(self, contract_id: str) -> list[HistoryEntry]:
        with self._lock:
            return list(self._history.get(contract_id, []))

    def _record(self, contract_id: str, version: str, actor: str | None, what: str) -> None:
        entry = HistoryEntry(when=datetime.now(UTC), who=actor or "", what=what, version=version)
        self._history.setdefault(contract_id, []).append(entry)
