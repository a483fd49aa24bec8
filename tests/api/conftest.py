"""API fixtures: tokens for the cast, an authenticated client, and the OpenAPI check of every response."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from dc43_portal.api.representations import bodies
from dc43_portal.api.tokens import forget_credentials, token_create
from tests.api import openapi_check


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Installed once, before any live server builds its handler, so its answers are checked too.
    if openapi_check.MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [openapi_check.MIDDLEWARE, *settings.MIDDLEWARE]


@pytest.fixture(autouse=True)
def responses_match_openapi() -> Iterator[None]:
    openapi_check.problems.clear()
    bodies.clear()
    forget_credentials()  # ids come back after a rollback, so cached callers must not outlive a test
    yield
    found = list(openapi_check.problems)
    openapi_check.problems.clear()
    assert found == [], "API answers that /api/v1/openapi.json does not describe"


TokenFactory = Callable[..., str]


@pytest.fixture
def make_token(db: None) -> TokenFactory:
    def make(user: Any, scopes: str = "read,write,steward", name: str = "test") -> str:
        return token_create(user=user, name=name, scopes=scopes)[1]

    return make


class ApiClient:
    """Django's test client with a bearer token and the API prefix."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.token = token

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        auth = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**auth, **(headers or {})}

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self._headers(headers))

    def put(
        self, path: str, body: Any, content_type: str = "application/json", headers: dict[str, str] | None = None
    ) -> Any:
        return self.client.put(f"/api/v1{path}", body, content_type=content_type, headers=self._headers(headers))

    def post(
        self, path: str, body: Any, content_type: str = "application/json", headers: dict[str, str] | None = None
    ) -> Any:
        return self.client.post(f"/api/v1{path}", body, content_type=content_type, headers=self._headers(headers))

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.client.generic(
            method, f"/api/v1{path}", headers=self._headers(kwargs.pop("headers", None)), **kwargs
        )


@pytest.fixture
def author_api(author: Any, make_token: TokenFactory) -> ApiClient:
    return ApiClient(make_token(author, "read,write"))


@pytest.fixture
def steward_api(steward: Any, make_token: TokenFactory) -> ApiClient:
    return ApiClient(make_token(steward, "read,write,steward"))


@pytest.fixture
def steward2_api(steward2: Any, make_token: TokenFactory) -> ApiClient:
    return ApiClient(make_token(steward2, "read,steward"))


@pytest.fixture
def viewer_api(viewer: Any, make_token: TokenFactory) -> ApiClient:
    return ApiClient(make_token(viewer, "read,write,steward"))


@pytest.fixture
def anonymous_api(db: None) -> ApiClient:
    return ApiClient()
