"""Delivering a subscription's events: in order, signed (Standard Webhooks), with backoff, under a lease.

One worker at a time holds a subscription's lease and sends its oldest pending delivery first; a failed
attempt waits for its retry before any later event is sent. A worker that dies mid-delivery leaves the
lease to expire; the sweep then hands the subscription to another worker, which sends the event again
with the same id (at least once).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from standardwebhooks import Webhook

from dc43_portal.events import cloudevents, ssrf
from dc43_portal.events.models import Delivery, Subscription

logger = logging.getLogger(__name__)
EXCERPT_CHARS = 200
USER_AGENT = "dc43-portal-webhooks/1"


def retry_delays() -> list[int]:
    """Seconds to wait after each failed attempt; past the last one the delivery is failed."""
    return [int(s) for s in settings.DC43_WEBHOOK_RETRY_SCHEDULE]


def acquire_lease(subscription_id: int, owner: str) -> bool:
    now = timezone.now()
    return bool(
        Subscription.objects.filter(pk=subscription_id, is_active=True)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner=owner))
        .update(lease_until=now + timedelta(seconds=settings.DC43_WEBHOOK_LEASE_SECONDS), lease_owner=owner)
    )


def release_lease(subscription_id: int, owner: str) -> None:
    Subscription.objects.filter(pk=subscription_id, lease_owner=owner).update(lease_until=None, lease_owner="")


def deliver_pending(subscription_id: int, owner: str) -> datetime | None:
    """Send what is due, oldest first; returns when to come back for a retry (``None``: nothing waits)."""
    if not acquire_lease(subscription_id, owner):
        return None  # another worker holds it; it sends what this one would have
    try:
        while True:
            delivery = (
                Delivery.objects.select_related("event", "subscription")
                .filter(subscription_id=subscription_id, status=Delivery.Status.PENDING, event__seq__isnull=False)
                .order_by("event__seq", "id")
                .first()
            )
            if delivery is None:
                return None
            due = delivery.next_attempt_at or timezone.now()
            if due > timezone.now():
                return due
            attempt(delivery)
            if delivery.status == Delivery.Status.PENDING:
                return delivery.next_attempt_at
            if not acquire_lease(subscription_id, owner):  # renew; lost it only if this run outlived the lease
                return None
    finally:
        release_lease(subscription_id, owner)


def attempt(delivery: Delivery) -> None:
    """One signed POST; records the outcome and schedules the retry or marks the delivery failed."""
    code, error, excerpt = post(delivery.subscription, cloudevents.render(delivery.event))
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = code
    delivery.last_error = error[:300]
    delivery.response_excerpt = excerpt
    if code is not None and 200 <= code < 300:
        delivery.status = Delivery.Status.DELIVERED
        delivery.next_attempt_at = None
    else:
        delays = retry_delays()
        if delivery.attempts > len(delays):
            delivery.status = Delivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = now + timedelta(seconds=delays[delivery.attempts - 1])
    delivery.save()


def signed_request(subscription: Subscription, event: dict[str, object]) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
    now = timezone.now()
    signature = Webhook(subscription.secret).sign(str(event["id"]), now, body)
    headers = {
        "content-type": cloudevents.CONTENT_TYPE,
        "webhook-id": str(event["id"]),
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
        "user-agent": USER_AGENT,
    }
    return body.encode("utf-8"), headers


def post(subscription: Subscription, event: dict[str, object]) -> tuple[int | None, str, str]:
    """Status code (``None`` when no answer), error and a short excerpt of the answer."""
    body, headers = signed_request(subscription, event)
    try:
        target = ssrf.resolve(subscription.url)
    except ssrf.TargetRefused as exc:
        return None, str(exc), ""
    parts = urlsplit(target.url)
    address = f"[{target.address}]" if ":" in target.address else target.address
    # Connect to the checked address; Host and TLS name stay the URL's host.
    pinned = urlunsplit((parts.scheme, f"{address}:{target.port}", parts.path or "/", parts.query, ""))
    headers["host"] = parts.netloc
    try:
        with httpx.Client(timeout=settings.DC43_WEBHOOK_TIMEOUT_SECONDS, follow_redirects=False) as client:
            request = client.build_request("POST", pinned, content=body, headers=headers)
            request.extensions["sni_hostname"] = target.host
            response = client.send(request, stream=True)
            try:
                excerpt = _excerpt(response)
            finally:
                response.close()
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}".rstrip(": "), ""
    error = "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
    if 300 <= response.status_code < 400:
        error += " (redirects are not followed)"
    return response.status_code, error, excerpt


def _excerpt(response: httpx.Response) -> str:
    """At most a few hundred characters of the answer; the rest is never read."""
    chunk = b""
    for part in response.iter_raw(EXCERPT_CHARS * 4):
        chunk += part
        if len(chunk) >= EXCERPT_CHARS * 4:
            break
    return chunk.decode("utf-8", "replace")[:EXCERPT_CHARS]


def due_subscriptions(grace_seconds: int) -> list[int]:
    """Subscriptions with a delivery due for a while and no live lease: the sweep's work after a crash."""
    now = timezone.now()
    return list(
        Subscription.objects.filter(is_active=True)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .filter(
            deliveries__status=Delivery.Status.PENDING,
            deliveries__event__seq__isnull=False,
            deliveries__next_attempt_at__lte=now - timedelta(seconds=grace_seconds),
        )
        .values_list("pk", flat=True)
        .distinct()
    )
