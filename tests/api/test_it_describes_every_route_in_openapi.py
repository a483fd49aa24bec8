"""/api/v1/openapi.json is a valid OpenAPI 3.1 document that names every route the URLconf serves."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from tests.api.conftest import ApiClient
from tests.api.openapi_check import spec


def api_routes() -> set[str]:
    resolver = next(
        p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and str(p.pattern) == "api/v1/"
    )
    routes = set()
    for pattern in resolver.url_patterns:
        assert isinstance(pattern, URLPattern)
        routes.add("/" + re.sub(r"<[^:>]+:([^>]+)>", r"{\1}", str(pattern.pattern)))
    return routes


def test_the_document_lists_exactly_the_served_routes() -> None:
    assert set(spec()["paths"]) == api_routes()


def test_every_operation_has_an_id_answers_and_errors_as_json() -> None:
    operation_ids = []
    for path, item in spec()["paths"].items():
        for method, operation in item.items():
            operation_ids.append(operation["operationId"])
            for status, answer in operation["responses"].items():
                if int(status) >= 400:
                    assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}, (
                        path,
                        method,
                        status,
                    )
    assert len(operation_ids) == len(set(operation_ids))


@pytest.mark.django_db
def test_it_is_served_publicly_with_an_etag(anonymous_api: ApiClient) -> None:
    response = anonymous_api.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    assert document["openapi"] == "3.1.0"
    assert document == spec()
    assert anonymous_api.get("/openapi.json", headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_it_is_valid_openapi_3_1() -> None:
    validate(spec(), cls=OpenAPIV31SpecValidator)  # raises, naming the path, when it is not
