"""Small pieces of the Git stores: commit text and identities, tree edits, and pushing (dulwich only)."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from dulwich import porcelain
from dulwich.graph import can_fast_forward
from dulwich.objects import Blob, Commit, ObjectID, Tree
from dulwich.refs import Ref, check_ref_format
from dulwich.repo import Repo

from dc43_portal import statuses

PUSH_ATTEMPTS = 3
# Characters git refuses in a branch name (plus "@" for "@{" and "%" for the escape itself).
REF_UNSAFE = set(" ~^:?*[\\@%\x7f")


@dataclass(frozen=True)
class Change:
    """What one commit does to one file: the new document (``None`` deletes it) and the subject line."""

    doc: dict[str, Any] | None
    subject: str


def status_label(doc: dict[str, Any]) -> str:
    value = doc.get("status")
    return statuses.label(statuses.parse_status(value) or str(value or statuses.DRAFT))


def clean_name(actor: str | None) -> str:
    """The actor as one line without the characters git forbids in an identity."""
    return " ".join("".join(c for c in actor or "" if c not in "<>\x00").split()) or "system"


def person(name: str, domain: str) -> bytes:
    """``Name <name@domain>`` for a commit author."""
    clean = clean_name(name)
    local = "".join(c if c.isalnum() or c in "._-" else "-" for c in clean.lower()).strip(".-") or "user"
    return f"{clean} <{local}@{domain}>".encode()


def redact(message: str, url: str) -> str:
    """Hide the credentials a remote URL may carry (``https://user:token@host/...``)."""
    parsed = urlsplit(url)
    if parsed.password:
        message = message.replace(parsed.password, "***")
    return message


def replace_entry(tree: Tree, name: str, mode: int, obj: Blob | Tree | None) -> Tree:
    """A copy of ``tree`` with ``name`` pointing at ``obj``, or without it when ``obj`` is ``None``."""
    key = name.encode()
    new = Tree()
    for entry in tree.items():
        if entry.path != key:
            new.add(entry.path, entry.mode, entry.sha)
    if obj is not None:
        new.add(key, mode, obj.id)
    return new


def new_commit(tree: Tree, parents: list[ObjectID], subject: str) -> Commit:
    commit = Commit()
    commit.tree = tree.id
    commit.parents = parents
    commit.author_time = commit.commit_time = int(time.time())
    commit.author_timezone = commit.commit_timezone = 0
    commit.encoding = b"UTF-8"
    commit.message = f"{subject}\n".encode()
    return commit


def branch_segment(contract_id: str) -> str:
    """A contract id as one branch-name segment: unsafe characters %-escaped, Unicode kept."""
    text = "".join("".join(f"%{b:02X}" for b in c.encode()) if c in REF_UNSAFE or c < " " else c for c in contract_id)
    if not check_ref_format(Ref(f"heads/{text}/1.0.0".encode())):
        text = text.replace(".", "%2E")  # "..", a trailing "." or ".lock": escape every dot
    return text


def contract_of_segment(segment: str) -> str:
    return unquote(segment)


def write_object(objects_dir: str, obj: Blob | Tree | Commit, *, fsync: bool = True) -> None:
    """Store a loose object as git does: a private temp file, then a hard link (create-if-absent).

    dulwich's ``add_object`` writes through ``GitFile``, whose lock race (see ``swap_ref``) could let a
    third writer's half-written lock file become the object.
    """
    hexsha = obj.id.decode()
    folder = os.path.join(objects_dir, hexsha[:2])
    path = os.path.join(folder, hexsha[2:])
    if os.path.exists(path):
        return
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="tmp_obj_", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(obj.as_legacy_object())
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o444)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)  # another writer stored the same bytes first
    finally:
        os.unlink(tmp)


def read_ref(controldir: str, ref: Ref) -> ObjectID | None:
    """A branch head read fresh from disk: the loose ref, else ``packed-refs`` (dulwich caches that one)."""
    base = os.fsencode(controldir)
    try:
        with open(os.path.join(base, ref), "rb") as handle:
            return ObjectID(handle.read().strip()) or None
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        pass
    for name, sha in packed_refs(base):
        if name == ref:
            return sha
    return None


def packed_refs(base: bytes) -> list[tuple[bytes, ObjectID]]:
    try:
        with open(os.path.join(base, b"packed-refs"), "rb") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        return []
    pairs = (line.partition(b" ") for line in lines if line and not line.startswith((b"#", b"^")))
    return [(name, ObjectID(sha)) for sha, _, name in pairs]


def swap_ref(controldir: str, ref: Ref, old: ObjectID | None, new: ObjectID) -> bool:
    """Compare-and-swap a branch as git does: create ``<ref>.lock`` exclusively, re-read, rename over.

    Not dulwich's ``set_if_equals``: its ``GitFile.close`` removes the lock path *after* the rename,
    which can delete another process's fresh lock and let two writers in (dulwich 0.25.2).
    """
    path = os.path.join(os.fsencode(controldir), ref)
    lock = path + b".lock"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    renamed = False
    try:
        if read_ref(controldir, ref) != old:
            return False
        os.write(fd, new + b"\n")
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(lock, path)  # from here on the lock path is not ours: never remove it
        renamed = True
        return True
    finally:
        if fd >= 0:
            os.close(fd)
        if not renamed:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(lock)


def push_refs(repo: Repo, remote: str, refs: list[Ref], deleted: list[Ref]) -> str | None:
    """Push ``refs`` (and delete ``deleted``) on ``remote``; ``None`` on success, else why it failed.

    Each attempt pushes the current heads, so a retry after losing a race with another process
    pushes both processes' commits.
    """
    specs: list[bytes] = [bytes(r) for r in refs] + [b":" + r for r in deleted]
    error = "no attempt"
    for _ in range(PUSH_ATTEMPTS):
        try:
            with open(os.devnull, "wb") as sink:
                porcelain.push(repo, remote, specs, outstream=sink, errstream=sink)
        except porcelain.DivergedBranches as exc:
            if _contains(repo, exc.current_sha, exc.new_sha):
                return None  # another process already pushed a head that contains ours
            error = "the remote branch has commits the portal does not have"
        except Exception as exc:  # noqa: BLE001 - any transport error leaves the local commit in place
            error = redact(f"{type(exc).__name__}: {exc}", remote)
        else:
            return None
    return error


def _contains(repo: Repo, newer: bytes, older: bytes) -> bool:
    try:
        return bool(can_fast_forward(repo, older, newer))  # type: ignore[arg-type]
    except KeyError:
        return False  # the remote head is a commit this repository has never seen
