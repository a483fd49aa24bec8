"""``import_dc43_sql`` reads a table written by dc43's own SQLContractStore, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from dc43_service_backends.contracts.backend.stores.sql import SQLContractStore
from django.conf import LazySettings
from django.core.management import call_command
from django.db import connection
from open_data_contract_standard.model import OpenDataContractStandard

from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from dc43_portal.dbstore.store import DatabaseContractStore
from tests import corpus
from tests.conftest import make_doc

pytestmark = [pytest.mark.database, pytest.mark.django_db]
TABLE = "dc43_contracts_import_test"


@pytest.fixture(autouse=True)
def portal(settings: LazySettings) -> None:
    settings.DC43_VALIDATION = "dc43"
    settings.CONTRACT_STORES = {"default": {"BACKEND": "dc43_portal.dbstore.store.DatabaseContractStore"}}


@dataclass(frozen=True)
class Source:
    """dc43 contracts to write with dc43's own store, and what importing them (plus sales.orders) yields."""

    paths: list[Path]
    imported: int
    active: int


@pytest.fixture(params=[pytest.param("own"), pytest.param("corpus", marks=corpus.MARKS)])
def source(request: pytest.FixtureRequest) -> Source:
    if request.param == "own":  # tests/fixtures/odcs/dc43: two active versions and a draft
        return Source(corpus.own_dc43(), imported=3 + 2, active=2)
    return Source(corpus.dc43_paths(), imported=24 + 2, active=23)


@pytest.fixture(params=["sqlite", "postgresql"])
def dc43_url(request: pytest.FixtureRequest, tmp_path: Path, source: Source) -> Iterator[str]:
    """A database written by dc43 itself: dc43 example contracts, plus two versions of sales.orders."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'dc43.db'}"
    elif connection.vendor == "postgresql":
        db = connection.settings_dict
        url = f"postgresql+psycopg://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    else:
        pytest.skip("the PostgreSQL source runs in the PostgreSQL leg (make test-postgres)")
    engine = sa.create_engine(url)
    store = SQLContractStore(engine, table_name=TABLE)
    for path in source.paths:
        store.put(OpenDataContractStandard.model_validate_json(path.read_bytes()))
    store.put(OpenDataContractStandard.model_validate(make_doc(version="1.1.0-rc.1", status="draft")))
    store.put(OpenDataContractStandard.model_validate(make_doc(version="1.0.0", status="retired")))
    yield url
    store.table.drop(engine)
    engine.dispose()


def test_it_imports_every_row_with_its_status_in_semver_order(
    dc43_url: str, source: Source, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("import_dc43_sql", "--url", dc43_url, "--table", TABLE)
    assert capsys.readouterr().out.strip() == f"imported {source.imported}, rejected 0"
    store = DatabaseContractStore()
    assert sum(len(store.list_versions(cid)) for cid in store.list_contracts()) == source.imported
    assert store.get_document("sales.orders", "1.0.0")["status"] == "deprecated"  # dc43's "retired"
    assert ContractVersion.objects.filter(status="active").count() == source.active
    events = LifecycleEvent.objects.filter(contract_id="sales.orders").order_by("id")
    assert [(e.version, e.action, e.source, e.actor) for e in events] == [
        ("1.0.0", "import", "import", "system"),
        ("1.1.0-rc.1", "import", "import", "system"),
    ]


def test_a_broken_row_is_reported_and_the_rest_imported(
    dc43_url: str, source: Source, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = sa.create_engine(dc43_url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                f"INSERT INTO {TABLE} (contract_id, version, name, json, fingerprint) VALUES (:c, :v, 'x', :j, 'x')"
            ),
            [
                {"c": "broken", "v": "1.0.0", "j": "{not json"},
                {"c": "liar", "v": "1.0.0", "j": json.dumps(make_doc("other"))},
            ],
        )
    engine.dispose()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_dc43_sql", "--url", dc43_url, "--table", TABLE)
    assert exit_info.value.code == 1
    out, err = capsys.readouterr()
    assert out.strip() == f"imported {source.imported}, rejected 2"
    assert "rejected broken 1.0.0: invalid JSON" in err and "rejected liar 1.0.0: the JSON says other 1.0.0" in err


def test_a_missing_table_or_database_is_a_usage_error(tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    (tmp_path / "empty.db").touch()  # an empty file is an empty SQLite database (a missing one is refused first)
    with pytest.raises(CommandError, match="no table 'contracts'"):
        call_command("import_dc43_sql", "--url", f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(CommandError, match=r"cannot read postgresql\+psycopg://u:\*\*\*@127.0.0.1:1/x"):
        call_command("import_dc43_sql", "--url", "postgres://u:secret@127.0.0.1:1/x")
