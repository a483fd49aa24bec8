"""Bad input gets a clear JSON 4xx and writes nothing; never HTML under /api, not even for a 500."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from dc43_portal.api.representations import bodies
from dc43_portal.contracts.models import LifecycleEvent
from dc43_portal.contracts.services import contract_transition
from dc43_portal.stores.memory import MemoryContractStore
from tests.api import openapi_check
from tests.api.conftest import ApiClient
from tests.conftest import make_doc

pytestmark = pytest.mark.database
PATH = "/contracts/sales.orders/versions/1.0.0"
TEMPLATE = "/contracts/{contract_id}/versions/{version}"


class ExplodingStore(MemoryContractStore):
    """A store with a bug, to provoke a real 500."""

    def get_document(self, contract_id: str, version: str) -> dict[str, Any]:
        raise RuntimeError("bug")


def assert_json_error(response: Any, status: int, error: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"] == error and body["detail"]
    return body


def assert_nothing_written(store_dir: Path) -> None:
    assert not store_dir.exists() or not any(store_dir.iterdir())
    assert LifecycleEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "not a JSON object"),
        ("id: sales.orders\nversion: 1.0.0", "not a JSON object"),
        ('{"id": "sales.orders", "id": "x"}', "duplicate key"),
        (" \n", "empty"),
    ],
)
def test_invalid_json_is_400(author_api: ApiClient, contract_store_dir: Path, body: str, where: str) -> None:
    payload = assert_json_error(author_api.put(PATH, body), 400, "invalid_contract")
    assert where in payload["detail"]
    assert_nothing_written(contract_store_dir)


def test_an_invalid_document_lists_its_problems_by_path(author_api: ApiClient, contract_store_dir: Path) -> None:
    doc = make_doc()
    doc["schema"][0]["properties"][0]["logicalType"] = 42
    payload = assert_json_error(author_api.put(PATH, json.dumps(doc)), 400, "invalid_contract")
    assert any(e["path"].startswith("schema[0].properties[0]") for e in payload["errors"])
    assert_nothing_written(contract_store_dir)


@pytest.mark.parametrize("segment", ["..", ".hidden", "a%5Cb", "pct%25", "tab%09id", "%20padded"])
def test_ids_that_could_be_paths_are_400(author_api: ApiClient, contract_store_dir: Path, segment: str) -> None:
    assert_json_error(author_api.get(f"/contracts/{segment}/versions/1.0.0"), 400, "invalid_id")
    assert_json_error(author_api.put(f"/contracts/{segment}/versions/1.0.0", "{}"), 400, "invalid_id")
    assert_json_error(author_api.get(f"/contracts/{segment}/versions"), 400, "invalid_id")
    assert_nothing_written(contract_store_dir)


def test_an_encoded_slash_never_reaches_a_store(author_api: ApiClient, contract_store_dir: Path) -> None:
    response = author_api.put("/contracts/..%2F..%2Fetc/versions/1.0.0", json.dumps(make_doc("../../etc")))
    assert response.status_code in (400, 404)
    assert response["Content-Type"] == "application/json"
    assert_nothing_written(contract_store_dir)


def test_a_version_of_latest_is_400(author_api: ApiClient, contract_store_dir: Path) -> None:
    assert_json_error(author_api.get("/contracts/sales.orders/versions/latest"), 400, "invalid_contract")
    body = json.dumps(make_doc(version="latest"))
    assert_json_error(author_api.put("/contracts/sales.orders/versions/latest", body), 400, "invalid_contract")
    assert_nothing_written(contract_store_dir)


@pytest.mark.parametrize(
    ("path", "doc"),
    [(PATH, make_doc("other.id")), (PATH, make_doc(version="2.0.0")), (PATH, {**make_doc(), "id": None})],
)
def test_a_body_that_differs_from_the_path_is_400(author_api: ApiClient, path: str, doc: Any) -> None:
    assert_json_error(author_api.put(path, json.dumps(doc)), 400, "path_mismatch")


def test_a_huge_body_is_413_before_it_is_read(author_api: ApiClient, contract_store_dir: Path) -> None:
    doc = make_doc(description={"purpose": "x" * (2 * 1024 * 1024)})
    assert_json_error(author_api.put(PATH, json.dumps(doc)), 413, "too_large")
    with override_settings(DC43_MAX_DOCUMENT_BYTES=200):
        assert_json_error(author_api.put(PATH, json.dumps(make_doc())), 413, "too_large")
    assert_nothing_written(contract_store_dir)


@pytest.mark.parametrize("content_type", ["text/plain", "multipart/form-data; boundary=x", "application/xml", ""])
def test_a_wrong_content_type_is_415(author_api: ApiClient, contract_store_dir: Path, content_type: str) -> None:
    assert_json_error(author_api.put(PATH, json.dumps(make_doc()), content_type), 415, "unsupported_media_type")
    assert_nothing_written(contract_store_dir)


def test_yaml_is_accepted_with_a_yaml_content_type(author_api: ApiClient) -> None:
    body = "\n".join(f"{k}: {json.dumps(v)}" for k, v in make_doc().items())
    assert author_api.put(PATH, body, "application/yaml").status_code == 204


def test_changing_a_version_in_review_is_409(author: Any, author_api: ApiClient) -> None:
    author_api.put(PATH, json.dumps(make_doc()))
    contract_transition(contract_id="sales.orders", version="1.0.0", to_status="proposed", user=author)
    assert_json_error(author_api.put(PATH, json.dumps(make_doc(name="changed"))), 409, "conflict")
    assert author_api.put(PATH, json.dumps(make_doc())).status_code == 204  # identical: no change, no error


@pytest.mark.parametrize(("params", "error"), [({"limit": "-1"}, "bad_request"), ({"offset": "abc"}, "bad_request")])
def test_bad_query_parameters_are_400(author_api: ApiClient, params: dict[str, str], error: str) -> None:
    assert_json_error(author_api.get("/contracts", **params), 400, error)


def test_an_unknown_status_filter_is_400(author_api: ApiClient) -> None:
    assert_json_error(author_api.get("/contracts/x/latest", status="shipped"), 400, "bad_request")
    assert_json_error(author_api.get("/contracts/x/versions", status="shipped"), 400, "bad_request")


def test_unknown_routes_and_methods_are_json(author_api: ApiClient) -> None:
    assert_json_error(author_api.get("/nowhere"), 404, "not_found")
    assert_json_error(author_api.get("/contracts/x/versions/1.0.0/nothing"), 404, "not_found")
    response = author_api.request("PATCH", PATH)
    assert_json_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "DELETE, GET, HEAD, PUT"


def test_a_server_error_is_json_too(author_api: ApiClient, settings: Any) -> None:
    author_api.put(PATH, json.dumps(make_doc()))
    bodies.clear()
    settings.CONTRACT_STORES = {"default": {"BACKEND": f"{__name__}.ExplodingStore"}}
    client = author_api.client
    client.raise_request_exception = False
    assert_json_error(author_api.get(PATH), 500, "server_error")
    assert openapi_check.problems == [f"GET /api/v1{PATH} -> 500: status not described for {TEMPLATE}"]
    openapi_check.problems.clear()


def test_a_store_that_is_down_is_503(author_api: ApiClient, settings: Any) -> None:
    author_api.put(PATH, json.dumps(make_doc()))
    bodies.clear()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again below: nothing listens there
    options = {"base_url": f"http://127.0.0.1:{port}/api/v1", "timeout": 2}
    settings.CONTRACT_STORES = {"default": {"BACKEND": "dc43_portal.stores.http.HTTPContractStore", "OPTIONS": options}}
    payload = assert_json_error(author_api.get(PATH), 503, "store_unavailable")
    assert "unreachable" in payload["detail"]
