"""An uploaded file one byte past DC43_MAX_DOCUMENT_BYTES is a 413, as a pasted document is; at the limit it is read.

Found by the QA sweep: a pasted document past the limit answered 413, the same bytes uploaded as a file 400.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dc43_portal.contracts.models import ContractVersion

pytestmark = pytest.mark.database
LIMIT = 1000


@pytest.mark.parametrize(("size", "status"), [(LIMIT, 400), (LIMIT + 1, 413)])
def test_the_upload_limit_is_exact(author: Any, settings: Any, size: int, status: int) -> None:
    settings.DC43_MAX_DOCUMENT_BYTES = LIMIT
    client = Client()
    client.force_login(author)
    upload = SimpleUploadedFile("c.yaml", b"a: " + b"x" * (size - 4) + b"\n")
    assert upload.size == size
    response = client.post("/new/", {"document": "", "upload": upload})
    assert response.status_code == status
    body = response.content.decode()
    # At the limit the file is parsed (and refused as an invalid contract); past it, only its size is read.
    assert ("The file is 1,001 bytes; the limit is 1,000 bytes." in body) == (status == 413)
    assert not ContractVersion.objects.exists()
