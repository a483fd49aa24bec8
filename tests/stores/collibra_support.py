"""The Collibra emulator for tests: one server thread per session, emptied before every test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from dc43_portal.stores.collibra.emulator import CollibraEmulator
from dc43_portal.stores.collibra.store import CollibraContractStore

TOKEN = "test-token"


class PortPerContract(Mapping[str, str]):
    """A Data Product Port per contract id: Collibra links one contract to a port."""

    def __getitem__(self, contract_id: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"port:{contract_id}"))

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def make_store(emulator: CollibraEmulator, **options: Any) -> CollibraContractStore:
    settings: dict[str, Any] = {
        "base_url": emulator.url,
        "username": "admin",
        "password": "admin",
        "timeout": 5.0,
        "retries": 2,
        "backoff": 0.0,
        "governed_asset_ids": PortPerContract(),
    }
    return CollibraContractStore(**{**settings, **options})


@pytest.fixture(scope="session")
def collibra_server() -> Iterator[CollibraEmulator]:
    with CollibraEmulator(tokens={TOKEN}) as emulator:
        yield emulator


@pytest.fixture
def collibra(collibra_server: CollibraEmulator) -> Iterator[CollibraEmulator]:
    collibra_server.reset()
    yield collibra_server
    collibra_server.reset()


@pytest.fixture
def collibra_store(collibra: CollibraEmulator) -> Iterator[CollibraContractStore]:
    store = make_store(collibra)
    yield store
    store.close()
