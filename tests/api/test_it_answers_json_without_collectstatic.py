"""Under /api every answer is JSON, even when ``collectstatic`` has not run (the HTML pages need its manifest)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.fixture
def no_manifest(settings: Any) -> None:
    settings.DEBUG = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = "/nonexistent-static-root"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/nothing/here", "/api/v1/governance/nope", "/api/v2/contracts"])
def test_an_unrouted_api_path_is_a_json_404(no_manifest: None, path: str) -> None:
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"] == "not_found"
