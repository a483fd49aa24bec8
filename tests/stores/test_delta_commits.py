"""Commit races on the Delta store: real concurrent commits, retried a bounded number of times."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from dc43_portal.errors import ContractConflict
from dc43_portal.stores.delta.store import DeltaCommitConflict, DeltaContractStore
from tests.conftest import make_doc


def _interfering(store: DeltaContractStore, other: DeltaContractStore, times: int) -> list[str]:
    """Let ``other`` rewrite the same row (1.0.0) between ``store``'s snapshot and its MERGE commit."""
    written: list[str] = []

    def commit_first() -> None:
        if len(written) < times:
            written.append(f"rival {len(written)}")
            other.put(make_doc(version="1.0.0", name=written[-1]), actor="rival")

    store._engine.before_commit = commit_first
    return written


def test_a_writer_on_another_row_is_not_a_conflict(tmp_path: Path) -> None:
    uri = str(tmp_path / "t.delta")
    store, rival = DeltaContractStore(uri), DeltaContractStore(uri)
    store.put(make_doc(version="1.0.0"))
    store._engine.before_commit = lambda: rival.put(make_doc(version="3.0.0"), actor="rival")
    store.put(make_doc(version="2.0.0"), actor="alice")  # delta-rs rebases: the rows do not overlap
    assert store.list_versions("sales.orders") == ["1.0.0", "2.0.0", "3.0.0"]


def test_it_retries_after_a_conflicting_commit(tmp_path: Path) -> None:
    uri = str(tmp_path / "t.delta")
    store, rival = DeltaContractStore(uri), DeltaContractStore(uri)
    store.put(make_doc(version="1.0.0"))
    rivals = _interfering(store, rival, times=2)
    store.put(make_doc(version="1.0.0", name="Mine"), actor="alice")
    assert rivals == ["rival 0", "rival 1"]  # two lost races, then the third attempt committed
    assert store.get_document("sales.orders", "1.0.0")["name"] == "Mine"
    assert [(e.who, e.ref) for e in store.history("sales.orders")][-3:] == [
        ("rival", "2"),
        ("rival", "3"),
        ("alice", "4"),
    ]


def test_an_insert_that_loses_the_race_sees_the_winner(tmp_path: Path) -> None:
    uri = str(tmp_path / "t.delta")
    store, rival = DeltaContractStore(uri), DeltaContractStore(uri)
    store.put(make_doc(version="0.1.0"))
    store._engine.before_commit = lambda: rival.put(make_doc(version="1.0.0", name="Theirs"))
    with pytest.raises(ContractConflict):
        store.put(make_doc(version="1.0.0", name="Mine"), overwrite=False)
    assert store.get_document("sales.orders", "1.0.0")["name"] == "Theirs"


def test_it_gives_up_clearly_after_the_bounded_attempts(tmp_path: Path) -> None:
    uri = str(tmp_path / "t.delta")
    store, rival = DeltaContractStore(uri, max_commit_attempts=3), DeltaContractStore(uri)
    store.put(make_doc(version="1.0.0"))
    rivals = _interfering(store, rival, times=100)
    with pytest.raises(DeltaCommitConflict, match="won the commit 3 times in a row"):
        store.put(make_doc(version="1.0.0", name="Mine"))
    assert len(rivals) == 3
    assert store.get_document("sales.orders", "1.0.0")["name"] == "rival 2"


def test_concurrent_writers_in_threads_lose_nothing(tmp_path: Path) -> None:
    uri = str(tmp_path / "t.delta")
    DeltaContractStore(uri).put(make_doc(version="0.1.0"))  # the table exists before the race
    writers = [DeltaContractStore(uri, max_commit_attempts=30) for _ in range(3)]
    barrier = threading.Barrier(len(writers))
    errors: list[BaseException] = []

    def write(index: int, store: DeltaContractStore) -> None:
        barrier.wait()
        try:
            for minor in range(4):
                store.put(make_doc(f"team-{index}", version=f"1.{minor}.0"), actor=f"w{index}")
        except BaseException as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i, s)) for i, s in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    reader = DeltaContractStore(uri)
    assert reader.list_contracts() == ["sales.orders", "team-0", "team-1", "team-2"]
    for index in range(3):
        assert reader.list_versions(f"team-{index}") == ["1.0.0", "1.1.0", "1.2.0", "1.3.0"]
