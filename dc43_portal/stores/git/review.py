"""Review by pull request: each Draft or In-review version lives on its own branch; Validated means merged.

The main branch holds Validated and Deprecated versions. ``drafts/{id}/{version}`` holds one version
under review, forked from main: publishing, replacing, submitting and rejecting are commits there.
Approving (status ``active``) is a merge commit on main whose second parent is the draft branch, which
is then deleted, on the remote too. A forge (GitHub, GitLab...) therefore shows each draft as a branch
to open a pull request from, and the pull request as merged once a steward approves in the portal.
"""

from __future__ import annotations

import os
from typing import Any

from dulwich.refs import Ref, check_ref_format

from dc43_portal import statuses
from dc43_portal.errors import ContractNotFound, StoreUnavailable
from dc43_portal.ids import check_contract_id
from dc43_portal.stores.git.store import Decide, GitContractStore
from dc43_portal.stores.git.support import Change, branch_segment, contract_of_segment, packed_refs
from dc43_portal.stores.interface import check_identity
from dc43_portal.versioning import is_version

IN_REVIEW = frozenset({statuses.DRAFT, statuses.PROPOSED})


class GitReviewContractStore(GitContractStore):
    """``GitContractStore`` plus ``draft_prefix`` (default ``drafts/``), the folder of the draft branches."""

    def __init__(self, *args: Any, draft_prefix: str = "drafts/", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not draft_prefix.endswith("/") or not check_ref_format(Ref(f"heads/{draft_prefix}x".encode())):
            raise ValueError(f"draft_prefix {draft_prefix!r} must be a valid branch folder ending in '/'")
        self.draft_prefix = draft_prefix

    def draft_ref(self, contract_id: str, version: str) -> Ref:
        return Ref(f"refs/heads/{self.draft_prefix}{branch_segment(contract_id)}/{version}".encode())

    # ---------------------------------------------------------------- where versions live

    def _drafts(self, contract_id: str | None = None) -> dict[str, set[str]]:
        """Contract id -> versions that have a draft branch (loose refs and ``packed-refs``)."""
        base = os.fsencode(self.repo.controldir())
        prefix = f"refs/heads/{self.draft_prefix}".encode()
        segment = branch_segment(contract_id).encode() + b"/" if contract_id else b""
        names = [n[len(prefix) :] for n, _ in packed_refs(base) if n.startswith(prefix + segment)]
        folder = os.path.join(base, prefix)
        for seg in [segment.rstrip(b"/")] if segment else _listdir(folder):
            names += [seg + b"/" + v for v in _listdir(os.path.join(folder, seg)) if not v.endswith(b".lock")]
        found: dict[str, set[str]] = {}
        for name in names:
            text, _, version = name.decode("utf-8", "replace").partition("/")
            cid = contract_of_segment(text)
            if is_version(version) and _is_id(cid):
                found.setdefault(cid, set()).add(version)
        return found

    def _on_main(self, contract_id: str, version: str) -> bool:
        return version in self._files(self._subtree(self._root(self._head()), contract_id))

    # ---------------------------------------------------------------- reads

    def get_document(self, contract_id: str, version: str) -> dict[str, Any]:
        check_identity(contract_id, version)
        doc = self._read(self._head(), contract_id, version)
        if doc is None:
            doc = self._read(self._head(self.draft_ref(contract_id, version)), contract_id, version)
        if doc is None:
            raise ContractNotFound(f"contract {contract_id} {version} not found")
        return doc

    def list_contracts(self) -> list[str]:
        return sorted(set(super().list_contracts()) | set(self._drafts()))

    def list_versions(self, contract_id: str) -> list[str]:
        on_main = super().list_versions(contract_id)
        return self._sorted(list(set(on_main) | self._drafts(contract_id).get(contract_id, set())))

    def _history_heads(self, contract_id: str) -> list[Any]:
        drafts = self._drafts(contract_id).get(contract_id, set())
        heads = [self._head()] + [self._head(self.draft_ref(contract_id, v)) for v in drafts]
        return [h for h in heads if h]

    # ---------------------------------------------------------------- writes

    def _route_put(self, contract_id: str, version: str, doc: dict[str, Any]) -> tuple[Ref, Ref | None]:
        branch = self.draft_ref(contract_id, version)
        if self._on_main(contract_id, version):
            return self.ref, None
        if statuses.parse_status(doc.get("status")) in IN_REVIEW:
            return branch, None
        # A Validated or Deprecated document (an import keeping statuses) lands on main, merging any draft.
        return self.ref, branch if self._head(branch) else None

    def _fork_base(self, ref: Ref, head: Any) -> Any:
        return head if head or ref == self.ref else self._head()

    def set_status(self, contract_id: str, version: str, status: str, *, actor: str | None = None) -> None:
        check_identity(contract_id, version)
        branch = self.draft_ref(contract_id, version)
        if self._on_main(contract_id, version) or self._head(branch) is None:
            super().set_status(contract_id, version, status, actor=actor)
            return
        decide = self._status_change(contract_id, version, status, actor)
        if status in IN_REVIEW:
            self._write(branch, contract_id, version, decide, actor)
        else:
            self._write(self.ref, contract_id, version, _merging(decide, branch), actor, source=branch)

    def delete(self, contract_id: str, version: str, *, actor: str | None = None) -> None:
        """A draft is deleted with its branch (no commit: the portal's audit keeps the event)."""
        check_identity(contract_id, version)
        branch = self.draft_ref(contract_id, version)
        head = self._head(branch)
        if head is None or self._on_main(contract_id, version):
            super().delete(contract_id, version, actor=actor)
            return
        with self._write_lock:
            if not self._drop(branch, head):
                raise StoreUnavailable(f"{branch.decode()} changed while it was being deleted; try again")
        if self.remote:
            self.push([], [branch])


def _merging(decide: Decide, branch: Ref) -> Decide:
    name = branch[len(b"refs/heads/") :].decode()

    def merge(current: dict[str, Any] | None) -> Change | None:
        change = decide(current)
        return Change(change.doc, f"merge {name}: {change.subject}") if change else None

    return merge


def _listdir(folder: bytes) -> list[bytes]:
    try:
        return os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []


def _is_id(value: str) -> bool:
    try:
        check_contract_id(value)
    except ValueError:
        return False
    return True
