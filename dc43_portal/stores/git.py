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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dulwich import porcelain
from dulwich.errors import NotGitRepository
from dulwich.file import FileLocked
from dulwich.graph import can_fast_forward
from dulwich.objects import Blob, Commit, ObjectID, Tree
from dulwich.refs import Ref, check_ref_format
from dulwich.repo import Repo

from dc43_portal import odcs, statuses
from dc43_portal.errors import ContractNotFound, InvalidContract, StoreUnavailable
from dc43_portal.stores.interface import ContractInput, ContractStore, HistoryEntry, check_identity
from dc43_portal.versioning import is_version

log = logging.getLogger(__name__)

FILE_MODE = 0o100644
DIR_MODE = 0o040000
# Losing the ref race costs one rebuild; a bounded number keeps a stuck lock from hanging a request.
MAX_ATTEMPTS = 200
PUSH_ATTEMPTS = 3


@dataclass(frozen=True)
class Change:
    """What one commit does to one file: the new document (``None`` deletes it) and the subject line."""

    doc: dict[str, Any] | None
    subject: str


Decide = Callable[[dict[str, Any] | None], Change | None]


def status_label(doc: dict[str, Any]) -> str:
    value = doc.get("status")
    return statuses.label(statuses.parse_status(value) or str(value or statuses.DRAFT))


def redact(message: str, url: str) -> str:
    """Hide the credentials a remote URL may carry (``https://user:token@host/...``)."""
    parsed = urlsplit(url)
    if parsed.password:
        message = message.replace(parsed.password, "***")
    return message


def clean_name(actor: str | None) -> str:
    """The actor as one line without the characters git forbids in an identity."""
    return " ".join("".join(c for c in actor or "" if c not in "<>\x00").split()) or "system"


def person(name: str, domain: str) -> bytes:
    """``Name <name@domain>`` for a commit author."""
    clean = clean_name(name)
    local = "".join(c if c.isalnum() or c in "._-" else "-" for c in clean.lower()).strip(".-") or "user"
    return f"{clean} <{local}@{domain}>".encode()


