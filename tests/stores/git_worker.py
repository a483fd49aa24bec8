"""Writers for the Git store's multi-process test, importable by a spawned child (no Django here)."""

from __future__ import annotations

from typing import Any

from dc43_portal.stores.git.store import GitContractStore


def doc(version: str) -> dict[str, Any]:
    return {"apiVersion": "v3.1.0", "kind": "DataContract", "id": "sales.orders", "version": version, "status": "draft"}


def write_versions(path: str, versions: list[str], actor: str, barrier: Any) -> None:
    """Wait for the other process, then put each version as its own commit."""
    store = GitContractStore(path)
    store.list_versions("sales.orders")  # open the repository before the race starts
    barrier.wait()
    for version in versions:
        store.put(doc(version), actor=actor)
