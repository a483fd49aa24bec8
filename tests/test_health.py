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
