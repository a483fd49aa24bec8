"""Delta table store: one row per (contract_id, version), written by delta-rs, readable by Spark.

Every write is one MERGE commit keyed on (``contract_id``, ``version``) that carries ``dc43.*`` commit
metadata (who, what, which version), so the Delta log is the store's history and time travel works
with ``get(..., as_of=<table version or timestamp>)``. Columns are documented in docs/stores-lakehouse.md.
Spark jobs can pass a ``SparkSession`` (``spark=``) to read and write through
Delta Lake on Spark instead (see ``spark.py``).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from open_data_contract_standard.model import OpenDataContractStandard

from dc43_portal import odcs
from dc43_portal.errors import ContractConflict, ContractNotFound, InvalidContract, StoreUnavailable
from dc43_portal.ids import check_contract_id
from dc43_portal.stores.interface import ContractInput, ContractStore, HistoryEntry, check_identity
from dc43_portal.versioning import sort_fields

try:
    from deltalake.exceptions import DeltaError

    from dc43_portal.stores.delta.engine import SCHEMA, DeltaEngine, MergeKind, table_properties
except ImportError as exc:  # reported when the store is built, so `manage.py check` names the extra
    _MISSING = f"DeltaContractStore needs deltalake[pyarrow]: pip install 'dc43-portal[lakehouse]' ({exc})"
else:
    _MISSING = ""

SCHEMES = ("", "file", "s3", "s3a", "abfss", "abfs", "az", "adl", "gs", "gcs", "memory")
AsOf = int | str | datetime
_INDEX_COLUMNS = ["contract_id", "version", "status", "fingerprint"]
_DOC_CACHE_SIZE = 4096


class DeltaCommitConflict(ContractConflict):
    """Concurrent writers kept winning the commit race, past the bounded number of attempts."""


class DeltaContractStore(ContractStore):
    supports_status = True
    supports_delete = True
    supports_history = True

    def __init__(
        self,
        table_uri: str = "var/contracts.delta",
        storage_options: Mapping[str, str] | None = None,
        *,
        max_commit_attempts: int = 8,
        compact_every: int = 100,
        checkpoint_interval: int = 100,
        log_retention: str = "interval 30 days",
        deleted_file_retention: str = "interval 7 days",
        spark: Any = None,
    ) -> None:
        if _MISSING:
            raise ImportError(_MISSING)
        self.table_uri = _normalise_uri(table_uri)
        self.max_commit_attempts = max(1, int(max_commit_attempts))
        self.compact_every = int(compact_every)
        props = table_properties(int(checkpoint_interval), log_retention, deleted_file_retention)
        if spark is not None:
            from dc43_portal.stores.delta.spark import SparkEngine

            self._engine: Any = SparkEngine(spark, self.table_uri, props)
        else:
            self._engine = DeltaEngine(self.table_uri, {k: str(v) for k, v in (storage_options or {}).items()}, props)
        self._index_version = -1
        self._index: dict[str, dict[str, tuple[str, str]]] = {}
        self._docs: OrderedDict[tuple[str, str], tuple[str, str, str]] = OrderedDict()
        self._history_upto = -1
        self._history: dict[str, list[HistoryEntry]] = {}

    def __repr__(self) -> str:
        return f"DeltaContractStore({self.table_uri!r})"

    # ---------------------------------------------------------------- writes

    def put(self, contract: ContractInput, *, actor: str | None = None, overwrite: bool = True) -> None:
        doc, contract_id, version = self._prepare(contract)
        if not overwrite and self._entry(contract_id, version) is not None:
            self._refuse_overwrite(self.get_document(contract_id, version), doc, contract_id, version)
            return
        row = _row(doc, contract_id, version, actor)
        metrics = self._merge(row, "upsert" if overwrite else "insert", "put", actor)
        if not overwrite and not metrics.get("num_target_rows_inserted"):
            self._refuse_overwrite(self.get_document(contract_id, version), doc, contract_id, version)

    def set_status(self, contract_id: str, version: str, status: str, *, actor: str | None = None) -> None:
        """Change the ``status`` column and the payload's ``status`` in one commit."""
        for _ in range(self.max_commit_attempts):
            doc = self.get_document(contract_id, version)
            if doc.get("status") == status:
                return
            metrics = self._merge(
                _row(odcs.with_status(doc, status), contract_id, version, actor), "status", f"status {status}", actor
            )
            if metrics.get("num_target_rows_updated"):
                return
            # The row was replaced or deleted between the read and the commit: read it again.
        raise DeltaCommitConflict(f"{contract_id} {version} kept changing while its status was being set")

    def delete(self, contract_id: str, version: str, *, actor: str | None = None) -> None:
        check_identity(contract_id, version)
        key = {"contract_id": contract_id, "version": version}
        if not self._merge(key, "delete", "delete", actor).get("num_target_rows_deleted"):
            raise ContractNotFound(f"contract {contract_id} {version} not found")

    def _merge(self, row: Mapping[str, Any], kind: MergeKind, what: str, actor: str | None) -> dict[str, Any]:
        """One MERGE commit, retried with jittered backoff while concurrent writers win the race."""
        metadata = {
            "dc43.contract_id": row["contract_id"],
            "dc43.version": row["version"],
            "dc43.action": what,
            "dc43.actor": actor or "",
        }
        with self._engine.write_lock:
            for attempt in range(1, self.max_commit_attempts + 1):
                try:
                    with self._io():
                        metrics = self._engine.merge(row, kind, metadata)
                except self._engine.commit_errors:
                    time.sleep(random.uniform(0, min(0.5, 0.01 * 2**attempt)))
                    continue
                self._maintain_after_commit()
                return metrics
        raise DeltaCommitConflict(
            f"could not write {row['contract_id']} {row['version']}: concurrent writers to {self.table_uri} "
            f"won the commit {self.max_commit_attempts} times in a row; retry later"
        )

    def _maintain_after_commit(self) -> None:
        """Compact small files every ``compact_every`` table versions; checkpoints come from the table property."""
        if self.compact_every <= 0:
            return
        version = self._engine.writer_version()
        if version and version % self.compact_every == 0:
            with contextlib.suppress(*self._engine.commit_errors, StoreUnavailable), self._io():
                self._engine.compact()

    def maintain(self, *, vacuum_retention_hours: int | None = None) -> dict[str, Any]:
        """Compaction then VACUUM (files older than the table's retention); for a scheduled job."""
        with self._engine.write_lock, self._io():
            compacted = self._engine.compact()
            removed = self._engine.vacuum(vacuum_retention_hours)
        return {"compacted": compacted, "vacuumed_files": len(removed)}

    # ---------------------------------------------------------------- reads

    def get(self, contract_id: str, version: str, *, as_of: AsOf | None = None) -> OpenDataContractStandard:
        return odcs.to_model(self.get_document(contract_id, version, as_of=as_of))

    def get_document(self, contract_id: str, version: str, *, as_of: AsOf | None = None) -> dict[str, Any]:
        check_identity(contract_id, version)
        if as_of is not None:
            return self._document_as_of(contract_id, version, as_of)
        entry = self._entry(contract_id, version)
        if entry is None:
            raise ContractNotFound(f"contract {contract_id} {version} not found")
        cached = self._docs.get((contract_id, version))
        if cached is None or cached[:2] != entry:
            with self._engine.read_lock, self._io():
                table = self._engine.current()
                rows = self._engine.read(table, ["fingerprint", "status", "json"], contract_id, version).to_pylist()
                if not rows:
                    raise ContractNotFound(f"contract {contract_id} {version} not found")
                cached = (rows[0]["fingerprint"], rows[0]["status"], rows[0]["json"])
                self._remember(contract_id, version, cached)
        return _load(cached[2], contract_id, version)

    def _document_as_of(self, contract_id: str, version: str, as_of: AsOf) -> dict[str, Any]:
        as_of = int(as_of) if isinstance(as_of, str) and as_of.isdigit() else as_of
        with self._io():
            try:
                table = self._engine.at(as_of)
            except (DeltaError, ValueError) as exc:
                raise ContractNotFound(f"{self.table_uri} has no state as of {as_of}: {_short(exc)}") from None
            rows = self._engine.read(table, ["json"], contract_id, version).to_pylist()
        if not rows:
            raise ContractNotFound(f"contract {contract_id} {version} not found as of {as_of}")
        return _load(rows[0]["json"], contract_id, version)

    def list_contracts(self) -> list[str]:
        return sorted(cid for cid, versions in self._snapshot().items() if versions)

    def list_versions(self, contract_id: str) -> list[str]:
        check_contract_id(contract_id)
        return self._sorted(list(self._snapshot().get(contract_id, {})))

    def exists(self, contract_id: str, version: str) -> bool:
        check_identity(contract_id, version)
        return self._entry(contract_id, version) is not None

    def fingerprint(self, contract_id: str, version: str) -> str:
        check_identity(contract_id, version)
        entry = self._entry(contract_id, version)
        if entry is None:
            raise ContractNotFound(f"contract {contract_id} {version} not found")
        return entry[0]

    def history(self, contract_id: str) -> list[HistoryEntry]:
        """Every portal commit that touched this contract, oldest first; ``ref`` is the table version."""
        check_contract_id(contract_id)
        with self._engine.read_lock, self._io():
            table = self._engine.current()
            newest = table.version() if table is not None else -1
            if newest > self._history_upto:
                # Only the commits since the last call are read: the log is append-only.
                limit = None if self._history_upto < 0 else newest - self._history_upto
                for commit in sorted(self._engine.history(table, limit), key=lambda c: c.get("version", 0)):
                    entry = _history_entry(commit)
                    if entry is not None:
                        self._history.setdefault(commit["dc43.contract_id"], []).append(entry)
                self._history_upto = newest
            return list(self._history.get(contract_id, []))

    def _snapshot(self) -> dict[str, dict[str, tuple[str, str]]]:
        """id -> version -> (fingerprint, status), reloaded (four small columns) when the table moved on."""
        with self._engine.read_lock, self._io():
            table = self._engine.current()
            if table is None:
                return {}
            current = table.version()
            if current != self._index_version:
                index: dict[str, dict[str, tuple[str, str]]] = {}
                for row in self._engine.read(table, _INDEX_COLUMNS).to_pylist():
                    index.setdefault(row["contract_id"], {})[row["version"]] = (row["fingerprint"], row["status"])
                self._index, self._index_version = index, current
            return self._index

    def _entry(self, contract_id: str, version: str) -> tuple[str, str] | None:
        return self._snapshot().get(contract_id, {}).get(version)

    def _remember(self, contract_id: str, version: str, cached: tuple[str, str, str]) -> None:
        self._docs[(contract_id, version)] = cached
        self._docs.move_to_end((contract_id, version))
        while len(self._docs) > _DOC_CACHE_SIZE:
            self._docs.popitem(last=False)

    # ---------------------------------------------------------------- configuration and faults

    def check(self) -> list[str]:
        try:
            with self._engine.read_lock, self._io():
                table = self._engine.current()
        except StoreUnavailable as exc:
            return [str(exc)]
        if table is None:
            return _check_creatable(self.table_uri)
        missing = [name for name in SCHEMA.names if name not in self._engine.column_names(table)]
        if missing:
            return [f"{self.table_uri} is a Delta table without the store's columns {', '.join(missing)}"]
        return []

    @contextlib.contextmanager
    def _io(self) -> Iterator[None]:
        """Storage faults (unreachable endpoint, refused credentials) become ``StoreUnavailable``."""
        try:
            yield
        except (*self._engine.commit_errors, InvalidContract, ContractNotFound, ContractConflict, StoreUnavailable):
            raise
        except (OSError, DeltaError) as exc:
            raise StoreUnavailable(f"Delta table {self.table_uri} is unavailable: {_short(exc)}") from exc


