"""The HTTP store also works in front of dc43's own FastAPI contract service (uvicorn on 127.0.0.1)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from dc43_service_backends.web import build_local_app

from dc43_portal import odcs
from dc43_portal.errors import ContractNotFound, InvalidContract
from dc43_portal.stores.http import HTTPContractStore
from tests import corpus
from tests.conftest import make_doc


@pytest.fixture(scope="module")
def dc43_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app = build_local_app(str(tmp_path_factory.mktemp("dc43-contracts")))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "dc43's backend did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def store(dc43_url: str) -> Iterator[HTTPContractStore]:
    # dc43 stores what its pydantic model keeps, so the store does not promise losslessness there.
    remote = HTTPContractStore(dc43_url, lossless=False, timeout=5)
    yield remote
    remote.close()


@pytest.mark.parametrize("contract", corpus.DC43_CONTRACTS)
def test_put_list_get_and_latest(store: HTTPContractStore, contract: Path) -> None:
    doc = json.loads(contract.read_text("utf-8"))
    for version in ["1.0.0", "1.10.0", "1.9.0"]:
        store.put({**doc, "version": version})
    assert doc["id"] in store.list_contracts()
    # dc43 lists versions in file order; the store sorts them by SemVer itself.
    assert store.list_versions(doc["id"]) == ["1.0.0", "1.9.0", "1.10.0"]
    got = store.get_document(doc["id"], "1.9.0")
    assert got == odcs.as_document(odcs.to_model({**doc, "version": "1.9.0"}))
    latest = store.latest(doc["id"])
    assert latest is not None and latest.version == "1.10.0"


def test_unknown_versions_and_contracts(store: HTTPContractStore) -> None:
    store.put(make_doc("dc43.unknowns"))
    assert store.list_versions("dc43.nobody") == []
    with pytest.raises(ContractNotFound):
        store.get_document("dc43.unknowns", "9.9.9")


def test_hostile_ids_never_reach_dc43(store: HTTPContractStore, tmp_path: Path) -> None:
    # The store checks ids locally first, so a hostile id never reaches the remote.
    with pytest.raises(InvalidContract):
        store.put(make_doc("../escape"))
    assert not (tmp_path.parent / "escape").exists()
