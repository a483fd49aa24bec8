"""The data model of the Collibra emulator: data contracts, manifest versions, cursors, persistence.

It follows the Data Product API v1 models (``DataContract``, ``DataContractManifestVersion``) and the
rules the portal relies on: one contract per manifest id and per port, exactly one active version
once a contract has versions, and a version that is never overwritten without ``force``.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

DOMAIN_ID = "00000000-0000-0000-0000-00000000d0c1"
DOMAIN_NAME = "Data Contracts"
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100


class ApiError(Exception):
    """An error answered as Collibra does: ``{"statusCode", "userMessage", "errorCode"}``."""

    def __init__(self, status: int, user_message: str, error_code: str) -> None:
        super().__init__(user_message)
        self.status, self.user_message, self.error_code = status, user_message, error_code

    def body(self) -> dict[str, Any]:
        return {"statusCode": self.status, "userMessage": self.user_message, "errorCode": self.error_code}


@dataclass
class ManifestVersion:
    version: str
    manifest: str
    active: bool
    format: str
    createdBy: str
    createdOn: int
    lastModifiedBy: str
    lastModifiedOn: int

    def public(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "manifest"}


@dataclass
class DataContract:
    id: str
    name: str
    manifestId: str
    governedAssetId: str
    lastModifiedOn: int
    versions: dict[str, ManifestVersion] = field(default_factory=dict)

    def active_version(self) -> ManifestVersion | None:
        return next((v for v in self.versions.values() if v.active), None)

    def public(self) -> dict[str, Any]:
        active = self.active_version()
        return {
            "id": self.id,
            "name": self.name,
            "manifestId": self.manifestId,
            "domainId": DOMAIN_ID,
            "domainName": DOMAIN_NAME,
            "activeVersion": active.version if active else None,
        }


def read_manifest(text: str) -> dict[str, Any]:
    """Collibra reads a manifest as YAML; it must be a mapping."""
    try:
        loaded = yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506 - the C safe loader
    except yaml.YAMLError:
        raise ApiError(400, "The manifest is not valid YAML.", "INVALID_MANIFEST") from None
    if not isinstance(loaded, dict):
        raise ApiError(400, "The manifest must be a YAML mapping.", "INVALID_MANIFEST")
    return loaded


def manifest_format(doc: dict[str, Any]) -> str:
    if doc.get("kind") == "DataContract" and "apiVersion" in doc:
        return "ODCS"
    return "DCS" if "dataContractSpecification" in doc else "CUSTOM"


def encode_cursor(key: tuple[int, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, str]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return int(raw[0]), str(raw[1])
    except (ValueError, TypeError, IndexError, KeyError, binascii.Error):
        raise ApiError(400, "The cursor is not valid.", "INVALID_CURSOR") from None


def page(items: list[Any], key: Any, *, cursor: str | None, limit: int, include_total: bool) -> dict[str, Any]:
    """A keyset page sorted by last modification, newest first, as Collibra lists."""
    ordered = sorted(items, key=key)
    start = 0
    if cursor:
        after = decode_cursor(cursor)
        start = next((i for i, item in enumerate(ordered) if key(item) > after), len(ordered))
    chunk = ordered[start : start + limit]
    more = start + limit < len(ordered)
    result: dict[str, Any] = {
        "items": chunk,
        "limit": limit,
        "nextCursor": encode_cursor(key(chunk[-1])) if more else None,
    }
    if include_total:
        result["total"] = len(ordered)
    return result


class EmulatorState:
    """Thread-safe contracts, saved as one JSON file per contract when a folder is given."""

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self.folder = Path(folder) if folder else None
        self.lock = threading.RLock()
        self.contracts: dict[str, DataContract] = {}
        self._clock = 0
        if self.folder:
            self._load()

    # ------------------------------------------------------------------ helpers

    def now(self) -> int:
        """Milliseconds since the epoch, strictly increasing so that ordering is stable."""
        self._clock = max(int(time.time() * 1000), self._clock + 1)
        return self._clock

    def contract(self, contract_uuid: str) -> DataContract:
        found = self.contracts.get(contract_uuid)
        if found is None:
            raise ApiError(404, f"Data contract {contract_uuid} does not exist.", "DATA_CONTRACT_NOT_FOUND")
        return found

    def by_manifest_id(self, manifest_id: str) -> DataContract | None:
        return next((c for c in self.contracts.values() if c.manifestId == manifest_id), None)

    def version(self, contract: DataContract, version: str | None) -> ManifestVersion:
        found = contract.versions.get(version or "")
        if found is None:
            raise ApiError(
                404, f"Version {version!r} of data contract {contract.id} does not exist.", "VERSION_NOT_FOUND"
            )
        return found

    def reset(self) -> None:
        with self.lock:
            self.contracts.clear()
            if self.folder:
                for path in (self.folder / "contracts").glob("*.json"):
                    path.unlink()

    # ------------------------------------------------------------------ writes

    def create(self, *, port: str, name: str | None, manifest_id: str | None, version: str | None,
               manifest: str | None, user: str) -> DataContract:  # fmt: skip
        _check_uuid(port, "governedAssetId")
        doc = read_manifest(manifest) if manifest is not None else {}
        manifest_id = manifest_id or (str(doc["id"]) if doc.get("id") else None) or str(uuid.uuid4())
        version = version or (str(doc["version"]) if doc.get("version") else "0.0.1")
        name = name or manifest_id
        if manifest is None:
            manifest = _template(manifest_id, version, name)
            doc = read_manifest(manifest)
        with self.lock:
            owner = next((c for c in self.contracts.values() if c.governedAssetId == port), None)
            if owner is not None:
                raise ApiError(
                    409, f"Port {port} already has data contract {owner.manifestId}.", "PORT_ALREADY_GOVERNED"
                )
            if self.by_manifest_id(manifest_id) is not None:
                raise ApiError(409, f"Manifest id {manifest_id!r} is already used.", "MANIFEST_ID_ALREADY_EXISTS")
            contract = DataContract(str(uuid.uuid4()), name, manifest_id, port, self.now())
            self._add(contract, version, manifest, manifest_format(doc), user, active=True)
            self.contracts[contract.id] = contract
            self._save(contract)
            return contract

    def add_version(self, contract: DataContract, *, version: str | None, manifest: str, active: bool,
                    force: bool, user: str, doc: dict[str, Any] | None = None) -> ManifestVersion:  # fmt: skip
        doc = doc if doc is not None else read_manifest(manifest)
        version = version or (str(doc["version"]) if doc.get("version") is not None else None)
        if not version:
            raise ApiError(400, "The version is missing from the request and the manifest.", "VERSION_MISSING")
        with self.lock:
            existing = contract.versions.get(version)
            if existing is not None and not force:
                raise ApiError(
                    409, f"Version {version} already exists; use force to replace it.", "VERSION_ALREADY_EXISTS"
                )
            if existing is not None:
                existing.manifest, existing.format = manifest, manifest_format(doc)
                existing.lastModifiedBy, existing.lastModifiedOn = user, self.now()
                added = existing
            else:
                added = self._add(contract, version, manifest, manifest_format(doc), user, active=False)
            if active or contract.active_version() is None:
                self._activate(contract, version)
            contract.lastModifiedOn = self.now()
            self._save(contract)
            return added

    def set_active(self, contract: DataContract, version: str | None) -> None:
        with self.lock:
            self.version(contract, version)
            self._activate(contract, str(version))
            contract.lastModifiedOn = self.now()
            self._save(contract)

    def _add(self, contract: DataContract, version: str, manifest: str, fmt: str, user: str, *,
             active: bool) -> ManifestVersion:  # fmt: skip
        stamp = self.now()
        added = ManifestVersion(version, manifest, False, fmt, user, stamp, user, stamp)
        contract.versions[version] = added
        if active:
            self._activate(contract, version)
        return added

    @staticmethod
    def _activate(contract: DataContract, version: str) -> None:
        for item in contract.versions.values():
            item.active = item.version == version

    # ------------------------------------------------------------------ persistence

    def _save(self, contract: DataContract) -> None:
        if not self.folder:
            return
        folder = self.folder / "contracts"
        folder.mkdir(parents=True, exist_ok=True)
        data = {**asdict(contract), "versions": [asdict(v) for v in contract.versions.values()]}
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
            os.replace(tmp, folder / f"{contract.id}.json")
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def _load(self) -> None:
        assert self.folder is not None
        for path in sorted((self.folder / "contracts").glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            versions = {v["version"]: ManifestVersion(**v) for v in data.pop("versions")}
            contract = DataContract(**data, versions=versions)
            self.contracts[contract.id] = contract
            self._clock = max(self._clock, contract.lastModifiedOn)


def _check_uuid(value: str, name: str) -> None:
    try:
        uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        raise ApiError(400, f"{name} must be a UUID, got {value!r}.", "INVALID_UUID") from None


def _template(manifest_id: str, version: str, name: str) -> str:
    """What Collibra generates when a contract is initialised without a manifest (abridged)."""
    doc = {"apiVersion": "v3.0.2", "kind": "DataContract", "id": manifest_id, "version": version, "name": name,
           "status": "draft"}  # fmt: skip
    return yaml.dump(doc, Dumper=yaml.CSafeDumper, sort_keys=False)
