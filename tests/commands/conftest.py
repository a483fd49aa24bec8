"""Command fixtures: a filesystem default store with versions in every status, a Delta store, a second filesystem."""

from __future__ import annotations

import io
import socket
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.core.management import call_command

from dc43_portal.contracts.handler import contract_stores
from tests.fixtures.cast import publish, transition

FS = "dc43_portal.stores.filesystem.FSContractStore"
DELTA = "dc43_portal.stores.delta.DeltaContractStore"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def stores(settings: LazySettings, contract_store_dir: Path, tmp_path: Path) -> dict[str, Any]:
    """``default`` (filesystem, from the root conftest), ``lake`` (Delta), ``back`` (another filesystem), ``down``."""
    settings.CONTRACT_STORES = {
        **settings.CONTRACT_STORES,
        "lake": {"BACKEND": DELTA, "OPTIONS": {"table_uri": str(tmp_path / "lake.delta")}},
        "back": {"BACKEND": FS, "OPTIONS": {"base_path": str(tmp_path / "back")}},
        "down": {
            "BACKEND": "dc43_portal.stores.http.HTTPContractStore",
            "OPTIONS": {"base_url": f"http://127.0.0.1:{closed_port()}/api/v1", "connect_timeout": 1.0},
        },
    }
    return {alias: contract_stores[alias] for alias in ("default", "lake", "back")}


@pytest.fixture
def catalogue(author: Any, steward: Any, steward2: Any) -> list[tuple[str, str, str]]:
    """Versions in each status, a pre-release, build metadata, a nested description and unicode, via the cast."""
    for version, extra in [
        ("1.0.0", {"description": {"purpose": "Orders — für Analysen", "usage": "BI"}}),
        ("1.1.0", {"customProperties": [{"property": "since", "value": "2022-10-03"}]}),
        ("2.0.0-rc.1", {}),
        ("2.0.0+build.7", {}),
    ]:
        publish(author, version, **extra)
    publish(author, "0.1.0", "crm.accounts", domain="crm")
    for version in ("1.0.0", "1.1.0"):
        transition(author, "proposed", version)
        transition(steward, "active", version)
    transition(steward2, "deprecated", "1.0.0", comment="superseded")
    transition(author, "proposed", "2.0.0-rc.1")
    return [
        ("crm.accounts", "0.1.0", "draft"),
        ("sales.orders", "1.0.0", "deprecated"),
        ("sales.orders", "1.1.0", "active"),
        ("sales.orders", "2.0.0-rc.1", "proposed"),
        ("sales.orders", "2.0.0+build.7", "draft"),
    ]


def documents(store: Any) -> dict[tuple[str, str], dict[str, Any]]:
    return {(cid, v): store.get_document(cid, v) for cid in store.list_contracts() for v in store.list_versions(cid)}


def run(*args: str) -> tuple[int, str, str]:
    """A command's exit code, stdout and stderr; ``CommandError`` and ``sys.exit`` become codes as on the CLI."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    except Exception as exc:  # CommandError carries the exit code manage.py would use
        code = getattr(exc, "returncode", -1)
        err.write(str(exc))
    return code, out.getvalue(), err.getvalue()
