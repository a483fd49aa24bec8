"""A POST without a valid CSRF token gets the portal's 403 page saying what to do, and writes nothing.

Found by the QA sweep: Django's bare "CSRF verification failed" page answered, outside the portal's layout.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from dc43_portal.contracts.models import ContractVersion
from tests.conftest import make_doc

pytestmark = pytest.mark.database


def test_it_answers_403_with_the_portal_page(author: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    response = client.post("/new/", {"document": json.dumps(make_doc())})
    assert response.status_code == 403
    body = response.content.decode()
    assert "This form expired or did not come from the portal. Nothing was saved" in body
    assert "Not allowed" in body  # the portal's error page, not Django's
    assert not ContractVersion.objects.exists()
