"""dc43's contract routes: same paths, methods and JSON shapes as dc43's service backend."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import override_settings

from dc43_portal.contracts.models import LifecycleEvent
from tests import corpus
from tests.api.conftest import ApiClient
from tests.conftest import make_doc

pytestmark = pytest.mark.database


def put(api: ApiClient, **fields: Any) -> Any:
    doc = make_doc(**fields)
    return api.put(f"/contracts/{doc['id']}/versions/{doc['version']}", json.dumps(doc))


def test_it_creates_a_draft_and_serves_it_back(author_api: ApiClient) -> None:
    doc = make_doc(status="active")
    response = author_api.put("/contracts/sales.orders/versions/1.0.0", json.dumps(doc))
    assert response.status_code == 204
    got = author_api.get("/contracts/sales.orders/versions/1.0.0")
    assert got.status_code == 200
    assert got["Content-Type"] == "application/json"
    assert got.json() == {**doc, "status": "draft"}  # the portal owns status: a PUT stores a Draft


def test_it_audits_the_write_with_the_tokens_user(author_api: ApiClient) -> None:
    put(author_api)
    event = LifecycleEvent.objects.get()
    assert (event.actor, event.source, event.action) == ("alice", "api", "publish")


def test_an_identical_put_is_204_and_writes_nothing(author_api: ApiClient) -> None:
    assert put(author_api).status_code == 204
    assert put(author_api).status_code == 204
    assert LifecycleEvent.objects.count() == 1


def test_a_draft_can_be_replaced(author_api: ApiClient) -> None:
    put(author_api)
    assert put(author_api, name="Orders v2").status_code == 204
    assert author_api.get("/contracts/sales.orders/versions/1.0.0").json()["name"] == "Orders v2"


def test_it_lists_contracts_sorted_with_paging(author_api: ApiClient) -> None:
    for cid in ["zeta", "alpha", "mid.dle"]:
        put(author_api, contract_id=cid)
    assert author_api.get("/contracts").json() == {
        "items": ["alpha", "mid.dle", "zeta"],
        "total": 3,
        "limit": None,
        "offset": 0,
    }
    page = author_api.get("/contracts", limit="1", offset="1").json()
    assert page == {"items": ["mid.dle"], "total": 3, "limit": 1, "offset": 1}


def test_it_lists_versions_in_semver_order(author_api: ApiClient) -> None:
    for version in ["1.10.0", "1.0.0", "1.9.0", "1.10.0-rc.1"]:
        put(author_api, version=version)
    assert author_api.get("/contracts/sales.orders/versions").json() == ["1.0.0", "1.9.0", "1.10.0-rc.1", "1.10.0"]
    assert author_api.get("/contracts/nobody/versions").json() == []  # as dc43 does


def test_latest_is_the_highest_version_of_any_status(author_api: ApiClient) -> None:
    for version in ["1.0.0", "1.10.0", "1.9.0"]:
        put(author_api, version=version)
    assert author_api.get("/contracts/sales.orders/latest").json()["version"] == "1.10.0"
    assert author_api.get("/contracts/nobody/latest").status_code == 404


def test_latest_follows_the_status_setting_and_parameter(author_api: ApiClient) -> None:
    put(author_api)
    with override_settings(DC43_API_LATEST_STATUS="active"):
        missing = author_api.get("/contracts/sales.orders/latest")
        assert missing.status_code == 404
        assert missing.json()["error"] == "not_found"
        assert author_api.get("/contracts/sales.orders/latest", status="any").status_code == 200
    assert author_api.get("/contracts/sales.orders/latest", status="Draft").json()["version"] == "1.0.0"
    assert author_api.get("/contracts/sales.orders/latest", status="Validated").status_code == 404


def test_it_serves_yaml_on_request(author_api: ApiClient) -> None:
    put(author_api)
    response = author_api.get("/contracts/sales.orders/versions/1.0.0", headers={"Accept": "application/yaml"})
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert yaml.safe_load(response.content) == make_doc()
    assert response["ETag"].endswith('-yaml"')


def test_a_missing_version_is_a_json_404(author_api: ApiClient) -> None:
    put(author_api)
    response = author_api.get("/contracts/sales.orders/versions/9.9.9")
    assert response.status_code == 404
    assert response.json() == {"detail": "contract sales.orders 9.9.9 not found", "error": "not_found"}


def test_a_plus_in_a_percent_encoded_version_survives(author_api: ApiClient) -> None:
    doc = make_doc(version="1.0.0+build.7")
    assert author_api.put("/contracts/sales.orders/versions/1.0.0%2Bbuild.7", json.dumps(doc)).status_code == 204
    assert author_api.get("/contracts/sales.orders/versions").json() == ["1.0.0+build.7"]
    assert author_api.get("/contracts/sales.orders/versions/1.0.0%2Bbuild.7").json()["version"] == "1.0.0+build.7"


def test_dc43_dataset_links_behave_as_dc43s_own_backend(author_api: ApiClient) -> None:
    put(author_api)
    link = {"dataset_id": "orders", "dataset_version": "2024-01-01", "contract_id": "sales.orders"}
    assert author_api.post("/contracts/link", json.dumps({**link, "contract_version": "1.0.0"})).status_code == 204
    assert author_api.post("/contracts/link", json.dumps({**link, "contract_version": "2.0.0"})).status_code == 404
    assert author_api.get("/contracts/datasets/orders/linked").status_code == 404


@pytest.mark.parametrize("contract", corpus.DC43_CONTRACTS)
def test_dc43_mode_warnings_ride_along(author_api: ApiClient, settings: Any, contract: Path) -> None:
    settings.DC43_VALIDATION = "dc43"
    doc = json.loads(contract.read_text())
    response = author_api.put(f"/contracts/{doc['id']}/versions/{doc['version']}", json.dumps(doc))
    assert response.status_code == 204
    assert response["Warning"].startswith('199 dc43-portal "apiVersion')
    status = author_api.get(f"/contracts/{doc['id']}/versions/{doc['version']}/status").json()
    assert status["warnings"] and status["warnings"][0].startswith("apiVersion")
