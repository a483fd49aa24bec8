"""Key order as the author wrote it survives a PUT and a GET, in JSON and in YAML; fingerprints do not change."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from dc43_portal import odcs
from tests.api.conftest import ApiClient
from tests.conftest import make_doc

pytestmark = pytest.mark.database
PATH = "/contracts/sales.orders/versions/1.0.0"


def authors_order() -> dict[str, Any]:
    """Not alphabetical, not ODCS's order: version first, a property's name last."""
    doc = make_doc()
    ordered = {"version": doc["version"], "id": doc["id"], "status": "draft", "kind": doc["kind"]}
    ordered |= {k: v for k, v in doc.items() if k not in ordered}
    ordered["schema"][0]["properties"] = [dict(reversed(list(p.items()))) for p in doc["schema"][0]["properties"]]
    return ordered


def keys(value: Any) -> Any:
    """Every mapping's keys, in order, all the way down."""
    if isinstance(value, dict):
        return [(k, keys(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [keys(v) for v in value]
    return None


def read_json(api: ApiClient) -> Any:
    response = api.get(PATH)
    assert response.status_code == 200
    return json.loads(response.content)


def read_yaml(api: ApiClient) -> Any:
    response = api.get(PATH, headers={"Accept": "application/yaml"})
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_a_json_put_comes_back_in_its_order(author_api: ApiClient) -> None:
    doc = authors_order()
    assert author_api.put(PATH, json.dumps(doc)).status_code == 204
    assert keys(read_json(author_api)) == keys(doc)
    assert keys(read_yaml(author_api)) == keys(doc)
    # The fingerprint is still the canonical one (sorted keys), whatever the order.
    assert author_api.get(f"{PATH}/status").json()["fingerprint"] == odcs.fingerprint(make_doc())


def test_a_yaml_put_comes_back_in_its_order(author_api: ApiClient) -> None:
    doc = authors_order()
    body = yaml.safe_dump(doc, sort_keys=False)
    assert author_api.put(PATH, body, content_type="application/yaml").status_code == 204
    assert keys(read_yaml(author_api)) == keys(doc)
    assert keys(read_json(author_api)) == keys(doc)
