"""The steward pages show the pipelines' side: "Used by", "Data quality", the list's health, the impact of
approving a breaking version or deprecating one, and the data products."""

from __future__ import annotations

from typing import Any

import pytest
from dc43_service_clients.data_quality import ObservationPayload, ValidationResult
from dc43_service_clients.odps import DataProductOutputPort
from django.test import Client

from dc43_portal.contracts.services import contract_publish, contract_transition
from dc43_portal.governance.actor import acting_as
from dc43_portal.governance.backends import backends
from tests.conftest import make_doc

pytestmark = pytest.mark.database


def report(version: str, dataset: str, status: str, *, operation: str = "read") -> None:
    failing = status == "block"
    validation = ValidationResult(
        ok=not failing,
        errors=["order_id has nulls"] if failing else [],
        warnings=["late data"] if status == "warn" else [],
        metrics={"violations.not_null_order_id": 2 if failing else 0},
    )
    with acting_as("etl-bot"):
        backends().governance.evaluate_dataset(
            contract_id="sales.orders",
            contract_version=version,
            dataset_id=dataset,
            dataset_version="2026-01-01",
            validation=validation,
            observations=lambda: ObservationPayload(metrics={}, schema=None),
            pipeline_context={"pipeline": "etl.orders"},
            operation=operation,
        )


@pytest.fixture
def signed_in(client: Client, steward: Any, author: Any) -> Client:
    for version in ("1.0.0", "1.1.0"):
        contract_publish(document=make_doc(version=version), actor="alice")
        contract_transition(contract_id="sales.orders", version=version, to_status="proposed", user=author)
        contract_transition(contract_id="sales.orders", version=version, to_status="active", user=steward)
    contract_publish(document=make_doc(version="2.0.0"), actor="alice")
    contract_transition(contract_id="sales.orders", version="2.0.0", to_status="proposed", user=author)
    contract_publish(document=make_doc("other.contract"), actor="alice")
    client.force_login(steward)
    return client


def test_the_version_page_shows_who_uses_it_and_its_data_quality(signed_in: Client) -> None:
    report("1.0.0", "orders", "ok")
    report("1.0.0", "orders", "block", operation="write")
    report("1.0.0", "orders.eu", "warn")
    page = signed_in.get("/contracts/sales.orders/versions/1.0.0/").content.decode()
    used_by = page[page.index('id="used-by"') : page.index('id="data-quality"')]
    assert "orders.eu" in used_by and "etl-bot" in used_by and "etl.orders" in used_by and "write" in used_by
    quality = page[page.index('id="data-quality"') : page.index('id="timeline"')]
    assert quality.index("verdict-block") < quality.index("verdict-warn")  # worst first
    assert "not_null_order_id" in quality and "History" in quality
    empty = signed_in.get("/contracts/sales.orders/versions/1.1.0/").content.decode()
    assert "No dataset or pipeline has reported using this version" in empty


def test_the_list_shows_health_and_filters_on_it(signed_in: Client) -> None:
    report("1.0.0", "orders", "block")
    listing = signed_in.get("/").content.decode()
    assert "verdict-block" in listing
    only_bad = signed_in.get("/", {"health": "block"}).content.decode()
    assert "sales.orders" in only_bad and "other.contract" not in only_bad
    assert "No contract matches" in signed_in.get("/", {"health": "warn"}).content.decode()
    assert signed_in.get("/", {"health": "nonsense"}).status_code == 200  # ignored, like an unknown status


def test_approving_a_new_major_shows_who_is_still_on_the_old_line(signed_in: Client) -> None:
    report("1.1.0", "orders", "ok")
    page = signed_in.get("/contracts/sales.orders/versions/2.0.0/").content.decode()
    impact = page[page.index('id="impact"') :]
    assert "Impact of approving a new major version" in impact and "orders" in impact and "1.1.0" in impact
    assert page.index('id="impact"') < page.index('value="approve"')  # shown before the button


def test_deprecating_shows_the_datasets_on_that_major_line(signed_in: Client) -> None:
    report("1.0.0", "orders", "ok")
    page = signed_in.get("/contracts/sales.orders/versions/1.1.0/").content.decode()
    assert "Impact of deprecating" in page and "major line 1.x" in page and "orders" in page


def test_data_products_are_listed_with_their_ports(signed_in: Client) -> None:
    backends().data_products.register_output_port(
        data_product_id="dp.sales",
        port=DataProductOutputPort(name="orders", version="1.0.0", contract_id="sales.orders"),
    )
    listing = signed_in.get("/data-products/").content.decode()
    assert "dp.sales" in listing
    page = signed_in.get("/data-products/dp.sales/").content.decode()
    assert "/contracts/sales.orders/versions/1.0.0/" in page and "orders" in page
    assert signed_in.get("/data-products/nobody/").status_code == 404
