"""``copy_contracts``: filesystem to Delta and back, statuses kept, idempotent, conflicts never overwritten."""

from __future__ import annotations

from typing import Any

import pytest

from dc43_portal import odcs
from tests.commands.conftest import documents, run
from tests.conftest import make_doc

pytestmark = pytest.mark.database


def test_it_round_trips_filesystem_delta_filesystem(stores: dict[str, Any], catalogue: list[Any]) -> None:
    original = documents(stores["default"])
    assert run("copy_contracts", "--from", "default", "--to", "lake")[:2] == (0, "copied 5, skipped 0, conflicts 0\n")
    assert documents(stores["lake"]) == original
    assert run("copy_contracts", "--from", "lake", "--to", "back")[0] == 0
    assert documents(stores["back"]) == original
    assert {(cid, v, doc["status"]) for (cid, v), doc in original.items()} == set(catalogue)


def test_a_rerun_changes_nothing(stores: dict[str, Any], catalogue: list[Any]) -> None:
    run("copy_contracts", "--from", "default", "--to", "lake")
    history = len(stores["lake"].history("sales.orders"))
    code, out, _ = run("copy_contracts", "--from", "default", "--to", "lake")
    assert (code, out) == (0, "copied 0, skipped 5, conflicts 0\n")
    assert len(stores["lake"].history("sales.orders")) == history


def test_it_reports_conflicts_and_never_overwrites(stores: dict[str, Any], catalogue: list[Any]) -> None:
    theirs = odcs.with_status(make_doc(version="1.1.0", name="Theirs"), "active")
    stores["back"].put(theirs)
    stores["back"].put(odcs.with_status(stores["default"].get_document("sales.orders", "1.0.0"), "active"))
    code, out, err = run("copy_contracts", "--from", "default", "--to", "back")
    assert code == 1
    assert out.endswith("copied 3, skipped 0, conflicts 2\n")
    assert "conflict: sales.orders 1.1.0: the target holds different content for this version" in err
    assert "conflict: sales.orders 1.0.0: same content, but Validated in the target and Deprecated" in err
    assert stores["back"].get_document("sales.orders", "1.1.0") == theirs
    assert stores["back"].get_document("sales.orders", "1.0.0")["status"] == "active"


def test_a_dry_run_writes_nothing(stores: dict[str, Any], catalogue: list[Any]) -> None:
    code, out, _ = run("copy_contracts", "--from", "default", "--to", "back", "--dry-run", "-v", "2")
    assert code == 0
    assert "would copy: sales.orders 2.0.0+build.7" in out
    assert out.endswith("dry run: would copy 5, skipped 0, conflicts 0\n")
    assert stores["back"].list_contracts() == []


def test_it_shows_a_progress_bar(stores: dict[str, Any], catalogue: list[Any]) -> None:
    assert (
        "copying [##############################] 5/5" in run("copy_contracts", "--from", "default", "--to", "back")[2]
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "default", "--to", "nowhere"], "--to 'nowhere': no such store alias"),
        (["--from", "lake", "--to", "lake"], "the same store"),
        (["--from", "down", "--to", "back"], "store unavailable"),
        (["--from", "default", "--to", "back", "--actor", "nobody"], "no such user"),
    ],
)
def test_it_exits_2_on_usage_errors_and_dead_stores(stores: Any, catalogue: Any, args: list[str], message: str) -> None:
    code, _, err = run("copy_contracts", *args)
    assert code == 2
    assert message in err
    assert stores["back"].list_contracts() == []
