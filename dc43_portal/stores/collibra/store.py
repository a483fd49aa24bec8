"""Collibra as the system of record: the Data Product API v1 behind the portal's store interface.

``CollibraContractStore`` is built from plain options (DESIGN §5)::

    DC43_STORE_BACKEND=dc43_portal.stores.collibra.CollibraContractStore
    DC43_STORE_OPTIONS='{"base_url": "https://acme.collibra.com", "username": "svc", "password": "...",
                         "governed_asset_ids": {"sales.orders": "<port uuid>"}}'

or, in code, from any object that follows ``CollibraContractAdapter``. Statuses map onto Collibra's
one active version per contract as ``mapping`` explains; docs/stores-collibra.md has the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

from open_data_contract_standard.model import OpenDataContractStandard
from pydantic import ValidationError

from dc43_portal import odcs, statuses
from dc43_portal.errors import ContractNotFound, InvalidContract
from dc43_portal.stores.collibra.client import CollibraAuthError, CollibraError
from dc43_portal.stores.collibra.http import HttpCollibraContractAdapter
from dc43_portal.stores.collibra.mapping import ContractSummary
from dc43_portal.stores.interface import ContractInput, ContractStore, check_identity
from dc43_portal.versioning import is_version


@runtime_checkable
class CollibraContractAdapter(Protocol):
    """What the store needs from Collibra; dc43's adapter protocol plus the portal's overwrite guard."""

    def list_contracts(self) -> list[str]:
        """Contract ids (Collibra ``manifestId``) that have at least one version."""

    def list_version_names(self, contract_id: str) -> list[str]:
        """Versions, cheaply (no manifest is read); ``[]`` for an unknown id."""

    def list_versions(self, contract_id: str) -> list[ContractSummary]:
        """Every version with its portal status and ``updated_at``."""

    def get_contract(self, contract_id: str, version: str) -> Mapping[str, Any]:
        """The document, with ``status`` as the portal reads it."""

    def upsert_contract(self, contract: ContractInput, *, status: str | None = None, overwrite: bool = True) -> None:
        """Create or add a version; ``overwrite=False`` refuses different content for an existing version."""

    def submit_draft(self, contract: ContractInput) -> None:
        """``upsert_contract`` as a Draft."""

    def update_status(self, contract_id: str, version: str, status: str) -> None:
        """Change a version's status and keep the active flag on the highest Validated version."""

    def get_validated_contract(self, contract_id: str) -> Mapping[str, Any]:
        """The highest Validated version, or ``ContractNotFound``."""


