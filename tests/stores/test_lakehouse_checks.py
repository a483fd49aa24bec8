"""``manage.py check`` names a misconfigured lakehouse store: bad URI, not a Delta table, unreachable S3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import LazySettings

from dc43_portal.contracts.checks import check_contract_stores
from tests.stores.s3_server import S3Endpoint, s3_threaded  # noqa: F401 - fixture

DELTA = "dc43_portal.stores.delta.DeltaContractStore"
OBJECTS = "dc43_portal.stores.objects.ObjectStorageContractStore"


def messages(settings: LazySettings, backend: str, options: dict[str, Any]) -> list[str]:
    settings.CONTRACT_STORES = {"default": {"BACKEND": backend, "OPTIONS": options}}
    return [f"{m.id} {m.msg}" for m in check_contract_stores()]


def test_healthy_stores_pass(settings: LazySettings, tmp_path: Path) -> None:
    assert messages(settings, DELTA, {"table_uri": str(tmp_path / "new.delta")}) == []
    assert messages(settings, OBJECTS, {"url": str(tmp_path / "objects")}) == []


def test_a_bad_uri_is_named(settings: LazySettings) -> None:
    [found] = messages(settings, DELTA, {"table_uri": "ftp://host/contracts"})
    assert found.startswith("contracts.E002") and "unsupported scheme 'ftp'" in found
    [found] = messages(settings, OBJECTS, {"url": "nosuchproto://bucket/contracts"})
    assert found.startswith("contracts.E002") and "nosuchproto" in found


def test_a_folder_that_is_not_a_delta_table(settings: LazySettings, tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "notes.txt").write_text("hello")
    [found] = messages(settings, DELTA, {"table_uri": str(tmp_path / "plain")})
    assert found.startswith("contracts.E003") and "is not a Delta table" in found


def test_an_unreachable_or_missing_bucket(settings: LazySettings, s3_threaded: S3Endpoint) -> None:  # noqa: F811
    options = {"url": "s3://missing-bucket/contracts", "storage_options": s3_threaded.s3fs_options()}
    [found] = messages(settings, OBJECTS, options)
    assert found.startswith("contracts.E003") and "missing-bucket" in found
    dead = {**s3_threaded.s3fs_options(), "client_kwargs": {"endpoint_url": "http://127.0.0.1:9"}}
    [found] = messages(settings, OBJECTS, {"url": "s3://bucket/contracts", "storage_options": dead})
    assert "unavailable" in found
