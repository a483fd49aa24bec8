"""A document nested past the depth limit is a JSON 400 naming the deepest property's path, and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dc43_portal import odcs
from tests.api.conftest import ApiClient
from tests.api.test_it_refuses_bad_input_with_json import PATH, assert_json_error, assert_nothing_written
from tests.test_odcs_depth import chain, deepest_path

pytestmark = pytest.mark.database


def test_one_level_past_the_limit_is_400_with_the_path(author_api: ApiClient, contract_store_dir: Path) -> None:
    doc = chain(odcs.DEFAULT_MAX_PROPERTY_DEPTH + 1)
    payload = assert_json_error(author_api.put(PATH, json.dumps(doc)), 400, "invalid_contract")
    assert [e["path"] for e in payload["errors"]] == [deepest_path(doc)]
    assert "levels deep; the limit is" in payload["detail"]
    assert_nothing_written(contract_store_dir)


def test_the_limit_itself_is_accepted(author_api: ApiClient) -> None:
    response = author_api.put(PATH, json.dumps(chain(odcs.DEFAULT_MAX_PROPERTY_DEPTH)))
    assert response.status_code in (200, 201, 204), response.content
    assert author_api.get(PATH).status_code == 200
