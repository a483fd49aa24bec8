"""Filesystem store: ``{base}/{id}/{version}.json`` as dc43 lays it out, with atomic writes."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dc43_portal import odcs
from dc43_portal.errors import ContractConflict, ContractNotFound, InvalidContract
from dc43_portal.stores.interface import ContractInput, ContractStore, check_identity
from dc43_portal.stores.statcache import StatCache, stat_key
from dc43_portal.versioning import is_version

if TYPE_CHECKING:
    from open_data_contract_standard.model import OpenDataContractStandard

# A parsed model takes about seven times its JSON file's size in memory (measured on a 10 KB contract).
MODEL_BYTES_PER_FILE_BYTE = 7
MAX_LISTINGS = 100_000


class FSContractStore(ContractStore):
    """Local disk, DBFS or a mounted volume; each write is a temp file, fsync, then a rename.

    Version listings and parsed models are cached per process and re-validated by one ``stat`` of the
    folder or file on every call (``statcache``), so writes by other processes are seen at once.
    ``cache_bytes`` bounds the models' estimated memory (0 turns the model cache off). ``get`` and
    ``latest`` return a shallow copy of the cached model: copy it deeply (``model_copy(deep=True)``)
    before changing nested fields in place.
    """

    supports_status = True
    supports_delete = True

    def __init__(
        self, base_path: str | os.PathLike[str] = "var/contracts", cache_bytes: int = 24 * 1024 * 1024
    ) -> None:
        self.base_path = Path(base_path)
        self._listings = StatCache(MAX_LISTINGS)
        self._models = StatCache(cache_bytes)

    def __repr__(self) -> str:
        return f"FSContractStore({str(self.base_path)!r})"

    def _path(self, contract_id: str, version: str) -> Path:
        check_identity(contract_id, version)
        return self.base_path / contract_id / f"{version}.json"

    def put(self, contract: ContractInput, *, actor: str | None = None, overwrite: bool = True) -> None:
        doc, contract_id, version = self._prepare(contract)
        path = self._path(contract_id, version)
        if not overwrite and path.exists():
            self._refuse_overwrite(self.get_document(contract_id, version), doc, contract_id, version)
            return
        self._write(path, doc, exclusive=not overwrite)

    def get_document(self, contract_id: str, version: str) -> dict[str, Any]:
        path = self._path(contract_id, version)
        try:
            raw = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            raise ContractNotFound(f"contract {contract_id} {version} not found") from None
        try:
            doc = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise InvalidContract([("", f"stored file {path} is not valid JSON")]) from None
        if not isinstance(doc, dict):
            raise InvalidContract([("", f"stored file {path} does not hold a JSON object")])
        return doc

    def list_contracts(self) -> list[str]:
        try:
            entries = list(os.scandir(self.base_path))
        except FileNotFoundError:
            return []
        return sorted(
            e.name for e in entries if e.is_dir() and not e.name.startswith(".") and self._versions_in(e.path)
        )

    def get(self, contract_id: str, version: str) -> OpenDataContractStandard:
        path = str(self._path(contract_id, version))
        key = stat_key(path)
        model = self._models.get(path, key) if key is not None else None
        if model is None:
            model = odcs.to_model(self.get_document(contract_id, version))
            if key is not None:
                self._models.put(path, key, model, key[2] * MODEL_BYTES_PER_FILE_BYTE)
        return model.model_copy()

    def list_versions(self, contract_id: str) -> list[str]:
        check_identity(contract_id, "0.0.0")
        folder = f"{self.base_path}{os.sep}{contract_id}"
        # Stat before listing: a write in between leaves a newer mtime, so the next call lists again.
        key = stat_key(folder)
        if key is None:
            return []
        cached = self._listings.get(folder, key)
        if cached is not None:
            return list(cached)
        versions = self._sorted(self._versions_in(folder))
        self._listings.put(folder, key, tuple(versions))
        return versions

    def _forget(self, path: Path) -> None:
        """Drop what this process cached about ``path`` and its folder (its own writes)."""
        self._models.forget(str(path))
        self._listings.forget(str(path.parent))

    def unserved_versions(self) -> list[tuple[str, str]]:
        """(id, name) of documents whose file name is not a SemVer version: kept, never served; sync names them."""
        try:
            folders = [e for e in os.scandir(self.base_path) if e.is_dir() and not e.name.startswith(".")]
        except FileNotFoundError:
            return []
        found = []
        for folder in sorted(folders, key=lambda e: e.name):
            names = sorted(os.listdir(folder.path))
            found += [(folder.name, n[:-5]) for n in names if n.endswith(".json") and not n.startswith(".")]
        return [(cid, version) for cid, version in found if not is_version(version)]

    @staticmethod
    def _versions_in(folder: str | Path) -> list[str]:
        try:
            names = os.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            return []
        # Temp files start with "." and foreign files are not SemVer, so both are skipped.
        return [n[:-5] for n in names if n.endswith(".json") and is_version(n[:-5])]

    def set_status(self, contract_id: str, version: str, status: str, *, actor: str | None = None) -> None:
        doc = self.get_document(contract_id, version)
        self._write(self._path(contract_id, version), odcs.with_status(doc, status), exclusive=False)

    def delete(self, contract_id: str, version: str, *, actor: str | None = None) -> None:
        path = self._path(contract_id, version)
        self._forget(path)
        try:
            path.unlink()
        except FileNotFoundError:
            raise ContractNotFound(f"contract {contract_id} {version} not found") from None
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # only succeeds when the folder is now empty

    def check(self) -> list[str]:
        if self.base_path.exists() and not self.base_path.is_dir():
            return [f"{self.base_path} exists and is not a folder"]
        parent = self.base_path if self.base_path.exists() else self.base_path.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not os.access(parent, os.W_OK):
            return [f"{parent} is not writable"]
        return []

    def _write(self, path: Path, doc: dict[str, Any], *, exclusive: bool) -> None:
        """Write to a temp file in the same folder, fsync, then rename (or link, to refuse an overwrite)."""
        self._forget(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(odcs.dump_json(doc))
                handle.flush()
                os.fsync(handle.fileno())
            if exclusive:
                try:
                    os.link(tmp, path)  # atomic create-if-absent: a concurrent writer's file is kept
                except FileExistsError:
                    self._refuse_overwrite(self.get_document(doc["id"], doc["version"]), doc, doc["id"], doc["version"])
            else:
                os.replace(tmp, path)
            _fsync_dir(path.parent)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        if exclusive:
            os.unlink(tmp)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


__all__ = ["ContractConflict", "FSContractStore"]
