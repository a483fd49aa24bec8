"""The compare page's text diff is computed once per pair of fingerprints, off the request past a short wait."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from dc43_portal.contracts.models import ContractVersion
from dc43_portal.contracts.selectors.textdiff import cache_key
from dc43_portal.contracts.services import contract_publish
from tests.conftest import make_doc

pytestmark = pytest.mark.database


def _url() -> str:
    base = reverse("contracts:compare", args=["sales.orders"])
    return f"{base}?{urlencode({'from': '1.0.0', 'to': '1.1.0', 'tab': 'text'})}"


@pytest.fixture
def pair(db: None, author: Any) -> str:
    contract_publish(document=make_doc(version="1.0.0"), actor=author.username)
    contract_publish(document=make_doc(version="1.1.0", tags=["orders", "eu"]), actor=author.username)
    fingerprints = {v.version: v.fingerprint for v in ContractVersion.objects.all()}
    key = cache_key(fingerprints["1.0.0"], fingerprints["1.1.0"])
    caches["textdiff"].delete(key)
    return key


def test_it_says_it_is_preparing_then_serves_the_cached_diff(pair: str, viewer: Any, settings: Any) -> None:
    settings.DC43_TEXT_DIFF_WAIT = 0  # answer at once, as a request on large documents would
    client = Client()
    client.force_login(viewer)
    html = client.get(_url()).content.decode()
    if "being prepared" in html:
        assert 'hx-trigger="load delay:2s"' in html and ">Reload</a>" in html
    deadline = time.monotonic() + 20
    while caches["textdiff"].get(pair) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert caches["textdiff"].get(pair) is not None
    html = client.get(_url()).content.decode()
    assert "being prepared" not in html and "<ins>- eu</ins>" in html


def test_it_reuses_the_cached_result(pair: str, viewer: Any, settings: Any) -> None:
    settings.DC43_TEXT_DIFF_WAIT = 60  # the first answer computes it, however loaded the machine is
    client = Client()
    client.force_login(viewer)
    client.get(_url())
    deadline = time.monotonic() + 20  # the child process writes the shared cache as it answers
    while (cached := caches["textdiff"].get(pair)) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert cached is not None, "the text diff was never cached"
    next(row for row in cached.rows if row.kind != "gap").new = [(True, "from the cache")]
    caches["textdiff"].set(pair, cached)
    assert "<ins>from the cache</ins>" in client.get(_url()).content.decode()


def test_small_documents_are_diffed_in_the_request(pair: str, viewer: Any, settings: Any) -> None:
    settings.DC43_TEXT_DIFF_WAIT = 0  # no wait at all: small documents need no child process
    client = Client()
    client.force_login(viewer)
    html = client.get(_url()).content.decode()
    assert "being prepared" not in html and "<ins>- eu</ins>" in html
    assert caches["textdiff"].get(pair) is not None


def test_large_documents_go_to_the_child_process(db: None, author: Any, viewer: Any, settings: Any) -> None:
    settings.DC43_TEXT_DIFF_WAIT = 0
    long_text = "A purpose stewards wrote at length. " * 2000  # about 72 KB, past INLINE_BYTES
    contract_publish(document=make_doc(version="1.0.0", description={"purpose": long_text}), actor=author.username)
    changed = {"purpose": long_text + "Reviewed."}
    contract_publish(document=make_doc(version="1.1.0", description=changed), actor=author.username)
    fingerprints = {v.version: v.fingerprint for v in ContractVersion.objects.all()}
    key = cache_key(fingerprints["1.0.0"], fingerprints["1.1.0"])
    caches["textdiff"].delete(key)  # an earlier run's
    client = Client()
    client.force_login(viewer)
    html = client.get(_url()).content.decode()
    assert "being prepared" in html and 'hx-trigger="load delay:2s"' in html and ">Reload</a>" in html
    deadline = time.monotonic() + 60  # the niced child process computes it and fills the shared cache
    while caches["textdiff"].get(key) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert caches["textdiff"].get(key) is not None, "the child process never answered"
    page = client.get(_url()).content.decode()
    assert "being prepared" not in page and "Reviewed." in page
