"""Object storage store (S3, ADLS, GCS, local disk through fsspec) with a manifest instead of listings.

Layout under the prefix, like the filesystem store::

    {prefix}/.contracts.json            root index: the ids that have versions
    {prefix}/{id}/.manifest.json        one per contract: version -> fingerprint, status, updated_at/by
    {prefix}/{id}/{version}.json        the document (readable JSON, lossless)

``list_contracts`` and ``list_versions`` are one GET each, ``latest`` two, whatever the number of
contracts. Writers never lose a manifest entry: a manifest is replaced only if it still has the ETag
that was read (S3 ``If-Match``, or a hash compared under a lock elsewhere, see ``object_blobs.py``),
else it is read again. A version exists once its manifest entry does: the document is written first,
so an entry never points at nothing; a write interrupted between the two leaves an unlisted object
that the next put of that version replaces. ``rebuild_manifest()`` rewrites every manifest from the
objects themselves.
"""

from __future__ import annotations

import contextlib
import json
import random
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from dc43_portal import odcs
from dc43_portal.errors import ContractConflict, ContractNotFound, InvalidContract, StoreUnavailable
from dc43_portal.ids import check_contract_id, is_contract_id
from dc43_portal.stores.interface import ContractInput, ContractStore, check_identity
from dc43_portal.stores.objects.blobs import Precondition, make_blobs
from dc43_portal.versioning import is_version

ROOT_INDEX = ".contracts.json"
MANIFEST = ".manifest.json"
Manifest = dict[str, Any]

try:  # botocore's connection errors are not OSErrors; s3fs passes them on untranslated
    from botocore.exceptions import BotoCoreError

    _FAULTS: tuple[type[BaseException], ...] = (OSError, TimeoutError, BotoCoreError)
except ImportError:
    _FAULTS = (OSError, TimeoutError)


