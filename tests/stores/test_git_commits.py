"""Each write to the Git store is one commit, authored by the actor, in a layout a checkout can read."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from dulwich import porcelain
from dulwich.repo import Repo

from dc43_portal.stores.git.store import GitContractStore
from tests.conftest import make_doc


def commits(repo_path: Path) -> list[tuple[str, str]]:
    """(author, subject) of the main branch, newest first."""
    repo = Repo(str(repo_path))
    walker = repo.get_walker([repo.refs[b"refs/heads/main"]])
    return [(e.commit.author.decode(), e.commit.message.decode().splitlines()[0]) for e in walker]


def test_it_makes_one_commit_per_put_and_status_change(tmp_path: Path) -> None:
    store = GitContractStore(tmp_path / "repo.git")
    store.put(make_doc(version="1.2.0"), actor="alice")
    store.set_status("sales.orders", "1.2.0", "active", actor="sam")
    assert commits(tmp_path / "repo.git") == [
        ("sam <sam@users.dc43-portal.invalid>", "status sales.orders 1.2.0 Draft -> Validated by sam"),
        ("alice <alice@users.dc43-portal.invalid>", "publish sales.orders 1.2.0 (Draft) by alice"),
    ]


def test_it_does_not_commit_when_nothing_changes(tmp_path: Path) -> None:
    store = GitContractStore(tmp_path / "repo.git")
    store.put(make_doc(), actor="alice")
    store.put(make_doc(), actor="alice")
    store.set_status("sales.orders", "1.0.0", "draft", actor="sam")
    assert len(commits(tmp_path / "repo.git")) == 1


def test_it_keeps_a_hostile_actor_on_one_line(tmp_path: Path) -> None:
    store = GitContractStore(tmp_path / "repo.git")
    store.put(make_doc(), actor="mallory <x@y>\nSigned-off-by: someone")
    [(author, subject)] = commits(tmp_path / "repo.git")
    assert author.startswith("mallory x@y Signed-off-by: someone <")
    assert subject == "publish sales.orders 1.0.0 (Draft) by mallory x@y Signed-off-by: someone"


def test_history_lists_commits_oldest_first(tmp_path: Path) -> None:
    store = GitContractStore(tmp_path / "repo.git")
    store.put(make_doc(), actor="alice")
    store.put(make_doc(name="Renamed"), actor="alice")
    store.put(make_doc("other.contract"), actor="bob")
    store.set_status("sales.orders", "1.0.0", "proposed", actor="alice")
    store.put(make_doc(version="1.1.0"), actor="arthur")
    store.delete("sales.orders", "1.1.0", actor="sam")
    got = [(e.who, e.what.split(" ", 1)[0], e.version) for e in store.history("sales.orders")]
    assert got == [
        ("alice", "publish", "1.0.0"),
        ("alice", "replace", "1.0.0"),
        ("alice", "status", "1.0.0"),
        ("arthur", "publish", "1.1.0"),
        ("sam", "delete", "1.1.0"),
    ]
    assert all(len(e.ref) == 40 for e in store.history("sales.orders"))
    assert store.history("nobody") == []


def test_a_clone_is_human_readable(tmp_path: Path) -> None:
    store = GitContractStore(tmp_path / "repo.git")
    store.put(make_doc(version="1.0.0"), actor="alice")
    store.put(make_doc("販売.注文", version="2.0.0-rc.1"), actor="alice")
    porcelain.clone(str(tmp_path / "repo.git"), str(tmp_path / "checkout"), errstream=io.BytesIO())
    files = sorted(str(p.relative_to(tmp_path / "checkout")) for p in (tmp_path / "checkout").rglob("*.json"))
    assert files == ["sales.orders/1.0.0.json", "販売.注文/2.0.0-rc.1.json"]
    text = (tmp_path / "checkout" / "sales.orders" / "1.0.0.json").read_text(encoding="utf-8")
    assert text.startswith('{\n  "apiVersion": "v3.1.0",') and json.loads(text) == make_doc()


def test_it_ignores_foreign_files_in_the_repository(tmp_path: Path) -> None:
    store = GitContractStore(tmp_path / "repo.git")
    store.put(make_doc(), actor="alice")
    porcelain.clone(str(tmp_path / "repo.git"), str(tmp_path / "work"), errstream=io.BytesIO())
    (tmp_path / "work" / "README.md").write_text("contracts\n")
    (tmp_path / "work" / "sales.orders" / "NOTES.txt").write_text("notes\n")
    (tmp_path / "work" / "sales.orders" / "latest.json").write_text("{}\n")
    porcelain.add(str(tmp_path / "work"), [str(p) for p in (tmp_path / "work").rglob("*") if p.is_file()])
    porcelain.commit(str(tmp_path / "work"), message=b"docs", author=b"Hu Man <h@example.com>")
    porcelain.push(str(tmp_path / "work"), str(tmp_path / "repo.git"), [b"refs/heads/main"], errstream=io.BytesIO())
    assert store.list_contracts() == ["sales.orders"]
    assert store.list_versions("sales.orders") == ["1.0.0"]
    store.put(make_doc(version="1.1.0"), actor="alice")  # foreign files survive the portal's commits
    porcelain.pull(str(tmp_path / "work"), str(tmp_path / "repo.git"), errstream=io.BytesIO())
    assert (tmp_path / "work" / "README.md").exists() and (tmp_path / "work" / "sales.orders" / "1.1.0.json").exists()


def test_check_reports_a_folder_that_is_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "file.txt").write_text("x")
    assert GitContractStore(tmp_path / "plain").check() == [f"{tmp_path / 'plain'} is not a git repository"]
    assert GitContractStore(tmp_path / "new.git").check() == []


@pytest.mark.skipif(shutil.which("git") is None, reason="the git binary is only used here to check interop")
def test_real_git_accepts_the_repository_and_its_gc(tmp_path: Path) -> None:
    path = tmp_path / "repo.git"
    store = GitContractStore(path)
    store.put(make_doc(), actor="alice")
    store.put(make_doc(version="1.1.0"), actor="bob")

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True, check=True).stdout

    git("fsck", "--strict")
    git("gc", "--prune=now")  # packs the objects and the refs; the loose ref file is gone
    assert not (path / "refs" / "heads" / "main").exists()
    store.put(make_doc(version="1.2.0"), actor="carol")
    assert GitContractStore(path).list_versions("sales.orders") == ["1.0.0", "1.1.0", "1.2.0"]
    assert git("log", "--format=%an|%s").splitlines() == [
        "carol|publish sales.orders 1.2.0 (Draft) by carol",
        "bob|publish sales.orders 1.1.0 (Draft) by bob",
        "alice|publish sales.orders 1.0.0 (Draft) by alice",
    ]
    git("fsck", "--strict")
