"""dc43's four remote clients and ``load_service_clients``, unchanged, against a live portal: every route."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from dc43_service_clients.bootstrap import load_service_clients
from dc43_service_clients.contracts.client.remote import RemoteContractServiceClient
from dc43_service_clients.data_products.client.remote import RemoteDataProductServiceClient
from dc43_service_clients.data_quality import ObservationPayload, ValidationResult
from dc43_service_clients.data_quality.client.remote import RemoteDataQualityServiceClient
from dc43_service_clients.governance.client.remote import RemoteGovernanceServiceClient
from dc43_service_clients.governance.lineage import decode_lineage_event
from dc43_service_clients.governance.models import ContractReference, GovernanceReadContext, GovernanceWriteContext
from dc43_service_clients.odps import OpenDataProductStandard
from open_data_contract_standard.model import OpenDataContractStandard

from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from dc43_portal.governance.models import DatasetLink, PipelineEvent, ValidationRecord
from tests.api.conftest import TokenFactory
from tests.conftest import make_doc

CID, VERSION = "sales.orders", "1.0.0"
SCHEMA = {"order_id": {"odcs_type": "string", "nullable": False}, "amount": {"odcs_type": "number", "nullable": True}}
GOOD = ObservationPayload(metrics={"row_count": 3, "violations.not_null_order_id": 0}, schema=SCHEMA)
BAD = ObservationPayload(metrics={"row_count": 3, "violations.not_null_order_id": 2}, schema=SCHEMA)


@pytest.fixture
def base(live_server: Any) -> str:
    return f"{live_server.url}/api/v1"


@pytest.fixture
def token(transactional_db: None, author: Any, make_token: TokenFactory) -> str:
    """A pipeline's token: read and write, nothing more."""
    return make_token(author, "read,write", name="pipeline")


@pytest.fixture
def contract(base: str, token: str) -> Iterator[OpenDataContractStandard]:
    client = RemoteContractServiceClient(base_url=base, token=token)
    model = OpenDataContractStandard.model_validate(make_doc(CID, VERSION))
    client.put(model)
    yield model
    client.close()


@pytest.fixture
def gov(base: str, token: str) -> Iterator[RemoteGovernanceServiceClient]:
    client = RemoteGovernanceServiceClient(base_url=base, token=token)
    yield client
    client.close()


def read_context(dataset_version: str = "d1") -> GovernanceReadContext:
    return GovernanceReadContext(
        contract=ContractReference(contract_id=CID, contract_version=VERSION),
        dataset_id="orders",
        dataset_version=dataset_version,
        pipeline_context={"pipeline": "etl.orders"},
    )


def test_a_read_and_a_write_with_governance(contract: Any, gov: RemoteGovernanceServiceClient) -> None:
    gov.configure_auth({"token": "kept-for-this-request-only"})
    plan = gov.resolve_read_context(context=read_context())
    assert (plan.contract_id, plan.contract_version, plan.dataset_id) == (CID, VERSION, "orders")
    assessment = gov.evaluate_read_plan(plan=plan, validation=None, observations=lambda: GOOD)
    assert assessment.status is not None and assessment.status.status == "ok"
    gov.register_read_activity(plan=plan, assessment=assessment)

    write = gov.resolve_write_context(
        context=GovernanceWriteContext(
            contract=ContractReference(contract_id=CID), dataset_id="orders.out", dataset_version="w1"
        )
    )
    assert write.contract_version == VERSION  # no version: the latest one
    written = gov.evaluate_write_plan(plan=write, validation=None, observations=lambda: BAD)
    assert written.status is not None and written.status.status == "block"  # violations on a write block
    gov.register_write_activity(plan=write, assessment=written)

    assert gov.get_linked_contract_version(dataset_id="orders.out") == f"{CID}:{VERSION}"
    assert gov.get_linked_contract_version(dataset_id="nowhere") is None
    status = gov.get_status(contract_id=CID, contract_version=VERSION, dataset_id="orders.out", dataset_version="w1")
    assert status is not None and status.status == "block"
    assert gov.get_status(contract_id=CID, contract_version=VERSION, dataset_id="orders", dataset_version="zz") is None
    matrix = gov.get_status_matrix(dataset_id="orders", contract_ids=[CID], dataset_versions=["d1"])
    assert [(m.dataset_version, m.status.status if m.status else None) for m in matrix] == [("d1", "ok")]
    assert sorted(gov.list_datasets()) == ["orders", "orders.out"]
    activity = gov.get_pipeline_activity(dataset_id="orders", include_status=True)
    assert activity[0]["events"][0]["operation"] == "read"  # type: ignore[index]
    assert activity[0]["validation_status"]["status"] == "ok"  # type: ignore[index]
    metrics = gov.get_metrics(dataset_id="orders.out", dataset_version="w1")
    assert {m["metric_key"] for m in metrics} >= {"row_count", "violations.not_null_order_id"}
    records = gov.get_dataset_records(dataset_id="orders.out")
    assert [(r["status"], r["violations"]) for r in records] == [("block", 2)]
    assert ValidationRecord.objects.get(dataset_id="orders.out").failed_expectations == ["not_null_order_id"]
    assert set(PipelineEvent.objects.values_list("recorded_by", flat=True)) == {"alice"}
    assert DatasetLink.objects.get().linked_by == "alice"


