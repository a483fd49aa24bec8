"""``export_contracts``: {id}/{version}.{ext} files that import back losslessly into another store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import override_settings

from dc43_portal.contracts.handler import contract_stores
from dc43_portal.contracts.models import Contract
from tests.commands.conftest import DELTA, documents, run

pytestmark = pytest.mark.database


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_it_round_trips_through_files_into_delta(
    stores: dict[str, Any], catalogue: list[Any], tmp_path: Path, fmt: str
) -> None:
    original = documents(stores["default"])
    code, out, _ = run("export_contracts", str(tmp_path / "out"), "--format", fmt)
    assert (code, out) == (0, "exported 5, skipped 0 unchanged, filtered out 0, conflicts 0\n")
    files = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert files == sorted(f"{cid}/{v}.{fmt}" for cid, v in original)
    lake = {"default": {"BACKEND": DELTA, "OPTIONS": {"table_uri": str(tmp_path / "imported.delta")}}}
    Contract.objects.all().delete()  # another portal: its own store and mirror
    with override_settings(CONTRACT_STORES=lake):
        code, _, err = run("import_contracts", str(tmp_path / "out"), "--keep-status")
        assert code == 0, err
        assert documents(contract_stores["default"]) == original


def test_it_keeps_yaml_dates_as_strings(stores: Any, catalogue: Any, tmp_path: Path) -> None:
    run("export_contracts", str(tmp_path))
    doc = yaml.safe_load((tmp_path / "sales.orders" / "1.1.0.yaml").read_text(encoding="utf-8"))
    assert doc["customProperties"] == [{"property": "since", "value": "2022-10-03"}]


def test_it_filters_by_status_value_or_label(stores: Any, catalogue: Any, tmp_path: Path) -> None:
    code, out, _ = run("export_contracts", str(tmp_path), "--status", "Validated", "--status", "deprecated,In review")
    assert code == 0 and "exported 3," in out and "filtered out 2" in out
    assert sorted(p.name for p in tmp_path.rglob("*.yaml")) == ["1.0.0.yaml", "1.1.0.yaml", "2.0.0-rc.1.yaml"]


def test_a_rerun_skips_and_follows_status_changes(stores: Any, catalogue: Any, tmp_path: Path, steward: Any) -> None:
    run("export_contracts", str(tmp_path), "--format", "json")
    from dc43_portal.contracts.services import contract_transition

    contract_transition(contract_id="sales.orders", version="1.1.0", to_status="deprecated", user=steward, comment="x")
    code, out, _ = run("export_contracts", str(tmp_path), "--format", "json")
    assert (code, out) == (0, "exported 1, skipped 4 unchanged, filtered out 0, conflicts 0\n")
    assert json.loads((tmp_path / "sales.orders" / "1.1.0.json").read_text())["status"] == "deprecated"


def test_it_never_overwrites_a_different_file(stores: Any, catalogue: Any, tmp_path: Path) -> None:
    target = tmp_path / "sales.orders" / "1.1.0.yaml"
    target.parent.mkdir()
    target.write_text("id: sales.orders\nversion: 1.1.0\nname: hand-edited\n", encoding="utf-8")
    code, out, err = run("export_contracts", str(tmp_path))
    assert code == 1
    assert "conflict: sales.orders 1.1.0:" in err and "holds different content; not overwritten" in err
    assert "exported 4," in out
    assert "hand-edited" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--status", "retired-ish"], "not a status"),
        (["--from", "nowhere"], "no such store alias"),
        (["--from", "down"], "export failed"),
    ],
)
def test_it_exits_2_on_usage_errors_and_dead_stores(
    stores: Any, catalogue: Any, tmp_path: Path, args: list[str], message: str
) -> None:
    code, _, err = run("export_contracts", str(tmp_path / "out"), *args)
    assert code == 2 and message in err
    assert not list((tmp_path).rglob("*.yaml"))


def test_it_refuses_a_file_as_the_folder(stores: Any, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    assert run("export_contracts", str(tmp_path / "file"))[0] == 2
