"""POST /api/v1/contracts/check: errors with lines, the diff with the latest Validated version, the bump and
the approval forecast, and nothing written: no row, no file, no audit event."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from dc43_portal.contracts.models import Contract, ContractVersion, LifecycleEvent
from tests.api.conftest import ApiClient
from tests.conftest import make_doc

pytestmark = pytest.mark.database
CHECK = "/contracts/check"


def snapshot(store_dir: Path) -> tuple[Any, ...]:
    files = sorted((str(p), p.stat().st_mtime_ns) for p in store_dir.rglob("*") if p.is_file())
    return (
        files,
        list(Contract.objects.values_list("contract_id", "updated_at")),
        list(ContractVersion.objects.values_list("version", "status", "updated_at")),
        LifecycleEvent.objects.count(),
    )


@pytest.fixture
def validated(author_api: ApiClient, steward_api: ApiClient) -> None:
    path = "/contracts/sales.orders/versions/1.0.0"
    assert author_api.put(path, json.dumps(make_doc())).status_code == 204
    assert author_api.post(f"{path}/transitions", json.dumps({"to": "proposed"})).status_code == 200
    assert steward_api.post(f"{path}/transitions", json.dumps({"to": "active"})).status_code == 200


def without_amount(version: str) -> dict[str, Any]:
    doc = make_doc(version=version)
    doc["schema"][0]["properties"].pop()
    return doc


def test_a_breaking_change_needs_a_major_bump(validated: None, viewer_api: ApiClient, contract_store_dir: Path) -> None:
    before = snapshot(contract_store_dir)
    response = viewer_api.post(CHECK, json.dumps(without_amount("1.1.0")))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["valid"], body["baseline"], body["required_bump"], body["actual_bump"]) == (
        True,
        "1.0.0",
        "major",
        "minor",
    )
    assert body["bump_sufficient"] is False and body["summary"]["breaking"] == 1
    assert body["approval"]["would_pass"] is False and "2.0.0" in body["approval"]["reasons"][0]
    assert [c["rule"] for c in body["changes"] if c["severity"] == "breaking"] == ["property-removed"]
    major = viewer_api.post(CHECK, json.dumps(without_amount("2.0.0"))).json()
    assert (major["bump_sufficient"], major["approval"]["would_pass"]) == (True, True)
    assert snapshot(contract_store_dir) == before


def test_it_reports_errors_with_their_yaml_lines(
    validated: None, viewer_api: ApiClient, contract_store_dir: Path
) -> None:
    doc = make_doc(version="1.1.0")
    doc["schema"][0]["properties"][1]["logicalType"] = "money"
    text = "# a comment first\n" + yaml.safe_dump(doc, sort_keys=False)
    before = snapshot(contract_store_dir)
    response = viewer_api.post(CHECK, text, content_type="application/yaml")
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False and body["approval"]["would_pass"] is False
    wrong = [e for e in body["errors"] if e["path"] == "schema[0].properties[1].logicalType"]
    assert wrong, body["errors"]
    expected = text.splitlines().index("    logicalType: money") + 1
    assert wrong[0]["line"] == expected
    assert snapshot(contract_store_dir) == before


def test_broken_yaml_is_a_located_error_not_a_4xx(viewer_api: ApiClient, contract_store_dir: Path) -> None:
    before = snapshot(contract_store_dir)
    response = viewer_api.post(CHECK, "id: x\nversion: [1.0\n", content_type="application/yaml")
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False and body["errors"][0]["line"] in (2, 3)
    assert snapshot(contract_store_dir) == before


def test_a_new_contract_has_no_baseline(viewer_api: ApiClient, contract_store_dir: Path) -> None:
    body = viewer_api.post(CHECK, json.dumps(make_doc("new.one"))).json()
    assert (body["valid"], body["baseline"], body["changes"], body["approval"]["would_pass"]) == (True, None, [], True)
    assert not Contract.objects.exists() and not list(contract_store_dir.rglob("*.json"))


def test_it_refuses_what_it_cannot_read(viewer_api: ApiClient, anonymous_api: ApiClient) -> None:
    assert anonymous_api.post(CHECK, json.dumps(make_doc())).status_code == 401
    assert viewer_api.post(CHECK, "x", content_type="text/plain").status_code == 415
    assert viewer_api.client.get("/api/v1/contracts/check").status_code in (401, 405)


def test_it_names_an_existing_frozen_version(validated: None, viewer_api: ApiClient) -> None:
    body = viewer_api.post(CHECK, json.dumps(make_doc())).json()
    assert body["status"] == "active"
    assert any("cannot change" in r for r in body["approval"]["reasons"])
