"""/healthz answers the container probe over plain http on 127.0.0.1, even in production settings."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.mark.django_db
def test_it_answers_despite_host_checks_and_https_redirects(settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["portal.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert Client().get("/", HTTP_HOST="127.0.0.1:8000").status_code == 400


@pytest.mark.django_db
def test_it_fails_when_the_templates_cannot_be_found(settings: Any, tmp_path: Any) -> None:
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "pages cannot be rendered" and "TemplateDoesNotExist" in body["detail"]


@pytest.mark.django_db
def test_it_fails_when_the_static_files_were_never_collected(settings: Any, tmp_path: Any) -> None:
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    response = Client().get("/healthz")
    assert response.status_code == 503 and "css/portal.css" in response.json()["detail"]
