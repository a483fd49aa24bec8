"""Factories for dc43's own stores, which need objects JSON cannot describe (DESIGN §5).

``DC43_STORE_BACKEND`` may name any callable: the handler calls it with ``OPTIONS`` as keyword
arguments and wraps what it returns (dc43's stores go through ``ForeignStoreAdapter``). No Django here.
"""

from __future__ import annotations

from typing import Any


def dc43_sql_store(*, url: str, table_name: str = "contracts", schema: str | None = None, **engine_options: Any) -> Any:
    """dc43's ``SQLContractStore`` on an SQLAlchemy engine built from ``url`` (``sqlite:///...``, ``postgresql+psycopg://...``)."""
    from dc43_service_backends.contracts.backend.stores.sql import SQLContractStore
    from sqlalchemy import create_engine

    return SQLContractStore(create_engine(url, **engine_options), table_name=table_name, schema=schema)


def dc43_delta_store(*, table: str | None = None, path: str | None = None, **options: Any) -> Any:
    """dc43's ``DeltaContractStore`` on the active Spark session (run the portal where Spark runs)."""
    from dc43_service_backends.contracts.backend.stores.delta import DeltaContractStore
    from pyspark.sql import SparkSession

    return DeltaContractStore(SparkSession.builder.getOrCreate(), table=table, path=path, **options)
