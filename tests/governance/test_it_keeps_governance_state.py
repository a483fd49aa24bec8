"""dc43's store interfaces on the portal's models, driven by dc43's own backend classes (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from dc43_service_clients.data_quality import ObservationPayload, ValidationResult
from dc43_service_clients.odps import DataProductOutputPort

from dc43_portal.contracts import services
from dc43_portal.governance.actor import acting_as
from dc43_portal.governance.backends import backends
from dc43_portal.governance.models import DataProductPort, DatasetLink, PipelineEvent, ValidationRecord
from dc43_portal.governance.stores import DjangoDataProductStore, DjangoGovernanceStore, verdict_of
from tests.conftest import make_doc

pytestmark = pytest.mark.database


def result(status: str, warnings: list[str] | None = None, **details: Any) -> ValidationResult:
    return ValidationResult(
        ok=status != "block", status=status, details=details, metrics={"row_count": 3}, warnings=warnings
    )


def test_it_keeps_every_verdict_and_answers_the_newest(db: None) -> None:
    store = DjangoGovernanceStore()
    key = {"contract_id": "sales.orders", "contract_version": "1.0.0", "dataset_id": "orders", "dataset_version": "d1"}
    with acting_as("pipeline-bot"):
        store.save_status(**key, status=result("ok"))
        store.save_status(
            **key, status=result("block", failed_expectations={"not_null_order_id": {"count": 2}}, violations=2)
        )
    loaded = store.load_status(**key)
    assert loaded is not None and loaded.status == "block"
    assert loaded.details["failed_expectations"] == {"not_null_order_id": {"count": 2}}
    rows = list(ValidationRecord.objects.values_list("status", "failed_expectations", "recorded_by"))
    assert rows == [("block", ["not_null_order_id"], "pipeline-bot"), ("ok", [], "pipeline-bot")]
    matrix = store.load_status_matrix_entries(dataset_id="orders")
    assert [(e["dataset_version"], e["status"].status) for e in matrix] == [("d1", "block")]  # type: ignore[union-attr]
    assert [m["metric_key"] for m in store.load_metrics(dataset_id="orders")] == ["row_count", "row_count"]
    assert store.load_status(**{**key, "dataset_version": "d2"}) is None


def test_it_maps_dc43_status_words_to_four_verdicts() -> None:
    assert [verdict_of(s) for s in ("OK", "passed", "warning", "failed", "stale", None)] == [
        "ok",
        "ok",
        "warn",
        "block",
        "unknown",
        "unknown",
    ]


def test_it_links_a_dataset_version_and_falls_back_to_the_newest_link(db: None) -> None:
    store = DjangoGovernanceStore()
    store.link_dataset_contract(
        dataset_id="orders", dataset_version="d1", contract_id="sales.orders", contract_version="1.0.0"
    )
    store.link_dataset_contract(
        dataset_id="orders", dataset_version="d2", contract_id="sales.orders", contract_version="1.1.0"
    )
    store.link_dataset_contract(
        dataset_id="orders", dataset_version="d1", contract_id="sales.orders", contract_version="1.0.1"
    )
    assert DatasetLink.objects.count() == 2
    assert store.get_linked_contract_version(dataset_id="orders", dataset_version="d1") == "sales.orders:1.0.1"
    assert store.get_linked_contract_version(dataset_id="orders", dataset_version="d9") == "sales.orders:1.0.1"
    assert store.get_linked_contract_version(dataset_id="nobody") is None


def test_it_groups_activity_per_dataset_version(db: None) -> None:
    store = DjangoGovernanceStore()
    common = {"contract_id": "sales.orders", "contract_version": "1.0.0", "dataset_id": "orders"}
    store.record_pipeline_event(
        **common, dataset_version="d1", event={"operation": "read", "pipeline_context": {"pipeline": "etl"}}
    )
    store.record_pipeline_event(**common, dataset_version="d2", event={"operation": "write"})
    store.record_pipeline_event(**common, dataset_version="d1", event={"operation": "write", "dq_status": "ok"})
    activity = store.load_pipeline_activity(dataset_id="orders")
    assert [a["dataset_version"] for a in activity] == ["d2", "d1"]  # by their last event
    assert [e["operation"] for e in activity[1]["events"]] == ["read", "write"]  # type: ignore[union-attr,index]
    assert store.list_datasets() == ["orders"]
    assert PipelineEvent.objects.filter(pipeline="etl").count() == 1
    assert store.load_pipeline_activity(dataset_id="orders", dataset_version="d9") == []


def test_dc43s_governance_backend_records_a_verdict_against_a_portal_contract(db: None) -> None:
    services.contract_publish(document=make_doc(), actor="alice")
    found = backends()
    with acting_as("bot"):
        assessment = found.governance.evaluate_dataset(
            contract_id="sales.orders",
            contract_version="1.0.0",
            dataset_id="orders",
            dataset_version="d1",
            validation=result("warn", warnings=["late"]),
            observations=lambda: ObservationPayload(metrics={"row_count": 3}, schema=None),
            operation="write",
        )
    assert assessment.status is not None and assessment.status.status == "warn"
    assert ValidationRecord.objects.get().status == "warn"
    event = PipelineEvent.objects.get()
    assert (event.operation, event.dq_status, event.recorded_by) == ("write", "warn", "bot")


def test_it_stores_data_products_with_their_ports(db: None) -> None:
    found = backends()
    first = found.data_products.register_output_port(
        data_product_id="dp.sales",
        port=DataProductOutputPort(name="orders", version="1.0.0", contract_id="sales.orders"),
    )
    assert first.changed and first.product.version == "0.1.0-draft"
    again = found.data_products.register_output_port(
        data_product_id="dp.sales",
        port=DataProductOutputPort(name="orders", version="1.0.0", contract_id="sales.orders"),
    )
    assert not again.changed
    found.data_products.register_output_port(
        data_product_id="dp.sales",
        port=DataProductOutputPort(name="orders", version="2.0.0", contract_id="sales.orders"),
    )
    store = DjangoDataProductStore()
    assert store.list_versions("dp.sales") == ["0.1.0-draft", "0.2.0-draft"]
    latest = store.latest("dp.sales")
    assert latest is not None and latest.output_ports[0].version == "2.0.0"
    assert found.data_products.resolve_output_contract(data_product_id="dp.sales", port_name="orders") == (
        "sales.orders",
        "2.0.0",
    )
    assert set(DataProductPort.objects.values_list("product_version__version", "contract_version")) == {
        ("0.1.0-draft", "1.0.0"),
        ("0.2.0-draft", "2.0.0"),
    }
    with pytest.raises(FileNotFoundError):
        store.get("dp.sales", "9.9.9")
    assert store.latest("nobody") is None