def test_evaluate_review_draft_link_lineage_and_expectations(contract: Any, gov: RemoteGovernanceServiceClient) -> None:
    failing = ValidationResult(ok=False, errors=["order_id has nulls"], status="block")
    assessment = gov.evaluate_dataset(
        contract_id=CID,
        contract_version=VERSION,
        dataset_id="orders",
        dataset_version="d2",
        validation=failing,
        observations=lambda: BAD,
        pipeline_context={"pipeline": "etl.orders"},
        operation="write",
        draft_on_violation=True,
    )
    assert assessment.status is not None and assessment.status.status == "block"
    assert assessment.draft is not None
    draft = ContractVersion.objects.get(version=assessment.draft.version)
    assert draft.status == "draft"  # the pipeline proposes; a steward decides
    assert LifecycleEvent.objects.get(version=draft.version).source == "pipeline"
    assert gov.review_validation_outcome(validation=failing, base_contract=contract, draft_requested=False) is None
    proposed = gov.propose_draft(validation=failing, base_contract=contract)
    assert proposed.version != VERSION and ContractVersion.objects.filter(version=proposed.version).exists()
    gov.link_dataset_contract(dataset_id="orders", dataset_version="d2", contract_id=CID, contract_version=VERSION)
    assert gov.get_linked_contract_version(dataset_id="orders", dataset_version="d2") == f"{CID}:{VERSION}"
    gov.publish_lineage_event(
        event=decode_lineage_event(
            {
                "eventType": "COMPLETE",
                "eventTime": "2026-01-01T00:00:00Z",
                "run": {"runId": "00000000-0000-0000-0000-000000000001"},
                "job": {"namespace": "dc43", "name": "etl.orders"},
                "producer": "tests",
                "outputs": [
                    {
                        "namespace": "dc43",
                        "name": "orders",
                        "facets": {
                            "dc43Dataset": {"datasetId": "orders", "datasetVersion": "d3"},
                            "dc43Contract": {"contractId": CID, "contractVersion": VERSION},
                        },
                    }
                ],
            }
        )
    )
    expectations = gov.describe_expectations(contract_id=CID, contract_version=VERSION)
    assert any("order_id" in str(item) for item in expectations)
    with pytest.raises(httpx.HTTPStatusError) as missing:
        gov.resolve_read_context(context=GovernanceReadContext(contract=ContractReference(contract_id="nobody")))
    assert missing.value.response.status_code == 404


def test_the_data_quality_client(contract: Any, base: str, token: str) -> None:
    client = RemoteDataQualityServiceClient(base_url=base, token=token)
    result = client.evaluate(contract=contract, payload=BAD)
    assert not result.ok and any("order_id" in error for error in result.errors)
    assert client.evaluate(contract=contract, payload=GOOD).ok
    assert client.describe_expectations(contract=contract)
    client.close()


def test_the_data_product_client(contract: Any, base: str, token: str) -> None:
    client = RemoteDataProductServiceClient(base_url=base, token=token)
    client.put(OpenDataProductStandard(id="dp.sales", status="active", version="1.0.0", name="Sales"))
    assert client.get("dp.sales", "1.0.0").name == "Sales"
    registered = client.register_output_port(
        data_product_id="dp.sales", port_name="orders", contract_id=CID, contract_version=VERSION
    )
    assert registered.changed and registered.product.version == "1.1.0-draft"
    inputs = client.register_input_port(
        data_product_id="dp.sales",
        port_name="raw",
        contract_id=CID,
        contract_version=VERSION,
        source_data_product="dp.raw",
        source_output_port="raw",
    )
    assert inputs.changed
    assert client.list_versions("dp.sales") == ["1.0.0", "1.1.0-draft", "1.2.0-draft"]
    latest = client.latest("dp.sales")
    assert latest is not None and latest.version == "1.2.0-draft"
    assert client.resolve_output_contract(data_product_id="dp.sales", port_name="orders") == (CID, VERSION)
    assert client.resolve_output_contract(data_product_id="dp.sales", port_name="nope") is None
    assert client.list_data_products()["items"] == ["dp.sales"]
    assert client.latest("nobody") is None
    with pytest.raises(httpx.HTTPStatusError) as missing:
        client.get("dp.sales", "9.9.9")
    assert missing.value.response.status_code == 404
    client.close()


def test_load_service_clients_with_the_documented_configuration(
    contract: Any, base: str, token: str, tmp_path: Path
) -> None:
    config = tmp_path / "dc43.toml"
    config.write_text(f'[governance_store]\ntype = "http"\nbase_url = "{base}"\ntoken = "{token}"\n', "utf-8")
    suite = load_service_clients(config)
    plan = suite.governance.resolve_read_context(context=read_context("d9"))
    assert plan.contract_version == VERSION


def test_a_read_only_token_may_resolve_but_not_record(
    contract: Any, base: str, author: Any, make_token: TokenFactory
) -> None:
    reader = RemoteGovernanceServiceClient(base_url=base, token=make_token(author, "read", name="reader"))
    plan = reader.resolve_read_context(context=read_context())
    with pytest.raises(httpx.HTTPStatusError) as refused:
        reader.evaluate_read_plan(plan=plan, validation=None, observations=lambda: GOOD)
    assert refused.value.response.status_code == 403
    assert not ValidationRecord.objects.exists()
    reader.close()
