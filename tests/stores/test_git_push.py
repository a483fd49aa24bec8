"""With ``remote`` set, every commit is pushed; a failed push keeps the commit locally and says why."""

from __future__ import annotations

from pathlib import Path

from dulwich.repo import Repo

from dc43_portal.stores.git.store import GitContractStore
from tests.conftest import make_doc


def head(path: Path) -> bytes:
    return Repo(str(path)).refs[b"refs/heads/main"]


def test_it_pushes_each_commit_to_a_bare_remote(tmp_path: Path) -> None:
    Repo.init_bare(str(tmp_path / "remote.git"), mkdir=True)
    store = GitContractStore(tmp_path / "local.git", remote=str(tmp_path / "remote.git"))
    store.put(make_doc(), actor="alice")
    store.set_status("sales.orders", "1.0.0", "active", actor="sam")
    assert store.last_push_error is None
    assert head(tmp_path / "remote.git") == head(tmp_path / "local.git")
    mirror = GitContractStore(tmp_path / "remote.git")
    assert mirror.get_document("sales.orders", "1.0.0")["status"] == "active"
    assert [e.who for e in mirror.history("sales.orders")] == ["alice", "sam"]


def test_a_failed_push_keeps_the_commit_and_the_next_push_catches_up(tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    store = GitContractStore(tmp_path / "local.git", remote=str(remote))
    store.put(make_doc(), actor="alice")  # the remote does not exist yet
    assert store.last_push_error and "remote.git" in store.last_push_error
    assert store.list_versions("sales.orders") == ["1.0.0"]
    Repo.init_bare(str(remote), mkdir=True)
    store.put(make_doc(version="1.1.0"), actor="alice")
    assert store.last_push_error is None
    assert GitContractStore(remote).list_versions("sales.orders") == ["1.0.0", "1.1.0"]


def test_it_refuses_to_overwrite_a_remote_that_moved_on(tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    Repo.init_bare(str(remote), mkdir=True)
    GitContractStore(remote).put(make_doc("someone.else"), actor="bob")  # a commit the portal never saw
    store = GitContractStore(tmp_path / "local.git", remote=str(remote))
    store.put(make_doc(), actor="alice")
    assert store.last_push_error == "the remote branch has commits the portal does not have"
    assert GitContractStore(remote).list_contracts() == ["someone.else"]
