"""manage.py import_contracts: drafts by default, kept statuses in SemVer order, one line per rejected file."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dc43_portal import odcs
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from tests import corpus
from tests.conftest import make_doc

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_contracts", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def write(folder: Path, doc: dict, suffix: str = ".json") -> Path:
    path = folder / f"{odcs.fingerprint(doc)[:12]}-{doc['version']}{suffix}"
    path.write_text(json.dumps(doc) if suffix == ".json" else odcs.dump_yaml(doc), encoding="utf-8")
    return path


def test_by_default_every_version_is_a_draft(tmp_path: Path) -> None:
    write(tmp_path, make_doc(status="active"))
    write(tmp_path, make_doc(version="1.1.0", status="deprecated"), ".yaml")
    code, out, err = run(str(tmp_path))
    assert code == 0 and "imported 2, rejected 0 in " in out and "2/2" in err
    assert re.search(r"in \d+\.\d s, \d+\.\d documents/s", out), out
    assert set(ContractVersion.objects.values_list("status", flat=True)) == {"draft"}
    assert set(LifecycleEvent.objects.values_list("action", "actor")) == {("import", "system")}


def test_keep_status_processes_versions_in_semver_order(tmp_path: Path) -> None:
    for version, status in [
        ("1.10.0", "active"),
        ("1.9.0", "deprecated"),
        ("1.2.0", "retired"),
        ("2.0.0-rc.1", "weird"),
    ]:
        write(tmp_path, make_doc(version=version, status=status))
    code, _, _ = run(str(tmp_path), "--keep-status")
    assert code == 0
    events = LifecycleEvent.objects.order_by("id")
    assert [e.version for e in events] == ["1.2.0", "1.9.0", "1.10.0", "2.0.0-rc.1"]
    assert dict(ContractVersion.objects.values_list("version", "status")) == {
        "1.2.0": "deprecated",
        "1.9.0": "deprecated",
        "1.10.0": "active",
        "2.0.0-rc.1": "draft",
    }
    assert "imported as draft" in str(ContractVersion.objects.get(version="2.0.0-rc.1").warnings)


def test_rejected_files_get_one_line_each_and_write_nothing(tmp_path: Path) -> None:
    write(tmp_path, make_doc())
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    write(tmp_path, make_doc("../escape"))
    code, out, err = run(str(tmp_path))
    assert code == 1 and "imported 1, rejected 2" in out
    assert "rejected " + str(tmp_path / "broken.yaml") + ": invalid YAML" in err
    assert "must not contain a slash" in err
    assert default_store().list_contracts() == ["sales.orders"]


@pytest.mark.parametrize(
    ("paths", "count"),
    [
        pytest.param(corpus.own_dc43, 3, id="own"),
        pytest.param(corpus.dc43_paths, 24, id="corpus", marks=corpus.MARKS),
    ],
)
def test_the_dc43_contracts_import_in_dc43_mode(
    tmp_path: Path, settings: object, paths: Callable[[], list[Path]], count: int
) -> None:
    settings.DC43_VALIDATION = "dc43"  # type: ignore[attr-defined]
    for path in paths():
        target = tmp_path / path.parent.name / path.name
        target.parent.mkdir(exist_ok=True)
        shutil.copy(path, target)
    code, out, _ = run(str(tmp_path), "--keep-status")
    assert code == 0 and f"imported {count}, rejected 0" in out
    assert ContractVersion.objects.exclude(warnings=[]).count() == count


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file") as caught:
        run(str(tmp_path / "missing"))
    assert caught.value.returncode == 2
    with pytest.raises(CommandError, match="no such user") as caught:
        run(str(tmp_path), "--actor", "ghost")
    assert caught.value.returncode == 2


def test_the_actor_is_recorded(tmp_path: Path, author: object) -> None:
    write(tmp_path, make_doc())
    run(str(tmp_path), "--actor", "alice")
    assert LifecycleEvent.objects.get().actor == "alice"
    assert ContractVersion.objects.get().created_by == "alice"


def test_the_audit_names_the_file_but_not_the_server_folders(tmp_path: Path) -> None:
    folder = tmp_path / "srv" / "secret-mount"
    folder.mkdir(parents=True)
    path = write(folder, make_doc())
    assert run(str(tmp_path))[0] == 0
    comment = LifecycleEvent.objects.get().comment
    assert comment == f"imported from {path.name}"
    assert str(tmp_path) not in comment and "secret-mount" not in comment
