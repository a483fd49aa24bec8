"""Targets that are not http(s), malformed, or resolve to loopback/private/link-local/metadata addresses are
refused with a clear message and nothing written, unless DC43_WEBHOOK_ALLOW_PRIVATE."""

from __future__ import annotations

from typing import Any

import pytest

from dc43_portal.events import subscriptions
from dc43_portal.events.models import Subscription
from dc43_portal.events.ssrf import forbidden

pytestmark = pytest.mark.database


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1:8000/x", "loopback"),
        ("http://localhost/x", "loopback"),
        ("http://10.1.2.3/x", "private"),
        ("http://192.168.0.1/x", "private"),
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://[::1]/x", "loopback"),
        ("http://[::ffff:127.0.0.1]/x", "loopback"),
        ("http://0.0.0.0/x", "unspecified"),
        ("http://100.100.100.200/x", "metadata"),
        ("ftp://hooks.example.com/x", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("javascript:alert(1)", "only http and https"),
        ("http://", "no host"),
        ("http://user:pw@93.184.216.34/x", "credentials"),
        ("http://[::1/x", "not a valid URL"),
        ("https://hooks example.com/", "without spaces"),
        ("", "give the URL"),
    ],
)
def test_it_refuses_a_target(url: str, why: str, steward: Any, settings: Any) -> None:
    settings.DC43_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(subscriptions.InvalidWebhook, match=why):
        subscriptions.webhook_create(user=steward, url=url)
    assert Subscription.objects.count() == 0


def test_it_allows_private_targets_when_told(steward: Any, settings: Any) -> None:
    settings.DC43_WEBHOOK_ALLOW_PRIVATE = True
    sub, _ = subscriptions.webhook_create(user=steward, url="http://127.0.0.1:9/x")
    assert sub.pk


def test_it_names_public_addresses_allowed() -> None:
    assert forbidden("93.184.216.34") is None
    assert forbidden("2606:2800:220:1::") is None
    assert forbidden("172.16.0.1") == "a private address"


@pytest.mark.parametrize("types", ["io.dc43.contract.version.approved", ["nope"], [1], {"a": 1}])
def test_it_refuses_unknown_types(types: Any, steward: Any) -> None:
    with pytest.raises(subscriptions.InvalidWebhook, match="types"):
        subscriptions.webhook_create(user=steward, url="http://127.0.0.1:9/x", types=types)
    assert Subscription.objects.count() == 0


def test_it_lets_only_stewards_manage_webhooks(author: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        subscriptions.webhook_create(user=author, url="http://127.0.0.1:9/x")
