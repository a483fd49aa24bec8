"""Wrap a foreign store (dc43's own, or any object with dc43's methods) in the portal's interface."""

from __future__ import annotations

from typing import Any

from open_data_contract_standard.model import OpenDataContractStandard

from dc43_portal import odcs
from dc43_portal.errors import ContractNotFound, InvalidContract
from dc43_portal.stores.interface import ContractInput, ContractStore, check_identity
from dc43_portal.versioning import is_version

REQUIRED_METHODS = ("put", "get", "list_contracts", "list_versions")


def looks_like_dc43_store(obj: object) -> bool:
    return all(callable(getattr(obj, name, None)) for name in REQUIRED_METHODS)


class ForeignStoreAdapter(ContractStore):
    """Checks identities, sorts versions, maps not-found errors and passes models to the wrapped store."""

    # A foreign store round-trips through the pydantic model, which drops nulls and unknown keys.
    lossless = False
    atomic_writes = False

    def __init__(self, store: Any) -> None:
        if not looks_like_dc43_store(store):
            missing = [m for m in REQUIRED_METHODS if not callable(getattr(store, m, None))]
            raise TypeError(f"{type(store).__name__} is not a contract store: it lacks {', '.join(missing)}")
        self.wrapped = store

    def __repr__(self) -> str:
        return f"ForeignStoreAdapter({self.wrapped!r})"

    def put(self, contract: ContractInput, *, actor: str | None = None, overwrite: bool = True) -> None:
        doc, contract_id, version = self._prepare(contract)
        if not overwrite and version in self.list_versions(contract_id):
            self._refuse_overwrite(self.get_document(contract_id, version), doc, contract_id, version)
            return
        try:
            self.wrapped.put(odcs.to_model(doc))
        except ValueError as exc:
            raise InvalidContract([("", f"the store refused the document: {exc}")]) from None

    def get(self, contract_id: str, version: str) -> OpenDataContractStandard:
        check_identity(contract_id, version)
        try:
            found = self.wrapped.get(contract_id, version)
        except (FileNotFoundError, KeyError, LookupError):
            raise ContractNotFound(f"contract {contract_id} {version} not found") from None
        if found is None:
            raise ContractNotFound(f"contract {contract_id} {version} not found")
        return found if isinstance(found, OpenDataContractStandard) else odcs.to_model(found)

    def get_document(self, contract_id: str, version: str) -> dict[str, Any]:
        return odcs.as_document(self.get(contract_id, version))

    def list_contracts(self) -> list[str]:
        return sorted(str(cid) for cid in self.wrapped.list_contracts())

    def unserved_versions(self) -> list[tuple[str, str]]:
        """(id, version) the foreign store holds under a non-SemVer version (dc43 accepted ``1.0``, ``v1.0.0``)."""
        found = []
        for cid in self.list_contracts():
            try:
                versions = self.wrapped.list_versions(cid)
            except (FileNotFoundError, KeyError, LookupError):
                continue
            found += [(cid, str(v)) for v in versions or [] if not is_version(str(v))]
        return found

    def list_versions(self, contract_id: str) -> list[str]:
        check_identity(contract_id, "0.0.0")
        try:
            versions = self.wrapped.list_versions(contract_id)
        except (FileNotFoundError, KeyError, LookupError):
            return []
        # Foreign stores may hold non-SemVer names; they cannot be ordered, so they are not served.
        return self._sorted([str(v) for v in versions or [] if is_version(str(v))])
