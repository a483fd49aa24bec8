"""Proof with dc43's own ``RemoteContractServiceClient`` (dc43-service-clients 0.42) against a live portal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from dc43_service_clients.contracts.client.remote import RemoteContractServiceClient
from open_data_contract_standard.model import OpenDataContractStandard

from dc43_portal.contracts.models import LifecycleEvent
from tests import corpus
from tests.api.conftest import TokenFactory

# Written out of order on purpose: 1.10.0 must sort above 1.9.0.
VERSIONS = ["1.0.0", "1.10.0", "1.9.0"]


def without_status(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "status"}


@pytest.fixture
def dc43_mode(settings: Any) -> None:
    # dc43's contracts break the strict ODCS schema (apiVersion "3.0.2", server type "filesystem"...).
    settings.DC43_VALIDATION = "dc43"


@pytest.fixture
def token(transactional_db: None, author: Any, make_token: TokenFactory) -> str:
    return make_token(author, "read,write")


@pytest.fixture
def client(live_server: Any, token: str) -> Iterator[Any]:
    remote = RemoteContractServiceClient(base_url=f"{live_server.url}/api/v1", token=token)
    yield remote
    remote.close()


@pytest.mark.parametrize("contract", corpus.DC43_CONTRACTS)
def test_the_dc43_client_puts_lists_gets_and_fetches_latest(
    dc43_mode: None, client: Any, live_server: Any, token: str, contract: Path
) -> None:
    base = json.loads(contract.read_text("utf-8"))
    cid = base["id"]
    sent: dict[str, dict[str, Any]] = {}
    for version in VERSIONS:
        model = OpenDataContractStandard.model_validate({**base, "version": version})
        sent[version] = model.model_dump(by_alias=True, exclude_none=True, mode="json")
        client.put(model)

    assert client.list_versions(cid) == ["1.0.0", "1.9.0", "1.10.0"]
    assert client.list_contracts()["items"] == [cid]
    for version in VERSIONS:
        got = client.get(cid, version)
        assert without_status(got.model_dump(by_alias=True, exclude_none=True, mode="json")) == without_status(
            sent[version]
        )
        assert got.status == "draft"  # a PUT always stores a Draft; the portal owns status
        raw = httpx.get(
            f"{live_server.url}/api/v1/contracts/{cid}/versions/{version}",
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        assert without_status(raw) == without_status(sent[version])  # the JSON itself, not only the model
    latest = client.latest(cid)
    assert latest is not None and latest.version == "1.10.0"
    assert client.latest("nobody") is None
    with pytest.raises(httpx.HTTPStatusError) as missing:
        client.get(cid, "2.0.0")
    assert missing.value.response.status_code == 404
    assert missing.value.response.json()["error"] == "not_found"
    assert set(LifecycleEvent.objects.values_list("actor", "source")) == {("alice", "api")}


@pytest.mark.parametrize("contract", corpus.DC43_CONTRACTS)
def test_a_write_without_a_token_is_refused(
    dc43_mode: None, live_server: Any, transactional_db: None, contract: Path
) -> None:
    anonymous = RemoteContractServiceClient(base_url=f"{live_server.url}/api/v1")
    model = OpenDataContractStandard.model_validate(json.loads(contract.read_text("utf-8")))
    with pytest.raises(httpx.HTTPStatusError) as refused:
        anonymous.put(model)
    anonymous.close()
    assert refused.value.response.status_code == 401
    assert refused.value.response.json()["error"] == "not_authenticated"
    assert LifecycleEvent.objects.count() == 0
