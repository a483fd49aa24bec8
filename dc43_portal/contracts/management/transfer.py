"""Store-to-store copy and export to files, shared by ``copy_contracts`` and ``export_contracts``.

Both read the stores, not the metadata mirror, never overwrite different content, and report each
version as copied, skipped (already there, identical) or a conflict.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from dc43_portal import odcs, statuses
from dc43_portal.contracts.handler import InvalidContractStoreError, contract_stores
from dc43_portal.errors import ContractConflict, PortalError
from dc43_portal.stores.interface import ContractStore

FORMATS = {"json": odcs.dump_json, "yaml": odcs.dump_yaml}


@dataclass
class TransferReport:
    copied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def add(self, outcome: str, label: str, reason: str = "") -> None:
        if outcome == "conflict":
            self.conflicts.append(f"{label}: {reason}")
        else:
            (self.copied if outcome == "copied" else self.skipped).append(label)


def open_store(alias: str, option: str) -> ContractStore:
    """The store of a configured alias; an unknown or broken alias is a usage error (exit code 2)."""
    if alias not in contract_stores.aliases():
        known = ", ".join(contract_stores.aliases())
        raise CommandError(f"{option} {alias!r}: no such store alias; configured: {known}", returncode=2)
    try:
        return contract_stores[alias]
    except InvalidContractStoreError as exc:
        raise CommandError(f"{option} {alias!r}: {exc}", returncode=2) from exc


def store_versions(store: ContractStore) -> list[tuple[str, str]]:
    """Every (id, version) of a store: ids sorted, versions in SemVer order."""
    return [(cid, version) for cid in store.list_contracts() for version in store.list_versions(cid)]


def status_of(doc: dict[str, Any]) -> str:
    return statuses.import_status(doc.get("status"))[0]


def copy_version(
    source: ContractStore, target: ContractStore, contract_id: str, version: str, *, dry_run: bool, actor: str
) -> tuple[str, str]:
    """Copy one version with its status; returns ``(outcome, reason)``, outcome being copied, skipped or conflict."""
    doc = source.get_document(contract_id, version)
    status = status_of(doc)
    if target.exists(contract_id, version):
        return _compare(target.get_document(contract_id, version), doc, status)
    if dry_run:
        return "copied", ""
    try:
        target.put(odcs.with_status(doc, status), actor=actor, overwrite=False)
    except ContractConflict as exc:  # written by someone else since ``exists``
        return "conflict", str(exc)
    kept = status_of(target.get_document(contract_id, version))
    if kept != status and target.supports_status:
        target.set_status(contract_id, version, status, actor=actor)
    elif kept != status:
        return "conflict", f"copied, but the target keeps no status: it holds it as {statuses.label(kept)}"
    return "copied", ""


def _compare(theirs: dict[str, Any], ours: dict[str, Any], status: str) -> tuple[str, str]:
    if odcs.fingerprint(theirs) != odcs.fingerprint(ours):
        return "conflict", "the target holds different content for this version; not overwritten"
    if status_of(theirs) != status:
        there, here = statuses.label(status_of(theirs)), statuses.label(status)
        return "conflict", f"same content, but {there} in the target and {here} in the source; not changed"
    return "skipped", ""


def export_version(
    source: ContractStore, folder: Path, contract_id: str, version: str, *, fmt: str, wanted: set[str]
) -> tuple[str, str]:
    """Write one version to ``{folder}/{id}/{version}.{fmt}``; ``("filtered", "")`` when its status is not wanted."""
    doc = source.get_document(contract_id, version)
    if wanted and status_of(doc) not in wanted:
        return "filtered", ""
    text = FORMATS[fmt](doc)
    path = folder / contract_id / f"{version}.{fmt}"
    if path.exists():
        try:
            existing = path.read_text(encoding="utf-8")
            if existing == text:
                return "skipped", ""
            same = odcs.fingerprint(odcs.parse_document(existing)) == odcs.fingerprint(doc)
        except (OSError, UnicodeDecodeError, PortalError) as exc:
            return "conflict", f"{path} exists and cannot be read ({exc}); not overwritten"
        if not same:
            return "conflict", f"{path} holds different content; not overwritten"
    # Same content, at most another status: the file follows the store.
    _write_atomically(path, text)
    return "copied", ""


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
