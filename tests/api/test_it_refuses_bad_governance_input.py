"""Bad input on dc43's service routes: a JSON 400/413/415/422 (or 404 for unknown things) that writes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dc43_portal.contracts import services
from dc43_portal.contracts.models import ContractVersion
from dc43_portal.governance.models import DataProduct, DatasetLink, PipelineEvent, ValidationRecord
from tests.api.conftest import ApiClient
from tests.conftest import make_doc

pytestmark = pytest.mark.database

EVALUATE = {
    "contract_id": "sales.orders",
    "contract_version": "1.0.0",
    "dataset_id": "orders",
    "dataset_version": "d1",
    "observations": {"metrics": {}},
}


@pytest.fixture
def seeded(db: None) -> None:
    services.contract_publish(document=make_doc(), actor="alice")


def nothing_written() -> bool:
    models = (ValidationRecord, PipelineEvent, DatasetLink, DataProduct)
    return not any(m.objects.exists() for m in models) and ContractVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/governance/evaluate", "not json", 400),
        ("/governance/evaluate", "[1, 2]", 400),
        ("/governance/evaluate", '{"contract_id": "x"', 400),
        ("/governance/evaluate", json.dumps({**EVALUATE, "dataset_id": "a\u0000b"}), 400),
        ("/governance/evaluate", '{"observations": {"metrics": {"x": NaN}}}', 400),
        ("/governance/evaluate", json.dumps({k: v for k, v in EVALUATE.items() if k != "dataset_id"}), 422),
        ("/governance/evaluate", json.dumps({**EVALUATE, "observations": "many"}), 422),
        ("/governance/evaluate", json.dumps({**EVALUATE, "contract_version": "9.9.9"}), 404),
        ("/governance/link", json.dumps({"dataset_id": "orders"}), 422),
        ("/governance/link", json.dumps({**EVALUATE, "contract_id": "nobody"}), 404),
        ("/governance/read/resolve", json.dumps({"context": {}}), 400),
        ("/governance/read/evaluate", json.dumps({"plan": {"contract_id": 1}}), 400),
        ("/governance/write/register", json.dumps({"plan": {}, "assessment": {}}), 400),
        ("/governance/lineage", json.dumps({"event": {"eventType": "COMPLETE"}}), 400),
        ("/governance/draft", json.dumps({"validation": {}, "base_contract": {"id": 3}}), 422),
        ("/governance/review", json.dumps({"validation": {}, "base_contract": {}, "draft_requested": "yes"}), 422),
        ("/governance/link", json.dumps({**EVALUATE, "dataset_version": 7}), 422),
        ("/data-quality/evaluate", json.dumps({"contract": {"kind": 5}, "payload": {}}), 422),
        ("/data-products/dp/output-ports", json.dumps({"port_name": "p"}), 422),
    ],
)
def test_it_refuses_with_json_and_writes_nothing(
    seeded: None, author_api: ApiClient, path: str, body: str, status: int
) -> None:
    response = author_api.post(path, body)
    assert response.status_code == status, response.content
    assert set(response.json()) >= {"detail", "error"}
    assert nothing_written()


def test_an_oversized_body_is_413_before_it_is_read(seeded: None, author_api: ApiClient, settings: Any) -> None:
    settings.DC43_MAX_DOCUMENT_BYTES = 1000
    response = author_api.post("/governance/evaluate", json.dumps({**EVALUATE, "pad": "x" * 2000}))
    assert response.status_code == 413 and response.json()["error"] == "too_large"
    assert nothing_written()


def test_a_body_that_is_not_json_is_415(seeded: None, author_api: ApiClient) -> None:
    response = author_api.post("/governance/evaluate", "a: b", content_type="application/yaml")
    assert response.status_code == 415
    assert nothing_written()


@pytest.mark.parametrize(
    "path",
    [
        "/governance/status?contract_id=sales.orders&contract_version=1.0.0&dataset_id=x&dataset_version=y",
        "/governance/linked?dataset_id=nobody",
        "/data-products/nobody/latest",
        "/data-products/nobody/versions/1.0.0",
        "/data-products/nobody/output-ports/p/contract",
    ],
)
def test_unknown_things_are_404(seeded: None, author_api: ApiClient, path: str) -> None:
    response = author_api.client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {author_api.token}"})
    assert response.status_code == 404 and response.json()["error"] == "not_found"


@pytest.mark.parametrize(
    "path",
    [
        "/governance/status?dataset_id=x",
        "/governance/activity",
        "/governance/activity?dataset_id=x&include_status=maybe",
    ],
)
def test_missing_or_malformed_query_parameters_are_422(seeded: None, author_api: ApiClient, path: str) -> None:
    response = author_api.client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {author_api.token}"})
    assert response.status_code == 422 and response.json()["error"] == "validation_error"


def test_a_data_product_put_checks_the_path_and_the_document(seeded: None, author_api: ApiClient) -> None:
    product = {"apiVersion": "1.0.0", "kind": "DataProduct", "id": "dp", "status": "draft", "version": "1.0.0"}
    assert author_api.put("/data-products/dp/versions/1.0.0", json.dumps({**product, "id": "other"})).status_code == 400
    assert author_api.put("/data-products/dp/versions/not-semver", json.dumps(product)).status_code == 400
    bad_version = author_api.put("/data-products/dp/versions/1.0.0", json.dumps({**product, "apiVersion": "9"}))
    assert bad_version.status_code == 400
    assert nothing_written()
    assert author_api.put("/data-products/dp/versions/1.0.0", json.dumps(product)).status_code == 204


def test_a_read_scope_token_cannot_record(seeded: None, author: Any, make_token: Any) -> None:
    reader = ApiClient(make_token(author, "read"))
    assert reader.post("/governance/evaluate", json.dumps(EVALUATE)).status_code == 403
    assert ApiClient().post("/governance/evaluate", json.dumps(EVALUATE)).status_code == 401
    assert nothing_written()


@pytest.mark.parametrize("suffix", ["versions", "latest", "output-ports/p/contract", "versions/1.0.0"])
def test_an_overlong_product_id_is_400(seeded: None, author_api: ApiClient, suffix: str) -> None:
    response = author_api.get(f"/data-products/{'p' * 501}/{suffix}")
    assert response.status_code == 400 and response.json()["error"] == "bad_request"
