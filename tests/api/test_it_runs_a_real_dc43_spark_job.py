"""A real dc43 Spark job (dc43-integrations 0.42, pyspark ``local[1]``, UI off) against a live portal: it reads
with governance, writes with governance, and a second input that breaks the contract is reported. Then the
portal shows the link, the verdicts and the activity, on its models and on the steward's version page."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from dc43_portal.contracts.services import contract_transition
from dc43_portal.governance.models import DatasetLink, PipelineEvent, ValidationRecord
from tests.api.conftest import TokenFactory

pytestmark = pytest.mark.spark
pytest.importorskip("pyspark", reason="the spark test needs pyspark (make test installs it)")
pytest.importorskip("dc43_integrations", reason="the spark test needs dc43-integrations (make test installs it)")
if shutil.which("java") is None:
    pytest.skip(
        "the spark test needs a Java runtime (make test installs openjdk-17-jre-headless)", allow_module_level=True
    )

DEMO = Path(__file__).resolve().parents[2] / "dc43_portal" / "demo" / "pipeline.py"


def load_pipeline() -> Any:
    spec = importlib.util.spec_from_file_location("dc43_demo_pipeline", DEMO)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = load_pipeline().spark_session()
    yield session
    session.stop()


def test_a_dc43_spark_job_reports_to_the_portal(
    spark: Any,
    live_server: Any,
    transactional_db: None,
    author: Any,
    steward: Any,
    make_token: TokenFactory,
    tmp_path: Path,
) -> None:
    token = make_token(author, "read,write", name="pipeline")
    pipeline, url = load_pipeline(), f"{live_server.url}/api/v1"
    pipeline.ensure_contracts(url, token)  # a dc43 team's PUTs: they land as Drafts...
    for contract_id in pipeline.CONTRACT_IDS:  # ...that a steward approves, since dc43 reads only active ones
        contract_transition(contract_id=contract_id, version="1.0.0", to_status="proposed", user=author)
        contract_transition(contract_id=contract_id, version="1.0.0", to_status="active", user=steward)
    result = pipeline.run(url, token, tmp_path, spark=spark)

    assert result["read"] == "ok"
    assert result["bad_read"] == "block"
    assert "order_id" in (result["bad_reason"] or ""), result
    link = DatasetLink.objects.get(dataset_id="orders_clean")
    assert (link.contract_id, link.contract_version, link.linked_by) == ("demo.orders_clean", "1.0.0", "alice")
    verdicts = dict(ValidationRecord.objects.values_list("dataset_version", "status").filter(dataset_id="orders_raw"))
    assert verdicts == {"batch-1": "ok", "batch-2": "block"}
    assert ValidationRecord.objects.get(dataset_id="orders_clean").status == "ok"
    operations = set(PipelineEvent.objects.values_list("dataset_id", "operation"))
    # dc43's Spark writer reports its activity under the dataset it derives from the output contract.
    assert ("orders_raw", "read") in operations and {op for _, op in operations} == {"read", "write"}
    assert set(PipelineEvent.objects.values_list("pipeline", flat=True)) == {"demo.orders"}

    browser = Client()
    browser.force_login(steward)
    page = browser.get("/contracts/demo.orders_raw/versions/1.0.0/").content.decode()
    used_by = page[page.index('id="used-by"') : page.index('id="data-quality"')]
    assert "orders_raw" in used_by and "demo.orders" in used_by and "alice" in used_by
    quality = page[page.index('id="data-quality"') : page.index('id="timeline"')]
    assert "verdict-block" in quality and "not_null_order_id" in quality
    assert "verdict-block" in browser.get("/", {"health": "block"}).content.decode()
