"""dc43 accepted versions such as ``1.0``, ``v1.0.0`` and ``0.32.0.0rc2``; the portal cannot order them, so it
does not list them. ``sync_contracts`` and the imports name each one with the rule it breaks."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import make_doc

HIDDEN = ["1.0", "v1.0.0", "0.32.0.0rc2"]


@pytest.mark.django_db
def test_sync_names_every_hidden_version(contract_store_dir: Path) -> None:
    folder = contract_store_dir / "sales.orders"
    folder.mkdir(parents=True)
    for version in ["1.0.0", *HIDDEN]:
        (folder / f"{version}.json").write_text(json.dumps(make_doc(version=version)), "utf-8")
    (folder / ".tmp-123.json").write_text("{}", "utf-8")  # a temp file is not a version
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_code:
        call_command("sync_contracts", stdout=out, stderr=err)
    assert exit_code.value.code == 1  # not consistent until they are renamed
    lines = [line for line in err.getvalue().splitlines() if line.startswith("hidden: ")]
    assert sorted(line.split()[2].rstrip(":") for line in lines) == sorted(HIDDEN)
    assert all("is not a SemVer 2.0 version" in line for line in lines)
    assert "added 1," in out.getvalue() and "hidden 3" in out.getvalue()


@pytest.mark.django_db
def test_import_names_every_hidden_version(tmp_path: Path) -> None:
    for version in ["1.0.0", *HIDDEN]:
        (tmp_path / f"orders-{version}.json").write_text(json.dumps(make_doc(version=version)), "utf-8")
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit):
        call_command("import_contracts", str(tmp_path), stdout=out, stderr=err)
    text = out.getvalue() + err.getvalue()
    for version in HIDDEN:
        assert f"'{version}' is not a SemVer 2.0 version" in text
