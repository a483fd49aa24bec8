"""Spark mode of ``DeltaContractStore``: the same table, read and written through Delta Lake on Spark.

Use it inside a Spark job or a Databricks notebook, where the Delta jars are already on the cluster::

    store = DeltaContractStore("abfss://lake@acct.dfs.core.windows.net/governance/contracts", spark=spark)

The rows, the MERGE conditions (column names only, values in a one-row source DataFrame) and the
``dc43.*`` commit metadata (here in ``userMetadata``) are the ones delta-rs writes, so both modes share
one table. It is not tested here: no Delta Lake jars can be fetched on this machine.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pyarrow as pa

from dc43_portal.stores.delta.engine import KEY_PREDICATE, SCHEMA, STATUS_COLUMNS, UPDATED_COLUMNS

_USER_METADATA = "spark.databricks.delta.commitInfo.userMetadata"


class _SparkHandle:
    def __init__(self, engine: SparkEngine, options: Mapping[str, str] | None = None) -> None:
        self.engine, self.options = engine, dict(options or {})

    def version(self) -> int:
        if "versionAsOf" in self.options:
            return int(self.options["versionAsOf"])
        return int(self.engine.table().history(1).select("version").first()[0])

    def dataframe(self) -> Any:
        reader = self.engine.spark.read.format("delta")
        for key, value in self.options.items():
            reader = reader.option(key, value)
        return reader.load(self.engine.table_uri)


class SparkEngine:
    def __init__(self, spark: Any, table_uri: str, properties: Mapping[str, str]) -> None:
        from delta.exceptions import DeltaConcurrentModificationException  # delta-spark

        self.spark, self.table_uri, self.properties = spark, table_uri, dict(properties)
        self.commit_errors: tuple[type[BaseException], ...] = (DeltaConcurrentModificationException,)
        self.read_lock = threading.RLock()
        self.write_lock = threading.Lock()
        self._last_version: int | None = None

    def table(self) -> Any:
        from delta.tables import DeltaTable

        return DeltaTable.forPath(self.spark, self.table_uri)

    def current(self) -> _SparkHandle | None:
        from delta.tables import DeltaTable

        return _SparkHandle(self) if DeltaTable.isDeltaTable(self.spark, self.table_uri) else None

    def at(self, as_of: int | str | datetime) -> _SparkHandle:
        if isinstance(as_of, int):
            return _SparkHandle(self, {"versionAsOf": str(as_of)})
        return _SparkHandle(self, {"timestampAsOf": as_of.isoformat() if isinstance(as_of, datetime) else as_of})

    @staticmethod
    def read(
        table: _SparkHandle, columns: list[str], contract_id: str | None = None, version: str | None = None
    ) -> pa.Table:
        from pyspark.sql import functions as F  # noqa: N812

        frame = table.dataframe()
        if contract_id is not None:
            frame = frame.where(F.col("contract_id") == F.lit(contract_id))
        if version is not None:
            frame = frame.where(F.col("version") == F.lit(version))
        rows = [row.asDict() for row in frame.select(*columns).collect()]
        return pa.Table.from_pylist(rows, schema=pa.schema([SCHEMA.field(c) for c in columns]))

    def merge(self, row: Mapping[str, Any], kind: str, metadata: Mapping[str, str]) -> dict[str, Any]:
        from delta.tables import DeltaTable

        if self.current() is None:
            builder = DeltaTable.createIfNotExists(self.spark).location(self.table_uri)
            builder = builder.addColumns(self._spark_schema())
            for key, value in self.properties.items():
                builder = builder.property(key, value)
            builder.execute()
        full = {name: row.get(name) for name in SCHEMA.names}
        source = self.spark.createDataFrame([full], schema=self._spark_schema())
        merger = self.table().alias("t").merge(source.alias("s"), KEY_PREDICATE)
        if kind == "upsert":
            merger = merger.whenMatchedUpdate("t.json <> s.json", {c: f"s.{c}" for c in UPDATED_COLUMNS})
        if kind in ("upsert", "insert"):
            merger = merger.whenNotMatchedInsertAll()
        elif kind == "status":
            merger = merger.whenMatchedUpdate("t.fingerprint = s.fingerprint", {c: f"s.{c}" for c in STATUS_COLUMNS})
        else:
            merger = merger.whenMatchedDelete()
        self.spark.conf.set(_USER_METADATA, json.dumps(dict(metadata)))
        try:
            merger.execute()
        finally:
            self.spark.conf.unset(_USER_METADATA)
        last = self.table().history(1).first().asDict()
        self._last_version = int(last["version"])
        metrics = last.get("operationMetrics") or {}
        return {
            "num_target_rows_inserted": int(metrics.get("numTargetRowsInserted", 0)),
            "num_target_rows_updated": int(metrics.get("numTargetRowsUpdated", 0)),
            "num_target_rows_deleted": int(metrics.get("numTargetRowsDeleted", 0)),
        }

    def writer_version(self) -> int | None:
        return self._last_version

    @staticmethod
    def column_names(table: _SparkHandle) -> list[str]:
        return list(table.dataframe().columns)

    def history(self, table: _SparkHandle, limit: int | None) -> list[dict[str, Any]]:
        frame = self.table().history(limit) if limit else self.table().history()
        commits = []
        for row in frame.collect():
            commit = {"version": int(row["version"]), "timestamp": int(row["timestamp"].timestamp() * 1000)}
            commit["operation"] = row["operation"]
            with contextlib.suppress(ValueError):  # another writer's free-text metadata is skipped
                commit.update(json.loads(row["userMetadata"] or "{}"))
            commits.append(commit)
        return commits

    def compact(self) -> dict[str, Any]:
        return {"files": self.table().optimize().executeCompaction().count()}

    def vacuum(self, retention_hours: int | None) -> list[str]:
        self.table().vacuum(retention_hours)
        return []

    def _spark_schema(self) -> Any:
        from pyspark.sql import types as T  # noqa: N812

        kinds = {
            pa.string(): T.StringType(),
            pa.int64(): T.LongType(),
            pa.bool_(): T.BooleanType(),
            pa.timestamp("us", tz="UTC"): T.TimestampType(),
        }
        return T.StructType([T.StructField(f.name, kinds[f.type], f.nullable) for f in SCHEMA])
