"""CONTRACT_STORES: loaded like STORAGES, cached per alias, reset on change, checked by manage.py check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from dc43_portal.contracts import services
from dc43_portal.contracts.checks import check_contract_stores, check_portal_settings
from dc43_portal.contracts.handler import InvalidContractStoreError, contract_stores, default_store
from dc43_portal.contracts.models import ContractVersion
from dc43_portal.stores.adapter import ForeignStoreAdapter
from dc43_portal.stores.filesystem import FSContractStore
from dc43_portal.stores.memory import MemoryContractStore
from tests.conftest import REPO, make_doc

DC43_FS = "dc43_service_backends.contracts.backend.stores.filesystem.FSContractStore"


def configure(settings: Any, backend: str, **options: Any) -> None:
    settings.CONTRACT_STORES = {"default": {"BACKEND": backend, "OPTIONS": options}}


def test_the_store_is_cached_per_alias_and_reset_on_change(settings: Any, tmp_path: Path) -> None:
    first = default_store()
    assert default_store() is first and isinstance(first, FSContractStore)
    configure(settings, "dc43_portal.stores.memory.MemoryContractStore")
    assert isinstance(default_store(), MemoryContractStore)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"BACKEND": "no.such.Store"}, "Could not find contract store backend 'no.such.Store'"),
        ({"OPTIONS": {}}, "has no BACKEND"),
        ({"BACKEND": "dc43_portal.stores.filesystem.FSContractStore", "OPTIONS": {"nope": 1}}, "Could not build"),
        ({"BACKEND": "collections.OrderedDict"}, "lacks dc43's store methods"),
        ({"BACKEND": "dc43_portal.stores.filesystem.FSContractStore", "OPTIONS": []}, "must be a JSON object"),
    ],
)
def test_misconfiguration_is_reported_by_checks(settings: Any, config: dict, message: str) -> None:
    settings.CONTRACT_STORES = {"default": config}
    with pytest.raises(InvalidContractStoreError, match=message):
        default_store()
    errors = check_contract_stores()
    assert [e.id for e in errors] == ["contracts.E002"] and message in errors[0].msg


def test_a_missing_default_alias_and_bad_settings_are_reported(settings: Any) -> None:
    settings.CONTRACT_STORES = {"other": {"BACKEND": "dc43_portal.stores.memory.MemoryContractStore"}}
    assert [e.id for e in check_contract_stores()] == ["contracts.E001"]
    settings.DC43_VALIDATION = "lenient"
    settings.DC43_COMPATIBILITY = "sometimes"
    assert {e.id for e in check_portal_settings()} == {"contracts.E010", "contracts.E011"}


def test_an_unwritable_store_is_reported(settings: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    configure(settings, "dc43_portal.stores.filesystem.FSContractStore", base_path=str(blocker))
    assert [e.id for e in check_contract_stores()] == ["contracts.E003"]


def test_manage_py_check_fails_on_a_bad_backend_from_the_environment(tmp_path: Path) -> None:
    env = {**os.environ, "DC43_STORE_BACKEND": "no.such.Store", "DC43_VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=REPO, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "contracts.E002" in result.stderr and "no.such.Store" in result.stderr


def test_several_aliases_come_from_one_json_variable(tmp_path: Path) -> None:
    stores = {"lake": {"BACKEND": "dc43_portal.stores.memory.MemoryContractStore", "OPTIONS": {}}}
    env = {**os.environ, "DC43_CONTRACT_STORES": json.dumps(stores), "DC43_VAR_DIR": str(tmp_path)}
    code = "from django.conf import settings; print(sorted(settings.CONTRACT_STORES))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip().endswith("['default', 'lake']"), result.stderr


@pytest.mark.database
@pytest.mark.django_db
def test_dc43s_own_fs_store_works_as_the_backend(settings: Any, tmp_path: Path, client: Any, viewer: Any) -> None:
    configure(settings, DC43_FS, base_path=str(tmp_path / "dc43"))
    store = default_store()
    assert isinstance(store, ForeignStoreAdapter)
    services.contract_publish(document=make_doc(version="1.10.0"), actor="alice")
    services.contract_publish(document=make_doc(version="1.9.0"), actor="alice")
    services.contract_publish(document=make_doc(version="1.9.0", name="Replaced draft"), actor="alice")
    assert store.list_versions("sales.orders") == ["1.9.0", "1.10.0"]
    assert store.get("sales.orders", "1.9.0").name == "Replaced draft"
    assert (tmp_path / "dc43" / "sales.orders" / "1.10.0.json").exists()
    assert ContractVersion.objects.count() == 2
    call_command("sync_contracts", stdout=open(os.devnull, "w"))  # noqa: SIM115 - consistent, so no exit
    client.force_login(viewer)
    page = client.get("/contracts/sales.orders/versions/1.9.0/")
    assert page.status_code == 200 and "Replaced draft" in page.content.decode()


def test_the_alias_list_matches_the_setting(settings: Any) -> None:
    settings.CONTRACT_STORES = {
        "default": {"BACKEND": "dc43_portal.stores.memory.MemoryContractStore"},
        "copy": {"BACKEND": "dc43_portal.stores.memory.MemoryContractStore"},
    }
    assert contract_stores.aliases() == ["default", "copy"]
    assert contract_stores["copy"] is not contract_stores["default"]


@pytest.mark.parametrize(
    ("old", "options", "expected"),
    [
        (
            "dc43_portal.stores.object_storage.ObjectStorageContractStore",
            {"url": "ROOT"},
            "dc43_portal.stores.objects.store.ObjectStorageContractStore",
        ),
        (
            "dc43_portal.stores.git_review.GitReviewContractStore",
            {"path": "ROOT"},
            "dc43_portal.stores.git.review.GitReviewContractStore",
        ),
        (
            "dc43_portal.stores.collibra.CollibraContractStore",
            None,
            "dc43_portal.stores.collibra.store.CollibraContractStore",
        ),
        ("dc43_portal.stores.delta.DeltaContractStore", None, "dc43_portal.stores.delta.store.DeltaContractStore"),
        ("dc43_portal.stores.git.GitContractStore", None, "dc43_portal.stores.git.store.GitContractStore"),
    ],
)
def test_wave_one_backend_paths_still_load(
    settings: Any, tmp_path: Path, old: str, options: dict[str, Any] | None, expected: str
) -> None:
    """Configurations written before the stores moved into packages keep working."""
    from django.utils.module_loading import import_string

    from dc43_portal.contracts.handler import RENAMED_BACKENDS

    assert import_string(RENAMED_BACKENDS.get(old, old)) is import_string(expected)
    if options is not None:  # the ones that build without a server
        configure(settings, old, **{k: str(tmp_path / "s") for k in options})
        assert f"{type(default_store()).__module__}.{type(default_store()).__name__}" == expected