class GitContractStore(ContractStore):
    """A (bare) repository whose branch holds one JSON file per version; see the README for the options."""

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
    ) -> None:
        self.path = Path(path)
        self.branch = branch
        self.ref = Ref(f"refs/heads/{branch}".encode())
        if not check_ref_format(Ref(self.ref[len(b"refs/") :])):
            raise ValueError(f"{branch!r} is not a valid git branch name")
        self.remote = remote or None
        self.author_domain = author_domain
        self.committer = committer.encode()
        self.last_push_error: str | None = None
        self._repo: Repo | None = None
        self._open_lock = threading.Lock()
        self._write_lock = threading.Lock()  # threads of one process queue; processes race on the ref
        # Git objects never change, so parsed trees are cached by sha (reads re-read only the ref).
        self._tree = functools.lru_cache(maxsize=512)(self._load_tree)

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
        try:
            return self.repo.refs[ref or self.ref]
        except KeyError:
            return None

    def _object(self, sha: bytes) -> Any:
        return self.repo.object_store[sha]  # type: ignore[index]

    def _load_tree(self, sha: bytes) -> Tree:
        return self._object(sha)

    def _root(self, head: ObjectID | None) -> Tree:
        return self._tree(self._object(head).tree) if head else Tree()

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

        self._write(self._ref_for_put(contract_id, version, doc), contract_id, version, decide, actor)

    def set_status(self, contract_id: str, version: str, status: str, *, actor: str | None = None) -> None:
        check_identity(contract_id, version)

        def decide(current: dict[str, Any] | None) -> Change | None:
            if current is None:
                raise ContractNotFound(f"contract {contract_id} {version} not found")
            new = odcs.with_status(current, status)
            if current.get("status") == status:
                return None
            before, after = status_label(current), status_label(new)
            return Change(new, f"status {contract_id} {version} {before} -> {after} by {clean_name(actor)}")

        self._write(self.ref, contract_id, version, decide, actor)

    def delete(self, contract_id: str, version: str, *, actor: str | None = None) -> None:
        check_identity(contract_id, version)

        def decide(current: dict[str, Any] | None) -> Change | None:
            if current is None:
                raise ContractNotFound(f"contract {contract_id} {version} not found")
            return Change(None, f"delete {contract_id} {version} by {clean_name(actor)}")

        self._write(self.ref, contract_id, version, decide, actor)

    def _ref_for_put(self, contract_id: str, version: str, doc: dict[str, Any]) -> Ref:
        return self.ref

    def _write(self, ref: Ref, contract_id: str, version: str, decide: Decide, actor: str | None) -> None:
        """Read the head, decide, build one commit, then compare-and-swap the ref; retry if another writer won."""
        with self._write_lock:
            for attempt in range(MAX_ATTEMPTS):
                head = self._head(ref)
                change = decide(self._read(head, contract_id, version))
                if change is None:
                    return
                commit = self._commit(head, self._fork_base(ref, head), contract_id, version, change, actor)
                if self._swap(ref, head, commit):
                    self._after_commit(ref)
                    return
                time.sleep(random.uniform(0, 0.002 * min(attempt + 1, 20)))  # jitter, so racers spread out
        lock = self.path / f"{ref.decode()}.lock"
        raise StoreUnavailable(
            f"could not update {ref.decode()} after {MAX_ATTEMPTS} attempts; if no writer is running, remove {lock}"
        )

    def _fork_base(self, ref: Ref, head: ObjectID | None) -> ObjectID | None:
        """The parent of a branch's first commit (review mode forks drafts from the main branch)."""
        return head

    def _swap(self, ref: Ref, old: ObjectID | None, new: ObjectID) -> bool:
        refs = self.repo.refs
        try:
            if old is None:
                return refs.add_if_new(ref, new)
            return refs.set_if_equals(ref, old, new)
        except FileLocked:
            return False

    def _commit(
        self,
        head: ObjectID | None,
        parent: ObjectID | None,
        contract_id: str,
        version: str,
        change: Change,
        actor: str | None,
        extra_parents: tuple[ObjectID, ...] = (),
    ) -> ObjectID:
        base = head or parent
        root = self._root(base)
        sub = self._subtree(root, contract_id) or Tree()
        name = f"{version}.json".encode()
        new_sub = Tree()
        for entry in sub.items():
            if entry.path != name:
                new_sub.add(entry.path, entry.mode, entry.sha)
        if change.doc is not None:
            blob = Blob.from_string(odcs.dump_json(change.doc).encode("utf-8"))
            self._add(blob)
            new_sub.add(name, FILE_MODE, blob.id)
        new_root = Tree()
        for entry in root.items():
            if entry.path != contract_id.encode():
                new_root.add(entry.path, entry.mode, entry.sha)
        if new_sub.items():
            self._add(new_sub)
            new_root.add(contract_id.encode(), DIR_MODE, new_sub.id)
        self._add(new_root)
        commit = Commit()
        commit.tree = new_root.id
        commit.parents = ([base] if base else []) + list(extra_parents)
        commit.author = person(actor or "system", self.author_domain)
        commit.committer = self.committer
        commit.author_time = commit.commit_time = int(time.time())
        commit.author_timezone = commit.commit_timezone = 0
        commit.encoding = b"UTF-8"
        commit.message = f"{change.subject}\n".encode()
        self._add(commit)
        return commit.id

    def _add(self, obj: Blob | Tree | Commit) -> None:
        """Add an object; another process writing the same object at the same moment is not an error."""
        for _ in range(100):
            try:
                self.repo.object_store.add_object(obj)
                return
            except FileLocked:
                if obj.id in self.repo.object_store:
                    return
                time.sleep(0.001)
        raise StoreUnavailable(f"could not write git object {obj.id.decode()}")

    # ---------------------------------------------------------------- push

    def _after_commit(self, ref: Ref) -> None:
        if self.remote:
            self.push([ref])

    def push(self, refs: list[Ref] | None = None, deleted: list[Ref] | None = None) -> bool:
        """Push to ``remote``; a failure is logged and kept in ``last_push_error``, never raised.

        The commit is already safe locally and the next successful push carries it. Each attempt pushes
        the current heads, so a retry after losing a race with another process pushes both commits.
        """
        specs = list(refs or [self.ref]) + [b":" + r for r in deleted or []]
        error = ""
        for _ in range(PUSH_ATTEMPTS):
            try:
                with open(os.devnull, "wb") as sink:
                    porcelain.push(self.repo, self.remote, specs, outstream=sink, errstream=sink)
            except porcelain.DivergedBranches as exc:
                if self._contains(exc.current_sha, exc.new_sha):
                    break  # another process already pushed a head that contains ours
                error = "the remote branch has commits the portal does not have"
            except Exception as exc:  # noqa: BLE001 - any transport error leaves the local commit in place
                error = redact(f"{type(exc).__name__}: {exc}", self.remote or "")
            else:
                break
        else:
            self.last_push_error = error
            log.warning("push of %s to the configured remote failed: %s", self.branch, error)
            return False
        self.last_push_error = None
        return True

    def _contains(self, newer: bytes, older: bytes) -> bool:
        try:
            return bool(can_fast_forward(self.repo, older, newer))  # type: ignore[arg-type]
        except KeyError:
            return False  # the remote head is a commit this repository has never seen

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
