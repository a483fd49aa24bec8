"""Concurrent writers to one Git store never lose a commit: the ref is compared and swapped under its lock."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from dulwich.objects import ObjectID
from dulwich.refs import Ref
from dulwich.repo import Repo

from dc43_portal.errors import ContractConflict, StoreUnavailable
from dc43_portal.stores.git import store as git
from dc43_portal.stores.git.store import GitContractStore
from tests.conftest import make_doc
from tests.stores.git_worker import write_versions


def main_log(path: Path) -> list[str]:
    repo = Repo(str(path))
    return [e.commit.message.decode().split("\n")[0] for e in repo.get_walker([repo.refs[b"refs/heads/main"]])]


def test_two_processes_never_lose_a_commit(tmp_path: Path) -> None:
    path = tmp_path / "repo.git"
    GitContractStore(path).put(make_doc(version="0.1.0"), actor="setup")
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    mine = {"alice": [f"1.{i}.0" for i in range(15)], "bob": [f"2.{i}.0" for i in range(15)]}
    procs = [ctx.Process(target=write_versions, args=(str(path), v, who, barrier)) for who, v in mine.items()]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0]
    store = GitContractStore(path)
    assert store.list_versions("sales.orders") == ["0.1.0", *mine["alice"], *mine["bob"]]
    log = main_log(path)
    assert len(log) == 31  # one commit per put, none overwritten by the other process
    assert sorted(log) == sorted(
        [f"publish sales.orders {v} (Draft) by {who}" for who, vs in mine.items() for v in vs]
        + ["publish sales.orders 0.1.0 (Draft) by setup"]
    )


class RacedStore(GitContractStore):
    """Lets a second writer (another store object on the same repository) commit between read and swap."""

    def __init__(self, path: Path, rival: GitContractStore) -> None:
        super().__init__(path)
        self.rival = rival
        self.swaps: list[bool] = []

    def _swap(self, ref: Ref, old: ObjectID | None, new: ObjectID) -> bool:
        if not self.swaps:
            self.rival.put(make_doc(version="9.0.0"), actor="bob")
        ok = super()._swap(ref, old, new)
        self.swaps.append(ok)
        return ok


def test_a_writer_that_loses_the_race_rebuilds_on_the_new_head(tmp_path: Path) -> None:
    path = tmp_path / "repo.git"
    GitContractStore(path).put(make_doc(), actor="setup")
    store = RacedStore(path, rival=GitContractStore(path))
    store.put(make_doc(version="1.1.0"), actor="alice")
    assert store.swaps == [False, True]
    assert store.list_versions("sales.orders") == ["1.0.0", "1.1.0", "9.0.0"]
    assert main_log(path)[:2] == [
        "publish sales.orders 1.1.0 (Draft) by alice",
        "publish sales.orders 9.0.0 (Draft) by bob",
    ]


def test_overwrite_false_is_decided_against_the_winner(tmp_path: Path) -> None:
    """The rival's version lands first, so the retried put sees it and refuses a different document."""
    path = tmp_path / "repo.git"
    GitContractStore(path).put(make_doc(), actor="setup")
    store = RacedStore(path, rival=GitContractStore(path))
    with pytest.raises(ContractConflict):
        store.put(make_doc(version="9.0.0", name="Mine"), actor="alice", overwrite=False)
    assert store.get_document("sales.orders", "9.0.0")["name"] == "Orders"


def test_a_stuck_ref_lock_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "repo.git"
    store = GitContractStore(path)
    store.put(make_doc(), actor="alice")
    (path / "refs" / "heads" / "main.lock").write_text("")
    monkeypatch.setattr(git, "MAX_ATTEMPTS", 3)
    with pytest.raises(StoreUnavailable, match="main.lock"):
        store.put(make_doc(version="1.1.0"), actor="alice")
    assert store.list_versions("sales.orders") == ["1.0.0"]
