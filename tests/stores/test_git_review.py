"""Review by pull request: a draft is a branch, approval is a merge into main, and the suite still holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from dulwich.repo import Repo

from dc43_portal.stores.git.review import GitReviewContractStore
from tests.conftest import make_doc
from tests.stores.conformance import StoreConformance

DRAFT = b"refs/heads/drafts/sales.orders/1.2.0"


class TestGitReviewContractStore(StoreConformance):
    @pytest.fixture
    def store(self, tmp_path: Path) -> GitReviewContractStore:
        return GitReviewContractStore(tmp_path / "contracts.git", fsync=False)


def refs(path: Path) -> dict[bytes, bytes]:
    return {k: v for k, v in Repo(str(path)).get_refs().items() if k.startswith(b"refs/heads/")}


def subjects(path: Path, ref: bytes = b"refs/heads/main") -> list[str]:
    repo = Repo(str(path))
    return [e.commit.message.decode().split("\n")[0] for e in repo.get_walker([repo.refs[ref]])]


def test_a_draft_lives_on_its_own_branch_until_approved(tmp_path: Path) -> None:
    path = tmp_path / "repo.git"
    store = GitReviewContractStore(path)
    store.put(make_doc(version="1.0.0", status="active"), actor="importer")  # straight to main
    store.put(make_doc(version="1.2.0"), actor="alice")
    store.set_status("sales.orders", "1.2.0", "proposed", actor="alice")
    assert set(refs(path)) == {b"refs/heads/main", DRAFT}
    assert subjects(path, DRAFT)[:2] == [
        "status sales.orders 1.2.0 Draft -> In review by alice",
        "publish sales.orders 1.2.0 (Draft) by alice",
    ]
    assert subjects(path) == ["publish sales.orders 1.0.0 (Validated) by importer"]
    assert store.list_versions("sales.orders") == ["1.0.0", "1.2.0"]
    assert store.get_document("sales.orders", "1.2.0")["status"] == "proposed"


def test_approval_is_a_merge_commit_and_the_branch_goes(tmp_path: Path) -> None:
    path = tmp_path / "repo.git"
    store = GitReviewContractStore(path)
    store.put(make_doc(version="1.0.0", status="active"), actor="importer")
    store.put(make_doc(version="1.2.0"), actor="alice")
    draft_head = refs(path)[DRAFT]
    store.set_status("sales.orders", "1.2.0", "active", actor="sam")
    assert set(refs(path)) == {b"refs/heads/main"}
    repo = Repo(str(path))
    merge = repo[repo.refs[b"refs/heads/main"]]
    assert len(merge.parents) == 2 and merge.parents[1] == draft_head
    assert merge.message.decode().startswith(
        "merge drafts/sales.orders/1.2.0: status sales.orders 1.2.0 Draft -> Validated by sam"
    )
    assert store.get_document("sales.orders", "1.2.0")["status"] == "active"
    store.set_status("sales.orders", "1.2.0", "deprecated", actor="sam")  # now an ordinary commit on main
    assert [(e.who, e.what.split(" ")[0]) for e in store.history("sales.orders") if e.version == "1.2.0"] == [
        ("alice", "publish"),
        ("sam", "merge"),
        ("sam", "status"),
    ]


def test_branch_names_escape_what_git_refuses(tmp_path: Path) -> None:
    path = tmp_path / "repo.git"
    store = GitReviewContractStore(path)
    for cid in ["données 2024", "a..b", "x~y^z:w", "販売.注文"]:
        store.put(make_doc(cid), actor="alice")
    assert set(refs(path)) == {
        "refs/heads/drafts/données%202024/1.0.0".encode(),
        b"refs/heads/drafts/a%2E%2Eb/1.0.0",
        b"refs/heads/drafts/x%7Ey%5Ez%3Aw/1.0.0",
        "refs/heads/drafts/販売.注文/1.0.0".encode(),
    }
    assert store.list_contracts() == sorted(["données 2024", "a..b", "x~y^z:w", "販売.注文"])


def test_the_remote_sees_the_branch_then_the_merge(tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    Repo.init_bare(str(remote), mkdir=True)
    store = GitReviewContractStore(tmp_path / "local.git", remote=str(remote))
    store.put(make_doc(version="1.2.0"), actor="alice")
    assert DRAFT in refs(remote)  # a forge would offer a pull request from it
    store.set_status("sales.orders", "1.2.0", "active", actor="sam")
    assert store.last_push_error is None
    assert set(refs(remote)) == {b"refs/heads/main"}
    assert refs(remote)[b"refs/heads/main"] == refs(tmp_path / "local.git")[b"refs/heads/main"]


def test_deleting_a_draft_deletes_its_branch(tmp_path: Path) -> None:
    path = tmp_path / "repo.git"
    store = GitReviewContractStore(path)
    store.put(make_doc(version="1.2.0"), actor="alice")
    store.delete("sales.orders", "1.2.0", actor="alice")
    assert refs(path) == {} and store.list_contracts() == []
