"""A real dc43 Spark job with governance, against any dc43 governance service (the portal, or dc43's own).

It publishes two contracts when the service lacks them, writes a small good batch and a bad one
(a null ``order_id``, which the contract requires), then:

1. reads the good batch with governance (``read_with_governance``: resolve, evaluate, register);
2. writes the cleaned result with governance (``write_with_governance``: the dataset gets linked);
3. reads the bad batch with governance, not enforcing, so the service records a ``block`` verdict.

Run: ``python dc43_portal/demo/pipeline.py --url http://127.0.0.1:8000/api/v1 --token dc43p_... --workdir var/pipeline``.
Spark runs ``local[1]`` with its UI off. Prints one JSON line: the verdicts and the wall time.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

CONTRACT_IDS = ("demo.orders_raw", "demo.orders_clean")
VERSION = "1.0.0"


def contract(contract_id: str, extra_column: bool = False) -> dict[str, Any]:
    properties = [
        {"name": "order_id", "logicalType": "string", "physicalType": "string", "required": True},
        {"name": "amount", "logicalType": "number", "physicalType": "double"},
    ]
    if extra_column:
        properties.append({"name": "amount_eur", "logicalType": "number", "physicalType": "double"})
    return {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": contract_id,
        "version": VERSION,
        # dc43's readers accept only active contracts. dc43's own service keeps this; the portal stores a
        # Draft whatever a PUT says, and a steward approves it (manage.py pipeline_demo_setup does, for the demo).
        "status": "active",
        "name": contract_id.split(".")[-1].replace("_", " ").title(),
        "domain": "demo",
        "schema": [{"name": contract_id.split(".")[-1], "logicalType": "object", "properties": properties}],
    }


def spark_session() -> Any:
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master("local[1]")
        .appName("dc43-portal-demo-pipeline")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )


def http_client(token: str | None) -> Any:
    """dc43's clients accept a configured httpx client: httpx's default 5 s read timeout is short for a busy laptop."""
    import httpx

    return httpx.Client(headers={"Authorization": f"Bearer {token}"} if token else {}, timeout=60.0)


def ensure_contracts(url: str, token: str | None) -> None:
    from dc43_service_clients.contracts.client.remote import RemoteContractServiceClient
    from open_data_contract_standard.model import OpenDataContractStandard

    client = RemoteContractServiceClient(base_url=url, client=http_client(token))
    try:
        for contract_id in CONTRACT_IDS:
            if VERSION not in client.list_versions(contract_id):
                doc = contract(contract_id, extra_column=contract_id.endswith("clean"))
                client.put(OpenDataContractStandard.model_validate(doc))
    finally:
        client.close()


def write_batches(spark: Any, workdir: Path) -> tuple[str, str]:
    good = [("o-1", 10.0), ("o-2", 12.5), ("o-3", 7.25)]
    bad = [("o-4", 3.0), (None, 4.0)]
    paths = []
    for name, rows in (("good", good), ("bad", bad)):
        path = str(workdir / f"orders_raw_{name}")
        spark.createDataFrame(rows, "order_id string, amount double").write.mode("overwrite").parquet(path)
        paths.append(path)
    return paths[0], paths[1]


def run(url: str, token: str | None, workdir: Path, spark: Any | None = None) -> dict[str, Any]:
    from dc43_integrations.spark.io import read_with_governance, write_with_governance
    from dc43_service_clients.governance.client.remote import RemoteGovernanceServiceClient
    from dc43_service_clients.governance.models import ContractReference, GovernanceReadContext, GovernanceWriteContext
    from pyspark.sql import functions as f

    started = time.perf_counter()
    spark = spark or spark_session()
    ensure_contracts(url, token)
    good, bad = write_batches(spark, workdir)
    governance = RemoteGovernanceServiceClient(base_url=url, client=http_client(token))
    pipeline = {"pipeline": "demo.orders", "run_type": "batch"}
    raw = ContractReference(contract_id=CONTRACT_IDS[0], contract_version=VERSION)
    try:
        df, read_status = read_with_governance(
            spark,
            {"context": GovernanceReadContext(contract=raw, dataset_id="orders_raw", dataset_version="batch-1", pipeline_context=pipeline), "format": "parquet", "path": good},
            governance_service=governance,
        )
        clean = df.withColumn("amount_eur", f.col("amount") * f.lit(0.92))
        write_with_governance(
            clean,
            {
                "context": GovernanceWriteContext(
                    contract=ContractReference(contract_id=CONTRACT_IDS[1], contract_version=VERSION),
                    dataset_id="orders_clean",
                    dataset_version="batch-1",
                    pipeline_context=pipeline,
                ),
                "format": "parquet",
                "path": str(workdir / "orders_clean"),
                "mode": "overwrite",
            },
            governance_service=governance,
            enforce=False,
        )
        _, bad_status = read_with_governance(
            spark,
            {"context": GovernanceReadContext(contract=raw, dataset_id="orders_raw", dataset_version="batch-2", pipeline_context=pipeline), "format": "parquet", "path": bad},
            governance_service=governance,
            enforce=False,
        )
    finally:
        governance.close()
    return {
        "read": getattr(read_status, "status", None),
        "bad_read": getattr(bad_status, "status", None),
        "bad_reason": getattr(bad_status, "reason", None),
        "seconds": round(time.perf_counter() - started, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the governance service's base URL, e.g. http://127.0.0.1:8000/api/v1")
    parser.add_argument("--token", default=None, help="a bearer token with the read and write scopes")
    parser.add_argument("--workdir", default="var/pipeline", help="where the job writes its parquet files")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    print(json.dumps(run(args.url.rstrip("/"), args.token, workdir.resolve())))


if __name__ == "__main__":
    main()
