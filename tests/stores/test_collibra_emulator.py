"""The emulator speaks the documented protocol: run as a command, state in a folder, errors as Collibra's."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from dc43_portal.stores.collibra.emulator import CollibraEmulator
from tests.conftest import make_doc
from tests.stores.collibra_support import make_store

API = "/rest/dataProduct/v1"
PORT_UUID = "0d3c8a5e-7b7e-4b0e-9d51-2f0b1f6c9a10"


def start(state: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "dc43_portal.stores.collibra.emulator", "--port", "0", "--state", str(state)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # "Collibra emulator listening on http://127.0.0.1:N/rest/dataProduct/v1"
    return process, line.split(" on ", 1)[1].strip().removesuffix(API)


@pytest.fixture
def emulator_process(tmp_path: Path) -> Iterator[tuple[Path, list[subprocess.Popen[str]]]]:
    started: list[subprocess.Popen[str]] = []
    yield tmp_path / "collibra", started
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def test_it_runs_as_a_command_and_keeps_its_state(
    emulator_process: tuple[Path, list[subprocess.Popen[str]]], collibra: CollibraEmulator
) -> None:
    state, started = emulator_process
    process, url = start(state)
    started.append(process)
    store = make_store(collibra, base_url=url)
    store.put(make_doc(status="active"))
    store.close()
    process.terminate()
    process.wait(timeout=10)
    process, url = start(state)
    started.append(process)
    store = make_store(collibra, base_url=url)
    assert store.get_document("sales.orders", "1.0.0")["status"] == "active"
    # Faults can be injected over HTTP too.
    httpx.post(f"{url}/_emulator/faults", json={"status": 401, "count": 1}).raise_for_status()
    assert httpx.get(f"{url}{API}/dataContracts", auth=("admin", "admin")).status_code == 401
    store.close()


def test_it_answers_errors_as_collibra_does(collibra: CollibraEmulator) -> None:
    client = httpx.Client(base_url=collibra.url + API, auth=("admin", "admin"))
    anonymous = httpx.get(collibra.url + API + "/dataContracts")
    assert anonymous.status_code == 401
    assert set(anonymous.json()) == {"statusCode", "userMessage", "errorCode"}
    assert client.get("/dataContracts", params={"cursor": "not-a-cursor"}).json()["errorCode"] == "INVALID_CURSOR"
    assert client.get("/dataContracts", params={"limit": "0"}).json()["errorCode"] == "INVALID_LIMIT"
    not_multipart = client.post("/dataContracts", json={"governedAssetId": PORT_UUID})
    assert (not_multipart.status_code, not_multipart.json()["errorCode"]) == (415, "UNSUPPORTED_MEDIA_TYPE")
    missing = client.get("/dataContracts/1a1b1c1d-0000-4000-8000-000000000000/versions")
    assert missing.json() == {
        "statusCode": 404,
        "userMessage": "Data contract 1a1b1c1d-0000-4000-8000-000000000000 does not exist.",
        "errorCode": "DATA_CONTRACT_NOT_FOUND",
    }
    client.close()


def test_it_initialises_a_contract_without_a_manifest_and_pages_with_totals(collibra: CollibraEmulator) -> None:
    client = httpx.Client(base_url=collibra.url + API, auth=("admin", "admin"))
    # A multipart form without a manifest part: Collibra generates a template.
    created = client.post("/dataContracts", files={"governedAssetId": (None, PORT_UUID), "name": (None, "Orders")})
    assert created.status_code == 201
    contract = created.json()
    assert contract["activeVersion"] == "0.0.1" and contract["name"] == "Orders"
    manifest = client.get(f"/dataContracts/{contract['id']}/activeVersion/manifest").text
    assert "kind: DataContract" in manifest
    listed = client.get("/dataContracts", params={"includeTotal": "true", "limit": "1"}).json()
    assert (listed["total"], listed["limit"], listed["nextCursor"]) == (1, 1, None)
    client.close()
