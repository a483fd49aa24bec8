"""A real OpenID provider for the tests: PyPI's ``oidc-provider-mock`` as its own process on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.conf import LazySettings

from dc43_portal.accounts import oidc

GROUP_ROLES = {
    "sales-authors": "author:sales",
    "sales-stewards": "steward:sales",
    "finance-stewards": ["steward:finance"],
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Provider:
    def __init__(self, url: str) -> None:
        self.url = url

    def add_user(self, sub: str, groups: list[str], **claims: Any) -> None:
        """The provider's own API for predefined users: their claims, the groups claim among them."""
        body = {"email": f"{sub}@example.com", "preferred_username": sub, "groups": groups, **claims}
        httpx.put(f"{self.url}/users/{sub}", json=body, timeout=10).raise_for_status()


@pytest.fixture(scope="session")
def provider_process() -> Iterator[Provider]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), "--host", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{url}/.well-known/openid-configuration", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("oidc-provider-mock did not start")
        yield Provider(url)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def provider(db: None, provider_process: Provider, settings: LazySettings) -> Iterator[Provider]:
    settings.DC43_OIDC_ISSUER = provider_process.url
    settings.OIDC_RP_CLIENT_ID = "dc43-portal"
    settings.OIDC_RP_CLIENT_SECRET = "portal-secret"
    settings.DC43_OIDC_NAME = "Example SSO"
    settings.DC43_OIDC_GROUP_ROLES = GROUP_ROLES
    oidc._discovery.clear()
    yield provider_process
    oidc._discovery.clear()
