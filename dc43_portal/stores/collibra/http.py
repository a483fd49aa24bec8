"""``HttpCollibraContractAdapter``: contracts and their statuses on Collibra's Data Product API v1.

A contract id is Collibra's ``manifestId``, resolved to the contract's UUID once and cached. The
statuses follow ``mapping``: each version's status lives in its manifest and the active flag
sits on the highest Validated version. The transport (auth, retries, pagination, errors) is
``client``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from dc43_portal import odcs
from dc43_portal.errors import ContractConflict, ContractNotFound, InvalidContract
from dc43_portal.ids import is_contract_id
from dc43_portal.stores.collibra.client import API_PATH, CollibraAuthError, CollibraClient, CollibraError
from dc43_portal.stores.collibra.mapping import (
    ACTIVE,
    ContractSummary,
    VersionRecord,
    declared_status,
    first_version,
    flag_target,
    flagged_version,
    portal_status,
    portal_statuses,
)
from dc43_portal.stores.interface import ContractInput, document_identity
from dc43_portal.versioning import highest, is_version, version_key

# Manifests of one contract are read this many at a time: a status change reads them all.
PARALLEL_READS = 4
# A manifest is YAML, which may be larger than the JSON document the portal accepted.
MAX_MANIFEST_BYTES = 4 * odcs.DEFAULT_MAX_DOCUMENT_BYTES


class HttpCollibraContractAdapter:
    """Talks to ``{base_url}/rest/dataProduct/v1``; thread-safe, one connection pool per adapter."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        page_size: int = 100,
        governed_asset_ids: Mapping[str, str] | None = None,
        default_governed_asset_id: str | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        self.http = CollibraClient(
            base_url, token=token, username=username, password=password, timeout=timeout, retries=retries,
            backoff=backoff, page_size=page_size, client=client,
        )  # fmt: skip
        self.base_url = self.http.base_url
        self.governed_asset_ids = governed_asset_ids if governed_asset_ids is not None else {}
        self.default_governed_asset_id = default_governed_asset_id
        self._uuids: dict[str, str] = {}
        self._pool = ThreadPoolExecutor(max_workers=PARALLEL_READS, thread_name_prefix="collibra")

    def __repr__(self) -> str:
        return f"HttpCollibraContractAdapter({self.base_url!r})"

    def close(self) -> None:
        self._pool.shutdown(wait=False)
        self.http.close()

    # ------------------------------------------------------------------ ids

    def contract_uuid(self, contract_id: str, *, fresh: bool = False) -> str | None:
        """The Collibra UUID of the contract whose ``manifestId`` is ``contract_id``, or ``None``."""
        if not fresh and contract_id in self._uuids:
            return self._uuids[contract_id]
        self._uuids.pop(contract_id, None)
        for item in self.http.pages("/dataContracts", {"manifestId": contract_id}):
            if item.get("manifestId") == contract_id and item.get("id"):
                self._uuids[contract_id] = str(item["id"])
                return self._uuids[contract_id]
        return None

    def _port(self, contract_id: str) -> str:
        port = self.governed_asset_ids.get(contract_id) or self.default_governed_asset_id
        if not port:
            raise InvalidContract(
                [("id", f"no Collibra Data Product Port is configured for the new contract {contract_id!r}; "
                        "add it to governed_asset_ids or set default_governed_asset_id")]
            )  # fmt: skip
        return str(port)

    # ------------------------------------------------------------------ reads

    def list_contracts(self) -> list[str]:
        ids = []
        for item in self.http.pages("/dataContracts"):
            manifest_id = item.get("manifestId")
            # Contracts without a manifest yet, and ids the portal cannot hold, are not served.
            if item.get("activeVersion") and is_contract_id(manifest_id) and item.get("id"):
                self._uuids[str(manifest_id)] = str(item["id"])
                ids.append(str(manifest_id))
        return sorted(set(ids))

    def version_records(self, contract_id: str) -> list[VersionRecord]:
        contract_uuid = self.contract_uuid(contract_id)
        if contract_uuid is None:
            return []
        try:
            items = list(self.http.pages(f"/dataContracts/{contract_uuid}/versions"))
        except ContractNotFound:
            # Deleted (and maybe recreated) in Collibra since it was cached.
            if self.contract_uuid(contract_id, fresh=True) in (None, contract_uuid):
                return []
            return self.version_records(contract_id)
        return [VersionRecord.from_json(item) for item in items]

    def list_version_names(self, contract_id: str) -> list[str]:
        return [r.version for r in self.version_records(contract_id) if is_version(r.version)]

    def manifest(self, contract_id: str, version: str) -> dict[str, Any]:
        """The raw manifest, checked to be a document about this contract and version."""
        contract_uuid = self._require_uuid(contract_id, version)
        text = self.http.request(
            "GET", f"/dataContracts/{contract_uuid}/versions/manifest", params={"version": version}
        ).content
        where = f"Collibra's manifest of {contract_id} {version}"
        try:
            doc = odcs.parse_document(text, max_bytes=MAX_MANIFEST_BYTES)
        except InvalidContract as exc:
            raise InvalidContract([(p, f"{where}: {m}") for p, m in exc.errors]) from None
        if doc.get("id") != contract_id or str(doc.get("version")) != version:
            found = f"id {doc.get('id')!r}, version {doc.get('version')!r}"
            raise InvalidContract([("", f"{where} is about another contract ({found})")])
        return doc

    def get_contract(self, contract_id: str, version: str) -> dict[str, Any]:
        """The document with ``status`` as the portal reads it from the manifest and the active flag."""
        self._require_uuid(contract_id, version)
        manifest = self._pool.submit(self.manifest, contract_id, version)  # both calls at once: one round trip
        records = self.version_records(contract_id)
        record = next((r for r in records if r.version == version), None)
        if record is None:
            raise ContractNotFound(f"contract {contract_id} {version} not found in Collibra")
        doc = manifest.result()
        status = portal_statuses(records, {version: doc.get("status")})[version]
        # A status the flag does not change is returned as written, so a foreign one round-trips.
        return doc if declared_status(doc.get("status")) == status else odcs.with_status(doc, status)

    def list_versions(self, contract_id: str) -> list[ContractSummary]:
        records = [r for r in self.version_records(contract_id) if is_version(r.version)]
        manifests = self._manifests(contract_id, [r.version for r in records])
        found = portal_statuses(records, {v: (m or {}).get("status") for v, m in manifests.items()})
        return [ContractSummary(contract_id, r.version, found[r.version], r.updated_at) for r in records]

    def get_validated_contract(self, contract_id: str) -> dict[str, Any]:
        top = highest([s.version for s in self.list_versions(contract_id) if s.status == ACTIVE])
        if top is None:
            raise ContractNotFound(f"no Validated version of {contract_id} in Collibra")
        return self.get_contract(contract_id, top)

    def _manifests(self, contract_id: str, versions: Iterable[str]) -> dict[str, dict[str, Any] | None]:
        wanted = list(versions)
        return dict(zip(wanted, self._pool.map(lambda v: self._manifest_or_none(contract_id, v), wanted), strict=True))

    def _manifest_or_none(self, contract_id: str, version: str) -> dict[str, Any] | None:
        try:
            return self.manifest(contract_id, version)
        except InvalidContract:
            return None  # reported when the version itself is read

    def _require_uuid(self, contract_id: str, version: str = "") -> str:
        contract_uuid = self.contract_uuid(contract_id)
        if contract_uuid is None:
            raise ContractNotFound(f"contract {' '.join(filter(None, (contract_id, version)))} not found in Collibra")
        return contract_uuid

    # ------------------------------------------------------------------ writes

    def upsert_contract(self, contract: ContractInput, *, status: str | None = None, overwrite: bool = True) -> None:
        """Create the contract, add a version, or (``overwrite``) replace one; then place the flag."""
        doc = odcs.as_document(contract)
        contract_id, version = document_identity(doc)
        if status is not None:
            doc = odcs.with_status(doc, declared_status(status))
        manifest = odcs.dump_yaml(doc).encode("utf-8")
        contract_uuid = self.contract_uuid(contract_id)
        if contract_uuid is not None:
            try:
                replaced = self._add_version(contract_uuid, contract_id, version, doc, manifest, overwrite=overwrite)
            except ContractNotFound:
                contract_uuid = None  # deleted in Collibra since its UUID was cached
                self._uuids.pop(contract_id, None)
        if contract_uuid is None:
            try:
                self._create(contract_id, version, doc, manifest)
                return  # Collibra flags a new contract's only version, which reads as its manifest says.
            except ContractConflict:
                contract_uuid = self.contract_uuid(contract_id, fresh=True)  # created meanwhile by another writer
                if contract_uuid is None:
                    raise
            replaced = self._add_version(contract_uuid, contract_id, version, doc, manifest, overwrite=overwrite)
        if declared_status(doc.get("status")) == ACTIVE:
            self._reconcile(contract_id, (version, ACTIVE), written=doc)
        elif replaced:
            self._reconcile(contract_id)

    def submit_draft(self, contract: ContractInput) -> None:
        self.upsert_contract(contract, status="draft")

    def update_status(self, contract_id: str, version: str, status: str) -> None:
        """Write ``status`` into the manifest (``force``), then move the flag to the highest Validated."""
        self._reconcile(contract_id, change=(version, declared_status(status)))

    def _create(self, contract_id: str, version: str, doc: Mapping[str, Any], manifest: bytes) -> None:
        data = {
            "governedAssetId": self._port(contract_id),
            "manifestId": contract_id,
            "version": version,
            "name": str(doc.get("name") or contract_id),
        }
        response = self.http.request("POST", "/dataContracts", data=data, files=_manifest_file(manifest))
        created = response.json()
        if isinstance(created, dict) and created.get("id"):
            self._uuids[contract_id] = str(created["id"])

    def _add_version(self, contract_uuid: str, contract_id: str, version: str, doc: Mapping[str, Any],
                     manifest: bytes, *, overwrite: bool) -> bool:  # fmt: skip
        """Add ``version``; ``True`` when an existing one was replaced."""
        try:
            self.http.request(
                "POST",
                f"/dataContracts/{contract_uuid}/versions",
                data={"version": version, "active": "false"},
                files=_manifest_file(manifest),
            )
            return False
        except ContractConflict:
            if not overwrite:
                existing = self.manifest(contract_id, version)
                if odcs.fingerprint(existing) != odcs.fingerprint(doc):
                    raise ContractConflict(f"{contract_id} {version} already exists with different content") from None
                return False
        self._rewrite(manifest)
        return True

    def _rewrite(self, manifest: bytes) -> None:
        data = {"force": "true", "active": "false"}
        self.http.request("POST", "/dataContracts/addFromManifest", data=data, files=_manifest_file(manifest))

    def _reconcile(
        self, contract_id: str, change: tuple[str, str] | None = None, *, written: Mapping[str, Any] | None = None
    ) -> None:
        """Make every version read as its manifest says, after applying ``change`` (version, status).

        ``written`` is the document just put for ``change``'s version, so it is not read back.
        """
        contract_uuid = self._require_uuid(contract_id)
        records = [r for r in self.version_records(contract_id) if is_version(r.version)]
        if change and change[0] not in {r.version for r in records}:
            raise ContractNotFound(f"contract {contract_id} {change[0]} not found in Collibra")
        flagged, first = flagged_version(records), first_version(records)
        manifests: dict[str, dict[str, Any] | None] = {change[0]: dict(written)} if change and written else {}
        needed = [v for v in _deciding(records, flagged, change) if v not in manifests]
        manifests.update(self._manifests(contract_id, needed))
        declared = {v: declared_status((m or {}).get("status")) for v, m in manifests.items()}
        wanted: dict[str, str] = {}
        if flagged and manifests.get(flagged) is not None:
            status = (manifests[flagged] or {}).get("status")
            if portal_status(status, flagged=True, first=flagged == first) == ACTIVE:
                wanted[flagged] = ACTIVE  # a flag moved by hand in Collibra: keep that approval in the manifest
        if change:
            wanted[change[0]] = change[1]
        for version, status in wanted.items():
            current = manifests.get(version)
            if current is None:
                raise InvalidContract([("", f"Collibra's manifest of {contract_id} {version} cannot be read")])
            if declared[version] != status:
                self._rewrite(odcs.dump_yaml(odcs.with_status(current, status)).encode("utf-8"))
                declared[version] = status
        target = flag_target(declared, flagged=flagged, first=first)
        if target and target != flagged:
            self.http.request("PATCH", f"/dataContracts/{contract_uuid}/activeVersion", params={"version": target})


def _deciding(records: list[VersionRecord], flagged: str | None, change: tuple[str, str] | None) -> list[str]:
    """The versions whose manifests decide where the flag goes.

    Validating a version needs only the versions above it and the flagged one: the flag goes to the
    highest Validated version, which is that version or above. Any other change reads them all.
    """
    every = [r.version for r in records]
    if change is None or change[1] != ACTIVE:
        return every
    floor = version_key(change[0])
    return [v for v in every if version_key(v) >= floor or v == flagged]


def _manifest_file(manifest: bytes) -> dict[str, tuple[str, bytes, str]]:
    return {"manifest": ("manifest.yaml", manifest, "application/x-yaml")}


__all__ = ["API_PATH", "CollibraAuthError", "CollibraError", "HttpCollibraContractAdapter"]
