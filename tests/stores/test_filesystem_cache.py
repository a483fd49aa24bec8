"""The filesystem store's listing and model caches never serve a stale answer, even to another process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dc43_portal.stores.filesystem import FSContractStore
from dc43_portal.stores.statcache import RACY_NS

ROOT = Path(__file__).resolve().parents[2]
ID = "sales.orders"


def doc(version: str, status: str = "draft") -> dict[str, object]:
    return {"apiVersion": "v3.0.2", "kind": "DataContract", "id": ID, "version": version, "status": status}


def age(path: Path) -> None:
    """Backdate ``path`` past the racy window, as if it had been written a minute ago."""
    old = time.time_ns() - 60 * 1_000_000_000
    os.utime(path, ns=(old, old))


def other_process(base: Path, code: str) -> None:
    """Run ``code`` with ``store`` bound to a fresh FSContractStore in a second Python process."""
    script = (
        f"from dc43_portal.stores.filesystem import FSContractStore\nstore = FSContractStore({str(base)!r})\n{code}"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture
def store(tmp_path: Path) -> FSContractStore:
    store = FSContractStore(tmp_path)
    store.put(doc("1.0.0"))
    store.put(doc("1.1.0"))
    age(tmp_path / ID)
    for name in ("1.0.0.json", "1.1.0.json"):
        age(tmp_path / ID / name)
    return store


def test_it_sees_a_version_written_by_another_process(store: FSContractStore, tmp_path: Path) -> None:
    assert store.list_versions(ID) == ["1.0.0", "1.1.0"]
    assert store.list_versions(ID) == ["1.0.0", "1.1.0"]  # served from the cache now
    other_process(tmp_path, f"store.put({doc('2.0.0')!r})")
    assert store.list_versions(ID) == ["1.0.0", "1.1.0", "2.0.0"]
    assert store.latest(ID).version == "2.0.0"  # type: ignore[union-attr]


def test_it_sees_a_delete_by_another_process(store: FSContractStore, tmp_path: Path) -> None:
    assert store.latest(ID).version == "1.1.0"  # type: ignore[union-attr]
    other_process(tmp_path, f"store.delete({ID!r}, '1.1.0')")
    assert store.list_versions(ID) == ["1.0.0"]
    assert store.latest(ID).version == "1.0.0"  # type: ignore[union-attr]


def test_it_sees_a_status_changed_by_another_process(store: FSContractStore, tmp_path: Path) -> None:
    assert store.get(ID, "1.0.0").status == "draft"
    other_process(tmp_path, f"store.set_status({ID!r}, '1.0.0', 'active')")
    assert store.get(ID, "1.0.0").status == "active"


def test_it_never_caches_a_folder_changed_within_the_racy_window(tmp_path: Path) -> None:
    store = FSContractStore(tmp_path)
    store.put(doc("1.0.0"))
    folder = tmp_path / ID
    stamp = folder.stat().st_mtime_ns
    assert time.time_ns() - stamp < RACY_NS
    assert store.list_versions(ID) == ["1.0.0"]
    # A write that a coarse clock stamps with the same mtime (and same inode and size) is still seen.
    (folder / "1.1.0.json").write_text(json.dumps(doc("1.1.0")), encoding="utf-8")
    os.utime(folder, ns=(stamp, stamp))
    assert store.list_versions(ID) == ["1.0.0", "1.1.0"]


def test_its_own_writes_are_seen_at_once(store: FSContractStore) -> None:
    assert store.list_versions(ID) == ["1.0.0", "1.1.0"]
    store.put(doc("1.2.0"))
    assert store.list_versions(ID) == ["1.0.0", "1.1.0", "1.2.0"]
    store.set_status(ID, "1.2.0", "proposed")
    assert store.get(ID, "1.2.0").status == "proposed"


def test_a_returned_model_is_a_copy(store: FSContractStore) -> None:
    first = store.get(ID, "1.0.0")
    first.version = "9.9.9"
    first.status = "active"
    again = store.get(ID, "1.0.0")
    assert (again.version, again.status) == ("1.0.0", "draft")


def test_it_caches_nothing_when_told_not_to(tmp_path: Path) -> None:
    store = FSContractStore(tmp_path, cache_bytes=0)
    store.put(doc("1.0.0"))
    age(tmp_path / ID / "1.0.0.json")
    assert store.get(ID, "1.0.0").version == "1.0.0"
    assert store._models.get(str(tmp_path / ID / "1.0.0.json"), (0, 0, 0)) is None
