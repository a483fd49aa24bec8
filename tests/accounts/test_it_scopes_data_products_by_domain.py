"""Data product pages follow domains: a product shows to a domain reader through a port of its latest version
bound to a contract of their domains, and its ports bound to other domains' contracts stay hidden."""

from __future__ import annotations

from typing import Any

import pytest
from dc43_service_clients.odps import DataProductOutputPort
from django.test import Client

from dc43_portal.governance.backends import backends
from tests.contracts.test_browser_pages import SHOTS, problems_of, sign_in
from tests.fixtures.cast import publish

pytestmark = pytest.mark.database


def _port(product: str, name: str, contract_id: str) -> None:
    port = DataProductOutputPort(name=name, version="1.0.0", contract_id=contract_id)
    backends().data_products.register_output_port(data_product_id=product, port=port)


@pytest.fixture
def products(sales_author: Any, finance_steward: Any) -> None:
    publish(sales_author, contract_id="sales.orders", domain="sales")
    publish(finance_steward, contract_id="finance.ledger", domain="finance")
    _port("dp.sales", "orders", "sales.orders")
    _port("dp.finance", "ledger", "finance.ledger")
    _port("dp.mixed", "orders", "sales.orders")
    _port("dp.mixed", "ledger", "finance.ledger")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_domain_reader_sees_only_products_bound_to_their_domains(products: None, finance_viewer: Any) -> None:
    client = _client(finance_viewer)
    listing = client.get("/data-products/").content.decode()
    assert "dp.finance" in listing and "dp.mixed" in listing and "dp.sales" not in listing
    assert client.get("/data-products/dp.sales/").status_code == 404
    mixed = client.get("/data-products/dp.mixed/").content.decode()
    assert "/contracts/finance.ledger/" in mixed and "sales.orders" not in mixed
    assert "1 port bound to contracts outside your domains is not shown." in mixed


def test_a_global_reader_sees_every_product_and_port(products: None, viewer: Any) -> None:
    client = _client(viewer)
    listing = client.get("/data-products/").content.decode()
    assert all(product in listing for product in ("dp.sales", "dp.finance", "dp.mixed"))
    mixed = client.get("/data-products/dp.mixed/").content.decode()
    assert "sales.orders" in mixed and "finance.ledger" in mixed and "not shown" not in mixed


@pytest.mark.browser
@pytest.mark.parametrize("width", (1366, 390))
def test_the_product_pages_fit_and_pass_axe(
    browser: Any, live_server: Any, products: None, finance_viewer: Any, width: int
) -> None:
    page = sign_in(browser, live_server.url, "fiona", width, inject=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    failures = []
    for name, path in (("products", "/data-products/"), ("product-mixed", "/data-products/dp.mixed/")):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(SHOTS / f"pages-{width}-{name}.png"), full_page=True)
        failures += [f"{name}: {problem}" for problem in problems_of(page, width)]
    assert "not shown" in page.content()
    assert not failures, "\n".join(failures)
