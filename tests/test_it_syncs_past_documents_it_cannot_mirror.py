"""sync_contracts reports a stored document the mirror cannot keep and goes on with the others.

Found by the QA sweep: a document another tool wrote with a NUL in its name crashed the whole sync on
PostgreSQL with a traceback, leaving the versions after it unsynced.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import ContractVersion
from tests.conftest import make_doc

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def test_it_reports_the_document_and_syncs_the_rest() -> None:
    store = default_store()
    store.put(make_doc(version="1.0.0", name="Bad\x00name"))  # the store itself keeps what it is given
    store.put(make_doc(version="1.1.0"))
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("sync_contracts", stdout=out, stderr=err)
    assert exited.value.code == 1
    assert "conflict: sales.orders 1.0.0: cannot be mirrored (name: text must not contain NUL" in err.getvalue()
    assert "added 1, updated 0, unchanged 0, orphaned 0, conflicts 1" in out.getvalue()
    assert list(ContractVersion.objects.values_list("version", flat=True)) == ["1.1.0"]
