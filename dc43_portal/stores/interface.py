"""The ContractStore interface (DESIGN §4): dc43's five methods plus optional, flagged capabilities.

Stores know nothing of Django, so a Spark job can use them directly. Governance rules (immutability,
guards, lifecycle) live in ``contracts/services.py``; a store only refuses to overwrite when asked to.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from open_data_contract_standard.model import OpenDataContractStandard

from dc43_portal import odcs
from dc43_portal.errors import (
    ContractConflict,
    ContractNotFound,
    InvalidContractId,
    StaleWrite,
    StoreUnavailable,
)
from dc43_portal.ids import check_contract_id
from dc43_portal.versioning import parse_version, sort_versions

__all__ = [
    "ContractConflict",
    "ContractNotFound",
    "ContractStore",
    "HistoryEntry",
    "InvalidContractId",
    "StaleWrite",
    "StoreUnavailable",
    "check_identity",
    "document_identity",
]

ContractInput = Mapping[str, Any] | OpenDataContractStandard


@dataclass(frozen=True)
class HistoryEntry:
    """One change a store remembers: when, who, what, and the version it touched."""

    when: datetime
    who: str
    what: str
    version: str
    ref: str = ""


def check_identity(contract_id: str, version: str) -> None:
    """Refuse ids that are paths and versions that are not SemVer, before any I/O."""
    check_contract_id(contract_id)
    parse_version(version)


def document_identity(doc: Mapping[str, Any]) -> tuple[str, str]:
    contract_id, version = doc.get("id"), doc.get("version")
    check_identity(contract_id, version)  # type: ignore[arg-type]
    return str(contract_id), str(version)


class ContractStore(ABC):
    """Read and write ODCS documents, one per (id, version)."""

    #: ``get_document`` returns exactly what was put (except ``status``).
    lossless = True
    #: A failed ``put`` leaves nothing half-written.
    atomic_writes = True
    supports_status = False
    supports_delete = False
    supports_history = False

    @abstractmethod
    def put(self, contract: ContractInput, *, actor: str | None = None, overwrite: bool = True) -> None:
        """Store a document; with ``overwrite=False`` an existing different version is a conflict."""

    @abstractmethod
    def get_document(self, contract_id: str, version: str) -> dict[str, Any]:
        """The lossless document, or ``ContractNotFound``."""

    @abstractmethod
    def list_contracts(self) -> list[str]:
        """Contract ids, sorted."""

    @abstractmethod
    def list_versions(self, contract_id: str) -> list[str]:
        """Versions sorted by SemVer; ``[]`` for an unknown id."""

    def get(self, contract_id: str, version: str) -> OpenDataContractStandard:
        return odcs.to_model(self.get_document(contract_id, version))

    def latest(self, contract_id: str) -> OpenDataContractStandard | None:
        """The highest SemVer of any status, or ``None``."""
        versions = self.list_versions(contract_id)
        return self.get(contract_id, versions[-1]) if versions else None

    def exists(self, contract_id: str, version: str) -> bool:
        return version in self.list_versions(contract_id)

    def fingerprint(self, contract_id: str, version: str) -> str:
        return odcs.fingerprint(self.get_document(contract_id, version))

    def set_status(self, contract_id: str, version: str, status: str, *, actor: str | None = None) -> None:
        raise NotImplementedError(f"{type(self).__name__} does not support status")

    def delete(self, contract_id: str, version: str, *, actor: str | None = None) -> None:
        raise NotImplementedError(f"{type(self).__name__} does not support delete")

    def history(self, contract_id: str) -> list[HistoryEntry]:
        """Changes to one contract, oldest first."""
        raise NotImplementedError(f"{type(self).__name__} does not support history")

    def check(self) -> list[str]:
        """Problems with the configuration, for ``manage.py check``; empty when healthy."""
        return []

    # Helpers shared by the backends.

    @staticmethod
    def _prepare(contract: ContractInput) -> tuple[dict[str, Any], str, str]:
        doc = odcs.as_document(contract)
        contract_id, version = document_identity(doc)
        return doc, contract_id, version

    @staticmethod
    def _sorted(versions: list[str]) -> list[str]:
        return sort_versions(versions)

    @staticmethod
    def _refuse_overwrite(existing: Mapping[str, Any], new: Mapping[str, Any], contract_id: str, version: str) -> None:
        if odcs.fingerprint(existing) != odcs.fingerprint(new):
            raise ContractConflict(f"{contract_id} {version} already exists with different content")