class CollibraContractStore(ContractStore):
    """Contracts and their statuses in Collibra; every call goes to Collibra (no cache but ids)."""

    supports_status = True

    def __init__(
        self,
        adapter: CollibraContractAdapter | None = None,
        *,
        base_url: str | None = None,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        page_size: int = 100,
        governed_asset_ids: Mapping[str, str] | None = None,
        default_governed_asset_id: str | None = None,
        default_status: str = statuses.DRAFT,
        status_filter: str | None = None,
    ) -> None:
        self._problems = _option_problems(base_url, username, password, token, default_status, status_filter)
        self._problems += _port_problems(governed_asset_ids, default_governed_asset_id)
        if adapter is None:
            if not base_url:
                raise ValueError("CollibraContractStore needs base_url (or an adapter object, from code)")
            adapter = HttpCollibraContractAdapter(
                base_url, token=token, username=username, password=password, timeout=timeout, retries=retries,
                backoff=backoff, page_size=page_size, governed_asset_ids=governed_asset_ids,
                default_governed_asset_id=default_governed_asset_id,
            )  # fmt: skip
        self.adapter = adapter
        self.default_status = statuses.parse_status(default_status) or statuses.DRAFT
        self.status_filter = statuses.parse_status(status_filter) if status_filter else None

    def __repr__(self) -> str:
        return f"CollibraContractStore({self.adapter!r})"

    def close(self) -> None:
        close = getattr(self.adapter, "close", None)
        if callable(close):
            close()

    # ------------------------------------------------------------------ the five methods

    def put(self, contract: ContractInput, *, actor: str | None = None, overwrite: bool = True) -> None:
        doc, _, _ = self._prepare(contract)
        # The manifest keeps the status as written; only a document without one gets default_status.
        status = None if isinstance(doc.get("status"), str) else self.default_status
        self.adapter.upsert_contract(doc, status=status, overwrite=overwrite)

    def get_document(self, contract_id: str, version: str) -> dict[str, Any]:
        return self._read(contract_id, version)[0]

    def get(self, contract_id: str, version: str) -> OpenDataContractStandard:
        return self._read(contract_id, version)[1]

    def list_contracts(self) -> list[str]:
        return sorted(self.adapter.list_contracts())

    def list_versions(self, contract_id: str) -> list[str]:
        check_identity(contract_id, "0.0.0")
        if self.status_filter:
            found = [s.version for s in self.adapter.list_versions(contract_id) if s.status == self.status_filter]
        else:
            found = self.adapter.list_version_names(contract_id)
        return self._sorted([v for v in found if is_version(v)])

    def latest_validated(self, contract_id: str) -> OpenDataContractStandard | None:
        """The highest Validated version, whatever ``status_filter`` says, or ``None``."""
        check_identity(contract_id, "0.0.0")
        try:
            doc = dict(self.adapter.get_validated_contract(contract_id))
        except ContractNotFound:
            return None
        return _model(doc, contract_id, str(doc.get("version")))

    # ------------------------------------------------------------------ status

    def set_status(self, contract_id: str, version: str, status: str, *, actor: str | None = None) -> None:
        check_identity(contract_id, version)
        wanted = statuses.parse_status(status)
        if wanted is None:
            raise InvalidContract(
                [("status", f"{status!r} is not a status; use one of {', '.join(statuses.STATUSES)}")]
            )
        self.adapter.update_status(contract_id, version, wanted)

    def check(self) -> list[str]:
        return list(self._problems)

    def _read(self, contract_id: str, version: str) -> tuple[dict[str, Any], OpenDataContractStandard]:
        check_identity(contract_id, version)
        doc = dict(self.adapter.get_contract(contract_id, version))
        return doc, _model(doc, contract_id, version)


def _model(doc: Mapping[str, Any], contract_id: str, version: str) -> OpenDataContractStandard:
    """Report a manifest that is not ODCS instead of crashing on it."""
    try:
        return odcs.to_model(doc)
    except (ValidationError, TypeError, ValueError) as exc:
        first = str(exc).splitlines()[:3]
        message = f"Collibra's manifest of {contract_id} {version} is not ODCS: {' '.join(first)}"
        raise InvalidContract([("", message)]) from None


def _option_problems(base_url: str | None, username: str | None, password: str | None, token: str | None,
                     default_status: str, status_filter: str | None) -> list[str]:  # fmt: skip
    problems = []
    if base_url and not base_url.startswith(("http://", "https://")):
        problems.append(f"base_url {base_url!r} must start with http:// or https://")
    if base_url and not token and not (username and password):
        problems.append("Collibra needs credentials: username and password, or token")
    if token and username:
        problems.append("give either token or username/password, not both (the token is used)")
    for name, value in (("default_status", default_status), ("status_filter", status_filter)):
        if value and statuses.parse_status(value) is None:
            problems.append(f"{name} {value!r} is not a status; use one of {', '.join(statuses.STATUSES)}")
    return problems


def _port_problems(ports: Mapping[str, str] | None, default: str | None) -> list[str]:
    problems = []
    for name, value in [*(ports.items() if isinstance(ports, dict) else []), ("default_governed_asset_id", default)]:
        if value is None:
            continue
        try:
            UUID(str(value))
        except ValueError:
            problems.append(f"the port of {name!r} must be a Collibra asset UUID, got {value!r}")
    return problems


# dc43's names, for users who switch over.
CollibraContractGateway = CollibraContractAdapter
HttpCollibraContractGateway = HttpCollibraContractAdapter

__all__ = [
    "CollibraAuthError",
    "CollibraContractAdapter",
    "CollibraContractGateway",
    "CollibraContractStore",
    "CollibraError",
    "ContractSummary",
    "HttpCollibraContractAdapter",
    "HttpCollibraContractGateway",
]
