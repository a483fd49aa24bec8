"""The Delta table behind ``DeltaContractStore``: its schema, and delta-rs reads and MERGE commits.

No predicate here ever holds user text: MERGE conditions name columns only (``t.*`` and ``s.*``), the
values travel in the one-row source table, and reads filter with pyarrow expressions, not SQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Literal

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import CommitProperties, DeltaTable, PostCommitHookProperties
from deltalake.exceptions import CommitFailedError, TableNotFoundError

__all__ = ["KEY_PREDICATE", "SCHEMA", "STATUS_COLUMNS", "UPDATED_COLUMNS", "DeltaEngine", "MergeKind"]

SCHEMA = pa.schema(
    [
        pa.field("contract_id", pa.string(), nullable=False),
        pa.field("version", pa.string(), nullable=False),
        pa.field("major", pa.int64()),
        pa.field("minor", pa.int64()),
        pa.field("patch", pa.int64()),
        pa.field("is_release", pa.bool_()),
        pa.field("prerelease_key", pa.string()),
        pa.field("status", pa.string()),
        pa.field("name", pa.string()),
        pa.field("description", pa.string()),
        pa.field("json", pa.string()),
        pa.field("fingerprint", pa.string()),
        pa.field("created_at", pa.timestamp("us", tz="UTC")),
        pa.field("updated_at", pa.timestamp("us", tz="UTC")),
        pa.field("updated_by", pa.string()),
    ]
)
COLUMNS = SCHEMA.names
# Key columns, named, never valued: the values come from the source row.
KEY_PREDICATE = "t.contract_id = s.contract_id AND t.version = s.version"
UPDATED_COLUMNS = [c for c in COLUMNS if c not in ("contract_id", "version", "created_at")]
STATUS_COLUMNS = ["status", "json", "updated_at", "updated_by"]

MergeKind = Literal["upsert", "insert", "status", "delete"]


def table_properties(checkpoint_interval: int, log_retention: str, file_retention: str) -> dict[str, str]:
    return {
        "delta.checkpointInterval": str(checkpoint_interval),
        "delta.logRetentionDuration": log_retention,
        "delta.deletedFileRetentionDuration": file_retention,
        "delta.appendOnly": "false",
    }


class DeltaEngine:
    """One table URI through delta-rs: a reader handle and a writer handle, each kept at the newest commit.

    Callers hold ``read_lock`` around ``current()`` and what they read from it; writers in one process
    take turns on ``write_lock`` (other processes are kept apart by Delta's optimistic commits).
    """

    def __init__(self, table_uri: str, storage_options: Mapping[str, str], properties: Mapping[str, str]) -> None:
        self.table_uri = table_uri
        self.storage_options = dict(storage_options)
        self.properties = dict(properties)
        self._reader: DeltaTable | None = None
        self._writer: DeltaTable | None = None
        self.read_lock = threading.RLock()
        self.write_lock = threading.Lock()
        self.commit_errors: tuple[type[BaseException], ...] = (CommitFailedError,)
        #: Test seam: called after a writer has read its snapshot and before its MERGE commits.
        self.before_commit: Callable[[], None] | None = None

    def current(self) -> DeltaTable | None:
        """The reader at the newest commit, or ``None`` while the table does not exist yet."""
        self._reader = self._refresh(self._reader)
        return self._reader

    def _refresh(self, table: DeltaTable | None) -> DeltaTable | None:
        if table is None:
            try:
                return DeltaTable(self.table_uri, storage_options=self.storage_options)
            except TableNotFoundError:
                return None
        table.update_incremental()
        return table

    def at(self, as_of: int | str | datetime) -> DeltaTable:
        """A separate handle on an older table version (time travel)."""
        table = DeltaTable(self.table_uri, storage_options=self.storage_options)
        table.load_as_version(as_of)
        return table

    def create(self) -> None:
        DeltaTable.create(
            self.table_uri,
            SCHEMA,
            mode="ignore",
            name="dc43_contracts",
            description="ODCS data contracts written by the dc43 portal",
            configuration=self.properties,
            storage_options=self.storage_options,
        )

    @staticmethod
    def read(
        table: DeltaTable, columns: list[str], contract_id: str | None = None, version: str | None = None
    ) -> pa.Table:
        """Rows of one contract (or one version), or of all; files are pruned by their min/max statistics.

        Rows are filtered after the read, on columns cast to ``string``: files written by DataFusion may
        hold ``string_view`` columns, which pyarrow's scan filter cannot compare with a string.
        """
        if contract_id is None:
            return table.to_pyarrow_dataset().to_table(columns=columns)
        keys = [("contract_id", "=", contract_id)] + ([("version", "=", version)] if version is not None else [])
        wanted = list(dict.fromkeys([*columns, "contract_id", "version"]))
        rows = table.to_pyarrow_dataset(file_pruning_predicate=keys).to_table(columns=wanted)
        mask = pc.equal(rows["contract_id"].cast(pa.string()), contract_id)
        if version is not None:
            mask = pc.and_(mask, pc.equal(rows["version"].cast(pa.string()), version))
        return rows.filter(mask).select(columns)

    def merge(self, row: Mapping[str, Any], kind: MergeKind, metadata: Mapping[str, str]) -> dict[str, Any]:
        """One MERGE commit keyed on (contract_id, version); ``CommitFailedError`` on a concurrent commit.

        The caller holds ``write_lock``.
        """
        table = self._writer = self._refresh(self._writer)
        if table is None:
            self.create()
            table = self._writer = self._refresh(None)
            assert table is not None
        if self.before_commit is not None:
            self.before_commit()
        source = pa.Table.from_pylist([dict(row)], schema=SCHEMA)
        merger = table.merge(
            source,
            KEY_PREDICATE,
            source_alias="s",
            target_alias="t",
            streamed_exec=False,  # lets delta-rs prune target files with the source's key values
            commit_properties=CommitProperties(custom_metadata=dict(metadata)),
            post_commithook_properties=PostCommitHookProperties(create_checkpoint=True, cleanup_expired_logs=None),
        )
        if kind == "upsert":
            # An identical document is not rewritten, so a repeated put makes no commit.
            merger = merger.when_matched_update({c: f"s.{c}" for c in UPDATED_COLUMNS}, predicate="t.json <> s.json")
        if kind in ("upsert", "insert"):
            merger = merger.when_not_matched_insert_all()
        elif kind == "status":
            # Only the content that was read is changed: a concurrent replacement makes this a no-op.
            merger = merger.when_matched_update(
                {c: f"s.{c}" for c in STATUS_COLUMNS}, predicate="t.fingerprint = s.fingerprint"
            )
        else:
            merger = merger.when_matched_delete()
        return dict(merger.execute())

    def writer_version(self) -> int | None:
        return self._writer.version() if self._writer is not None else None

    @staticmethod
    def column_names(table: DeltaTable) -> list[str]:
        return [field.name for field in table.schema().fields]

    def history(self, table: DeltaTable, limit: int | None) -> list[dict[str, Any]]:
        return table.history(limit)

    def compact(self) -> dict[str, Any]:
        """Rewrite small files into large ones (caller holds ``write_lock``); no data changes."""
        table = self._writer = self._refresh(self._writer)
        if table is None:
            return {}
        meta = CommitProperties(custom_metadata={"dc43.action": "compact"})
        return dict(table.optimize.compact(commit_properties=meta))

    def vacuum(self, retention_hours: int | None) -> list[str]:
        table = self._writer = self._refresh(self._writer)
        if table is None:
            return []
        return list(table.vacuum(retention_hours=retention_hours, dry_run=False, enforce_retention_duration=True))