class ObjectStorageContractStore(ContractStore):
    supports_status = True
    supports_delete = True

    def __init__(
        self,
        url: str = "var/contracts-objects",
        storage_options: Mapping[str, Any] | None = None,
        *,
        max_attempts: int = 16,
        single_writer: bool = False,
    ) -> None:
        import fsspec

        if not isinstance(url, str) or not url.strip():
            raise ValueError("url must be a path or a URI such as s3://bucket/contracts")
        try:
            fs, root = fsspec.core.url_to_fs(url, **dict(storage_options or {}))
        except ImportError as exc:
            raise ImportError(f"{url}: install the filesystem's extra (s3fs, adlfs or gcsfs): {exc}") from exc
        except ValueError as exc:
            raise ValueError(f"url {url!r}: {exc}") from exc
        self.url = url
        self._blobs = make_blobs(fs, root)
        self.max_attempts = max(1, int(max_attempts))
        self.single_writer = bool(single_writer)
        #: Test seam: called after a manifest was read and before the conditional write.
        self.before_manifest_write: Callable[[], None] | None = None

    def __repr__(self) -> str:
        return f"ObjectStorageContractStore({self.url!r})"

    # ---------------------------------------------------------------- writes

    def put(self, contract: ContractInput, *, actor: str | None = None, overwrite: bool = True) -> None:
        doc, contract_id, version = self._prepare(contract)
        key = _doc_key(contract_id, version)
        with self._io():
            try:
                self._blobs.write(key, odcs.dump_json(doc).encode("utf-8"), if_absent=not overwrite)
            except Precondition:
                # The object exists: an identical document only makes sure the manifest lists it.
                self._refuse_overwrite(self.get_document(contract_id, version), doc, contract_id, version)
            entry = _entry(doc, actor)
            self._update(
                _manifest_key(contract_id), {}, lambda m: m.setdefault("versions", {}).update({version: entry})
            )
            self._index(contract_id, present=True)

    def set_status(self, contract_id: str, version: str, status: str, *, actor: str | None = None) -> None:
        check_identity(contract_id, version)
        key = _doc_key(contract_id, version)
        with self._io():
            for attempt in range(self.max_attempts):
                found = self._blobs.read(key)
                if found is None:
                    raise ContractNotFound(f"contract {contract_id} {version} not found")
                doc = odcs.with_status(_parse(found[0], key), status)
                try:
                    self._blobs.write(key, odcs.dump_json(doc).encode("utf-8"), if_match=found[1])
                    break
                except Precondition:
                    _backoff(attempt)
            else:
                raise ContractConflict(f"{contract_id} {version} kept changing while its status was being set")
            entry = _entry(doc, actor)
            self._update(
                _manifest_key(contract_id), {}, lambda m: m.setdefault("versions", {}).update({version: entry})
            )

    def delete(self, contract_id: str, version: str, *, actor: str | None = None) -> None:
        check_identity(contract_id, version)

        def drop(manifest: Manifest) -> None:
            if version not in manifest.get("versions", {}):
                raise ContractNotFound(f"contract {contract_id} {version} not found")
            del manifest["versions"][version]

        with self._io():
            manifest = self._update(_manifest_key(contract_id), {}, drop)
            self._blobs.delete(_doc_key(contract_id, version))
            if not manifest["versions"]:
                self._index(contract_id, present=False)

    def _update(self, key: str, empty: Manifest, change: Callable[[Manifest], None]) -> Manifest:
        """Read, change and conditionally write one manifest, again from the read when another writer won."""
        for attempt in range(self.max_attempts):
            found = self._blobs.read(key)
            manifest = _parse(found[0], key) if found else json.loads(json.dumps(empty))
            change(manifest)
            if self.before_manifest_write is not None:
                self.before_manifest_write()
            try:
                self._blobs.write(key, _dump(manifest), if_match=found[1] if found else None, if_absent=not found)
                return manifest
            except Precondition:
                _backoff(attempt)
        raise ContractConflict(f"{self.url}/{key} kept changing: {self.max_attempts} writes lost the race; retry later")

    def _index(self, contract_id: str, *, present: bool) -> None:
        """Keep the root index in step with a contract's manifest (only when it gains or loses its versions)."""
        root = self._blobs.read(ROOT_INDEX)
        listed = root is not None and contract_id in _parse(root[0], ROOT_INDEX).get("contracts", [])
        if listed == present:
            return

        def change(index: Manifest) -> None:
            ids = set(index.get("contracts", []))
            (ids.add if present else ids.discard)(contract_id)
            index["contracts"] = sorted(ids)

        self._update(ROOT_INDEX, {"contracts": []}, change)
        if not present and self._versions(contract_id):
            self._index(contract_id, present=True)  # a concurrent put came back in between

    # ---------------------------------------------------------------- reads

    def get_document(self, contract_id: str, version: str) -> dict[str, Any]:
        check_identity(contract_id, version)
        key = _doc_key(contract_id, version)
        with self._io():
            found = self._blobs.read(key)
        if found is None:
            raise ContractNotFound(f"contract {contract_id} {version} not found")
        return _parse(found[0], key)

    def list_contracts(self) -> list[str]:
        with self._io():
            found = self._blobs.read(ROOT_INDEX)
        return sorted(_parse(found[0], ROOT_INDEX).get("contracts", [])) if found else []

    def list_versions(self, contract_id: str) -> list[str]:
        check_contract_id(contract_id)
        return self._sorted(self._versions(contract_id))

    def _versions(self, contract_id: str) -> list[str]:
        key = _manifest_key(contract_id)
        with self._io():
            found = self._blobs.read(key)
        return list(_parse(found[0], key).get("versions", {})) if found else []

    def manifest(self, contract_id: str) -> Manifest:
        """The contract's manifest: ``{"versions": {version: {fingerprint, status, updated_at, updated_by}}}``."""
        check_contract_id(contract_id)
        key = _manifest_key(contract_id)
        with self._io():
            found = self._blobs.read(key)
        return _parse(found[0], key) if found else {"versions": {}}

    def fingerprint(self, contract_id: str, version: str) -> str:
        check_identity(contract_id, version)
        entry = self.manifest(contract_id)["versions"].get(version)
        return str(entry["fingerprint"]) if entry else super().fingerprint(contract_id, version)

    # ---------------------------------------------------------------- repair, configuration, faults

    def rebuild_manifest(self) -> dict[str, int]:
        """Rewrite every manifest and the root index from the documents themselves (one listing)."""
        found: dict[str, list[str]] = {}
        with self._io():
            for key in self._blobs.list_keys():
                contract_id, _, name = key.rpartition("/")
                if is_contract_id(contract_id) and name.endswith(".json") and is_version(name[:-5]):
                    found.setdefault(contract_id, []).append(name[:-5])
            for contract_id, versions in found.items():
                entries = {v: _entry(self.get_document(contract_id, v), "rebuild_manifest") for v in versions}
                self._blobs.write(_manifest_key(contract_id), _dump({"versions": entries}))
            self._blobs.write(ROOT_INDEX, _dump({"contracts": sorted(found)}))
        return {"contracts": len(found), "versions": sum(len(v) for v in found.values())}

    def check(self) -> list[str]:
        problems = []
        if not self._blobs.conditional and not self.single_writer:
            problems.append(
                f"{self.url}: this filesystem has no conditional writes, so writers in several processes could "
                "lose manifest entries; use s3:// or a local disk, or set single_writer=true if only one "
                "process writes (rebuild_manifest() repairs a manifest)"
            )
        try:
            with self._io():
                self._blobs.probe()
        except StoreUnavailable as exc:
            problems.append(str(exc))
        return problems

    @contextlib.contextmanager
    def _io(self) -> Iterator[None]:
        try:
            yield
        except (InvalidContract, ContractNotFound, ContractConflict, StoreUnavailable, Precondition):
            raise
        except PermissionError as exc:
            raise StoreUnavailable(f"{self.url}: access refused (check the credentials): {exc}") from exc
        except _FAULTS as exc:
            raise StoreUnavailable(f"{self.url} is unavailable: {' '.join(str(exc).split())[:300]}") from exc


def _doc_key(contract_id: str, version: str) -> str:
    return f"{contract_id}/{version}.json"


def _manifest_key(contract_id: str) -> str:
    return f"{contract_id}/{MANIFEST}"


def _entry(doc: Mapping[str, Any], actor: str | None) -> dict[str, str]:
    return {
        "fingerprint": odcs.fingerprint(doc),
        "status": str(doc.get("status") or ""),
        "updated_at": datetime.now(UTC).isoformat(timespec="microseconds"),
        "updated_by": actor or "",
    }


def _dump(manifest: Manifest) -> bytes:
    return odcs.canonical_json(manifest)


def _parse(data: bytes, key: str) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except (UnicodeDecodeError, ValueError):
        raise InvalidContract([("", f"stored object {key} is not valid JSON")]) from None
    if not isinstance(value, dict):
        raise InvalidContract([("", f"stored object {key} does not hold a JSON object")])
    return value


def _backoff(attempt: int) -> None:
    time.sleep(random.uniform(0, min(0.2, 0.005 * 2**attempt)))
