"""A body the API would misread is refused: another charset or a content coding (415), no length (411).

Found by the QA sweep: ``Content-Encoding: br`` and ``charset=latin-1`` were stored as if plain UTF-8,
and a chunked PUT (no Content-Length, so WSGI hands Django an empty body) was answered "the body is empty".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from tests.api.conftest import ApiClient
from tests.conftest import make_doc

pytestmark = pytest.mark.database
PATH = "/contracts/sales.orders/versions/1.0.0"
TRANSITION = PATH + "/transitions"


def assert_refused(response: object, status: int, error: str, contract_store_dir: Path) -> None:
    assert response.status_code == status, response.content  # type: ignore[attr-defined]
    assert response.json()["error"] == error  # type: ignore[attr-defined]
    assert not ContractVersion.objects.exists() and not LifecycleEvent.objects.exists()
    assert not any(contract_store_dir.rglob("*"))


@pytest.mark.parametrize("charset", ["latin-1", "utf-16", '"iso-8859-1"'])
def test_another_charset_is_415(author_api: ApiClient, contract_store_dir: Path, charset: str) -> None:
    body = json.dumps(make_doc())
    response = author_api.put(PATH, body, content_type=f"application/json; charset={charset}")
    assert_refused(response, 415, "unsupported_media_type", contract_store_dir)
    assert "send UTF-8" in response.json()["detail"]


def test_utf8_spelled_any_way_is_accepted(author_api: ApiClient) -> None:
    body = json.dumps(make_doc())
    assert author_api.put(PATH, body, content_type="application/json; charset=UTF-8").status_code == 204
    assert author_api.put(PATH, body, content_type='application/json; charset="utf8"').status_code == 204


@pytest.mark.parametrize("coding", ["gzip", "br", "deflate"])
def test_a_content_coding_is_415(author_api: ApiClient, contract_store_dir: Path, coding: str) -> None:
    response = author_api.put(PATH, json.dumps(make_doc()), headers={"Content-Encoding": coding})
    assert_refused(response, 415, "unsupported_media_type", contract_store_dir)
    assert "uncompressed" in response.json()["detail"]


def test_identity_coding_is_accepted(author_api: ApiClient) -> None:
    response = author_api.put(PATH, json.dumps(make_doc()), headers={"Content-Encoding": "identity"})
    assert response.status_code == 204


@pytest.mark.parametrize("path", [PATH, TRANSITION])
def test_a_chunked_body_is_411(author_api: ApiClient, contract_store_dir: Path, path: str) -> None:
    # As gunicorn passes a chunked request: Transfer-Encoding, and no CONTENT_LENGTH at all.
    method = "PUT" if path == PATH else "POST"
    response = author_api.request(
        method, path, CONTENT_TYPE="application/json", headers={"Transfer-Encoding": "chunked"}
    )
    assert_refused(response, 411, "length_required", contract_store_dir)
    assert "Content-Length" in response.json()["detail"]
