"""``DC43_STORE_BACKEND`` may name a factory: dc43's ``SQLContractStore`` on an SQLAlchemy engine from a URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dc43_portal.contracts import selectors, services
from dc43_portal.contracts.handler import contract_stores, default_store
from dc43_portal.errors import ContractNotFound
from dc43_portal.stores.adapter import ForeignStoreAdapter
from tests.conftest import make_doc

pytest.importorskip("sqlalchemy", reason="dc43's SQL store needs SQLAlchemy (the `sql` extra)")


@pytest.fixture
def sql_store(settings: Any, tmp_path: Path) -> None:
    settings.CONTRACT_STORES = {
        "default": {
            "BACKEND": "dc43_portal.stores.factories.dc43_sql_store",
            "OPTIONS": {"url": f"sqlite:///{tmp_path / 'dc43.sqlite3'}", "table_name": "dc43_contracts"},
        }
    }
    contract_stores.reset()


@pytest.mark.django_db
def test_it_publishes_into_dc43s_sql_store(sql_store: None) -> None:
    assert isinstance(default_store(), ForeignStoreAdapter)
    services.contract_publish(document=make_doc(), actor="alice")
    found = selectors.version_get("sales.orders", "1.0.0")
    assert found.document["id"] == "sales.orders" and found.row.status == "draft"
    assert default_store().list_versions("sales.orders") == ["1.0.0"]
    with pytest.raises(ContractNotFound) as missing:
        default_store().get_document("sales.orders", "2.0.0")
    # dc43 code that catches these keeps working on a portal store.
    assert isinstance(missing.value, KeyError) and isinstance(missing.value, FileNotFoundError)
    assert str(missing.value) and not str(missing.value).startswith("'")