def _row(doc: Mapping[str, Any], contract_id: str, version: str, actor: str | None) -> dict[str, Any]:
    now = datetime.now(UTC)
    description = doc.get("description")
    if isinstance(description, Mapping):
        description = description.get("purpose") or description.get("usage")
    return {
        "contract_id": contract_id,
        "version": version,
        **sort_fields(version),
        "status": str(doc.get("status") or ""),
        "name": doc["name"] if isinstance(doc.get("name"), str) else None,
        "description": description if isinstance(description, str) else None,
        "json": odcs.compact_json(doc).decode("utf-8"),
        "fingerprint": odcs.fingerprint(doc),
        "created_at": now,
        "updated_at": now,
        "updated_by": actor or "",
    }


def _load(text: str, contract_id: str, version: str) -> dict[str, Any]:
    try:
        doc = json.loads(text)
    except (TypeError, ValueError):
        raise InvalidContract([("", f"stored row {contract_id} {version} does not hold JSON")]) from None
    if not isinstance(doc, dict):
        raise InvalidContract([("", f"stored row {contract_id} {version} does not hold a JSON object")])
    return doc


def _history_entry(commit: Mapping[str, Any]) -> HistoryEntry | None:
    version = commit.get("dc43.version")
    if not commit.get("dc43.contract_id") or not version:
        return None  # compaction, table creation, or another writer's commit
    return HistoryEntry(
        when=datetime.fromtimestamp(int(commit.get("timestamp", 0)) / 1000, UTC),
        who=str(commit.get("dc43.actor") or ""),
        what=str(commit.get("dc43.action") or commit.get("operation") or ""),
        version=str(version),
        ref=str(commit.get("version", "")),
    )


def _normalise_uri(uri: object) -> str:
    if not isinstance(uri, str | Path) or not str(uri).strip():
        raise ValueError("table_uri must be a local path or a URI such as s3://bucket/contracts")
    text = str(uri)
    scheme = urlsplit(text).scheme.lower()
    if len(scheme) == 1:  # a Windows drive letter
        scheme = ""
    if scheme not in SCHEMES:
        raise ValueError(f"table_uri {text!r}: unsupported scheme {scheme!r}; use a path or one of s3, abfss, gs")
    return str(Path(text).absolute()) if scheme == "" else text


def _check_creatable(uri: str) -> list[str]:
    if urlsplit(uri).scheme:
        return []  # a remote table is created by the first write; reaching it was checked already
    path = Path(uri)
    if path.exists() and any(path.iterdir()) and not (path / "_delta_log").is_dir():
        return [f"{uri} exists and is not a Delta table"]
    parent = path
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        return [f"{parent} is not a folder"]
    return [] if os.access(parent, os.W_OK) else [f"{parent} is not writable"]


def _short(exc: BaseException) -> str:
    text = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).split())  # delta-rs colours its messages
    return text[:300] + ("..." if len(text) > 300 else "")
