"""A form body past Django's limit is a 413 page that says so, logged as one warning line, not a traceback.

Found by the QA sweep: a 6 MB paste answered a 400 naming ``DATA_UPLOAD_MAX_MEMORY_SIZE``, and Django logged
it (like a bad Host header) at ERROR with a traceback, though nothing failed on the server.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from dc43_portal.contracts.models import ContractVersion
from dc43_portal.logs import ClientErrorsAsWarnings

pytestmark = pytest.mark.database


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """What the portal's console handler (the one gunicorn captures) writes during the test."""
    handler = next(
        h for h in logging.getLogger().handlers if any(isinstance(f, ClientErrorsAsWarnings) for f in h.filters)
    )
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_it_answers_413_with_a_message(author: Any, settings: Any, console: io.StringIO) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    client = Client()
    client.force_login(author)
    response = client.post("/new/", {"document": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    body = response.content.decode()
    assert "The request is larger than the portal accepts (1 MB)." in body
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" not in body
    assert not ContractVersion.objects.exists()
    assert "Traceback" not in console.getvalue()


def test_a_bad_host_is_one_warning_line(console: io.StringIO, db: None) -> None:
    response = Client().get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    logged = console.getvalue()
    assert "Invalid HTTP_HOST header: 'evil.example'" in logged
    assert "Traceback" not in logged
    assert logged.count("\n") == 1
