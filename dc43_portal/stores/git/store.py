"""Git store: ``{id}/{version}.json`` on a branch, one commit per change, written with dulwich (no git binary).

Commits are built in the object store and published with a compare-and-swap on the branch ref (dulwich
takes the ref's ``.lock`` file and re-reads the ref under it). A writer that loses the race rebuilds its
commit on top of the new head and tries again, so two processes never lose each other's commits.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import random
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dulwich.errors import NotGitRepository
from dulwich.file import FileLocked
from dulwich.objects import Blob, Commit, ObjectID, Tree
from dulwich.refs import Ref, check_ref_format
from dulwich.repo import Repo

from dc43_portal import odcs
from dc43_portal.errors import ContractNotFound, InvalidContract, StoreUnavailable
from dc43_portal.stores.git.support import (
    Change,
    clean_name,
    new_commit,
    person,
    push_refs,
    read_ref,
    replace_entry,
    status_label,
    swap_ref,
    write_object,
)
from dc43_portal.stores.interface import ContractInput, ContractStore, HistoryEntry, check_identity
from dc43_portal.versioning import is_version

log = logging.getLogger(__name__)

FILE_MODE = 0o100644
DIR_MODE = 0o040000
# Losing the ref race costs one rebuild; a bounded number keeps a stuck lock from hanging a request.
MAX_ATTEMPTS = 200

Decide = Callable[[dict[str, Any] | None], Change | None]


class GitContractStore(ContractStore):
    """A (bare) repository whose branch holds one JSON file per version; see docs/stores-git.md for the options."""

    supports_status = True
    supports_delete = True
    supports_history = True

    def __init__(
        self,
        path: str | os.PathLike[str] = "var/contracts.git",
        branch: str = "main",
        remote: str | None = None,
        author_domain: str = "users.dc43-portal.invalid",
        committer: str = "dc43 portal <portal@dc43-portal.invalid>",
        fsync: bool = True,
    ) -> None:
        self.path = Path(path)
        self.branch = branch
        self.ref = Ref(f"refs/heads/{branch}".encode())
        if not check_ref_format(Ref(self.ref[len(b"refs/") :])):
            raise ValueError(f"{branch!r} is not a valid git branch name")
        self.remote = remote or None
        self.author_domain = author_domain
        self.committer = committer.encode()
        # Objects are flushed before the ref moves, so a crash never leaves a ref to a missing commit.
        self.fsync = fsync
        self.last_push_error: str | None = None
        self._repo: Repo | None = None
        self._open_lock = threading.Lock()
        self._write_lock = threading.Lock()  # threads of one process queue; processes race on the ref
        # Git objects never change, so parsed trees are cached by sha (reads re-read only the ref).
        self._tree = functools.lru_cache(maxsize=256)(self._load_tree)
        self._tree_of = functools.lru_cache(maxsize=256)(self._load_tree_of)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r}, branch={self.branch!r})"

    # ---------------------------------------------------------------- the repository

    @property
    def repo(self) -> Repo:
        if self._repo is None:
            with self._open_lock:
                if self._repo is None:
                    self._repo = self._open_or_init()
        return self._repo

    def _open_or_init(self) -> Repo:
        try:
            return Repo(str(self.path))
        except NotGitRepository:
            if self.path.exists() and any(self.path.iterdir()):
                raise StoreUnavailable(f"{self.path} exists and is not a git repository") from None
        # Initialise beside the target, then rename: a concurrent process sees all of it or none.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix=f".{self.path.name}-init-", dir=self.path.parent)
        Repo.init_bare(tmp, default_branch=self.branch.encode()).close()
        try:
            os.rename(tmp, self.path)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)  # another process won; open its repository
        return Repo(str(self.path))

    def _head(self, ref: Ref | None = None) -> ObjectID | None:
        return read_ref(self.repo.controldir(), ref or self.ref)

    def _object(self, sha: bytes) -> Any:
        return self.repo.object_store[sha]  # type: ignore[index]

    def _load_tree(self, sha: bytes) -> Tree:
        return self._object(sha)

    def _load_tree_of(self, commit: bytes) -> bytes:
        return self._object(commit).tree

    def _root(self, head: ObjectID | None) -> Tree:
        return self._tree(self._tree_of(head)) if head else Tree()

    def _subtree(self, root: Tree, contract_id: str) -> Tree | None:
        try:
            mode, sha = root[contract_id.encode()]
        except KeyError:
            return None
        return self._tree(sha) if mode == DIR_MODE else None

    def _read(self, head: ObjectID | None, contract_id: str, version: str) -> dict[str, Any] | None:
        sub = self._subtree(self._root(head), contract_id)
        if sub is None:
            return None
        try:
            _, sha = sub[f"{version}.json".encode()]
        except KeyError:
            return None
        return self._decode(self._object(sha).data, contract_id, version)

    @staticmethod
    def _decode(data: bytes, contract_id: str, version: str) -> dict[str, Any]:
        try:
            doc = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            raise InvalidContract([("", f"{contract_id}/{version}.json is not valid JSON")]) from None
        if not isinstance(doc, dict):
            raise InvalidContract([("", f"{contract_id}/{version}.json does not hold a JSON object")])
        return doc

    def _versions(self, sub: Tree | None) -> list[str]:
        return list(self._files(sub))

    @staticmethod
    def _contract_dirs(root: Tree) -> Iterator[str]:
        for entry in root.items():
            name = entry.path.decode("utf-8", "replace")
            if entry.mode == DIR_MODE and not name.startswith("."):
                yield name

    # ---------------------------------------------------------------- reads

    def get_document(self, contract_id: str, version: str) -> dict[str, Any]:
        check_identity(contract_id, version)
        doc = self._read(self._head(), contract_id, version)
        if doc is None:
            raise ContractNotFound(f"contract {contract_id} {version} not found")
        return doc

    def list_contracts(self) -> list[str]:
        root = self._root(self._head())
        return sorted(c for c in self._contract_dirs(root) if self._versions(self._subtree(root, c)))

    def list_versions(self, contract_id: str) -> list[str]:
        check_identity(contract_id, "0.0.0")
        return self._sorted(self._versions(self._subtree(self._root(self._head()), contract_id)))

    def history(self, contract_id: str) -> list[HistoryEntry]:
        """Commits that changed ``{id}/``, oldest first, one entry per version file they touched."""
        check_identity(contract_id, "0.0.0")
        entries: list[HistoryEntry] = []
        for commit, changed in self._changes(contract_id, self._history_heads(contract_id)):
            when = datetime.fromtimestamp(commit.author_time, UTC)
            who = commit.author.decode("utf-8", "replace").split(" <", 1)[0]
            what = commit.message.decode("utf-8", "replace").split("\n", 1)[0]
            ref = commit.id.decode()
            entries.extend(HistoryEntry(when=when, who=who, what=what, version=v, ref=ref) for v in changed)
        return entries

    def _history_heads(self, contract_id: str) -> list[ObjectID]:
        head = self._head()
        return [head] if head else []

    def _changes(self, contract_id: str, heads: list[ObjectID]) -> list[tuple[Commit, list[str]]]:
        """Commits reachable from ``heads`` whose ``{id}/`` differs from the first parent's, parents first."""
        generation: dict[bytes, int] = {}
        found: list[tuple[Commit, list[str]]] = []
        stack: list[tuple[bytes, bool]] = [(h, False) for h in heads]
        while stack:  # iterative post-order, so a commit's generation exceeds its parents'
            sha, parents_done = stack.pop()
            if sha in generation:
                continue
            commit = self._object(sha)
            if not parents_done:
                stack.append((sha, True))
                stack.extend((p, False) for p in commit.parents if p not in generation)
                continue
            generation[sha] = 1 + max((generation[p] for p in commit.parents), default=0)
            mine = self._files(self._subtree(self._tree(commit.tree), contract_id))
            parent = self._root(commit.parents[0]) if commit.parents else Tree()
            theirs = self._files(self._subtree(parent, contract_id))
            changed = [v for v in mine.keys() | theirs.keys() if mine.get(v) != theirs.get(v)]
            if changed:
                found.append((commit, self._sorted(changed)))
        return sorted(found, key=lambda item: (generation[item[0].id], item[0].commit_time))

    @staticmethod
    def _files(sub: Tree | None) -> dict[str, bytes]:
        """Version -> blob sha of the version files in a contract folder (foreign files skipped)."""
        found: dict[str, bytes] = {}
        for entry in sub.items() if sub is not None else []:
            name = entry.path.decode("utf-8", "replace")
            if name.endswith(".json") and is_version(name[:-5]):
                found[name[:-5]] = entry.sha
        return found

    # ---------------------------------------------------------------- writes

    def put(self, contract: ContractInput, *, actor: str | None = None, overwrite: bool = True) -> None:
        doc, contract_id, version = self._prepare(contract)

        def decide(current: dict[str, Any] | None) -> Change | None:
            if current is not None and odcs.canonical_json(current) == odcs.canonical_json(doc):
                return None  # nothing changed, so no empty commit
            if current is not None and not overwrite:
                self._refuse_overwrite(current, doc, contract_id, version)
                return None
            verb = "replace" if current is not None else "publish"
            return Change(doc, f"{verb} {contract_id} {version} ({status_label(doc)}) by {clean_name(actor)}")

        ref, source = self._route_put(contract_id, version, doc)
        self._write(ref, contract_id, version, decide, actor, source)

    def set_status(self, contract_id: str, version: str, status: str, *, actor: str | None = None) -> None:
        check_identity(contract_id, version)
        self._write(self.ref, contract_id, version, self._status_change(contract_id, version, status, actor), actor)

    def delete(self, contract_id: str, version: str, *, actor: str | None = None) -> None:
        check_identity(contract_id, version)
        self._write(self.ref, contract_id, version, self._deletion(contract_id, version, actor), actor)

    @staticmethod
    def _status_change(contract_id: str, version: str, status: str, actor: str | None) -> Decide:
        def decide(current: dict[str, Any] | None) -> Change | None:
            if current is None:
                raise ContractNotFound(f"contract {contract_id} {version} not found")
            if current.get("status") == status:
                return None
            new = odcs.with_status(current, status)
            before, after = status_label(current), status_label(new)
            return Change(new, f"status {contract_id} {version} {before} -> {after} by {clean_name(actor)}")

        return decide

    @staticmethod
    def _deletion(contract_id: str, version: str, actor: str | None) -> Decide:
        def decide(current: dict[str, Any] | None) -> Change | None:
            if current is None:
                raise ContractNotFound(f"contract {contract_id} {version} not found")
            return Change(None, f"delete {contract_id} {version} by {clean_name(actor)}")

        return decide

    def _route_put(self, contract_id: str, version: str, doc: dict[str, Any]) -> tuple[Ref, Ref | None]:
        """The branch a put commits to, and the branch it merges (review mode)."""
        return self.ref, None

    def _write(
        self, ref: Ref, contract_id: str, version: str, decide: Decide, actor: str | None, source: Ref | None = None
    ) -> None:
        """Read the head, decide, build one commit, then compare-and-swap the ref; retry if another writer won.

        With ``source`` (a draft branch), the document is read there, the commit merges it, and the
        branch is deleted once the merge is in.
        """
        with self._write_lock:
            for attempt in range(MAX_ATTEMPTS):
                head = self._head(ref)
                merged = self._head(source) if source else None
                change = decide(self._read(merged or head, contract_id, version))
                if change is None:
                    return
                parents = (merged,) if merged else ()
                commit = self._commit(head, self._fork_base(ref, head), contract_id, version, change, actor, parents)
                if self._swap(ref, head, commit):
                    dropped = [source] if source and merged and self._drop(source, merged) else []
                    self._after_commit([ref], dropped)
                    return
                time.sleep(random.uniform(0, 0.002 * min(attempt + 1, 20)))  # jitter, so racers spread out
        lock = self.path / f"{ref.decode()}.lock"
        raise StoreUnavailable(
            f"could not update {ref.decode()} after {MAX_ATTEMPTS} attempts; if no writer is running, remove {lock}"
        )

    def _drop(self, ref: Ref, expected: ObjectID) -> bool:
        """Delete a merged branch, unless someone committed to it meanwhile (then it stays, and says so)."""
        try:
            if self.repo.refs.remove_if_equals(ref, expected):
                return True
        except FileLocked:
            pass
        log.warning("kept %s: it moved while it was being merged", ref.decode())
        return False

    def _fork_base(self, ref: Ref, head: ObjectID | None) -> ObjectID | None:
        """The parent of a branch's first commit (review mode forks drafts from the main branch)."""
        return head

    def _swap(self, ref: Ref, old: ObjectID | None, new: ObjectID) -> bool:
        return swap_ref(self.repo.controldir(), ref, old, new)

    def _commit(
        self,
        head: ObjectID | None,
        parent: ObjectID | None,
        contract_id: str,
        version: str,
        change: Change,
        actor: str | None,
        merged: tuple[ObjectID, ...] = (),
    ) -> ObjectID:
        """Store the new blob, folder tree, root tree and commit (first parent ``head or parent``)."""
        base = head or parent
        root = self._root(base)
        blob = Blob.from_string(odcs.dump_json(change.doc).encode("utf-8")) if change.doc is not None else None
        folder = replace_entry(self._subtree(root, contract_id) or Tree(), f"{version}.json", FILE_MODE, blob)
        new_root = replace_entry(root, contract_id, DIR_MODE, folder if folder.items() else None)
        commit = new_commit(new_root, [base, *merged] if base else list(merged), change.subject)
        commit.author = person(actor or "system", self.author_domain)
        commit.committer = self.committer
        for obj in (blob, folder, new_root, commit):
            if obj is not None:
                self._add(obj)
        return commit.id

    def _add(self, obj: Blob | Tree | Commit) -> None:
        write_object(str(self.repo.object_store.path), obj, fsync=self.fsync)

    # ---------------------------------------------------------------- push

    def _after_commit(self, refs: list[Ref], deleted: list[Ref]) -> None:
        if self.remote:
            self.push(refs, deleted)

    def push(self, refs: list[Ref] | None = None, deleted: list[Ref] | None = None) -> bool:
        """Push to ``remote``; a failure is logged and kept in ``last_push_error``, never raised.

        The commit is already safe locally and the next successful push carries it.
        """
        assert self.remote, "push needs a remote"
        self.last_push_error = push_refs(self.repo, self.remote, list(refs or [self.ref]), list(deleted or []))
        if self.last_push_error:
            log.warning("push of %s to the configured remote failed: %s", self.branch, self.last_push_error)
        return self.last_push_error is None

    # ---------------------------------------------------------------- checks

    def check(self) -> list[str]:
        problems: list[str] = []
        if self.path.exists() and not self.path.is_dir():
            return [f"{self.path} exists and is not a folder"]
        if self.path.exists():
            try:
                repo = Repo(str(self.path))
            except NotGitRepository:
                if any(self.path.iterdir()):
                    return [f"{self.path} is not a git repository"]
            else:
                if not repo.bare:
                    problems.append(f"{self.path} has a working tree, which the store never updates; use a bare repo")
        parent = self.path if self.path.exists() else self.path.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not os.access(parent, os.W_OK):
            problems.append(f"{parent} is not writable")
        return problems
