"""Webhook subscriptions as a service: create (the secret is returned once), delete, test, redeliver.

Stewards and admins manage them (the steward permission, as the API's steward scope); every write is
logged with who did it. Bad input raises ``InvalidWebhook`` (a 400 with the field) and writes nothing.
"""

from __future__ import annotations

import base64
import logging
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from dc43_portal.accounts import roles
from dc43_portal.errors import InvalidContract, InvalidContractId
from dc43_portal.events import cloudevents, ssrf
from dc43_portal.events.models import Delivery, OutboxEvent, Subscription
from dc43_portal.ids import check_contract_id

logger = logging.getLogger(__name__)
MAX_TYPES = 50


class InvalidWebhook(InvalidContract):
    code = "invalid_webhook"


def can_manage_webhooks(user: Any) -> bool:
    """Stewards of any domain and administrators: a subscription may span domains, as the API's steward scope."""
    return bool(getattr(user, "is_authenticated", False)) and roles.actor_anywhere(user).is_steward


def _require(user: Any) -> None:
    if not can_manage_webhooks(user):
        raise PermissionDenied("Only stewards and administrators manage webhooks.")


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


def clean_types(types: Any) -> list[str]:
    if types is None:
        return []
    if isinstance(types, str) or not isinstance(types, Iterable):
        raise InvalidWebhook([("types", "a list of event types; an empty list means every type")])
    found = list(dict.fromkeys(types))
    if len(found) > MAX_TYPES or not all(isinstance(t, str) for t in found):
        raise InvalidWebhook([("types", "a list of event types; an empty list means every type")])
    unknown = [t for t in found if t not in cloudevents.ALL_TYPES]
    if unknown:
        raise InvalidWebhook([("types", f"unknown type {unknown[0]!r}; use {', '.join(cloudevents.ALL_TYPES)}")])
    return found


def clean_filters(contract_id: Any, domain: Any) -> tuple[str, str]:
    contract_id, domain = contract_id or "", domain or ""
    if not isinstance(contract_id, str) or not isinstance(domain, str):
        raise InvalidWebhook([("contract_id", "contract_id and domain are strings")])
    if contract_id:
        try:
            check_contract_id(contract_id)
        except InvalidContractId as exc:
            raise InvalidWebhook([("contract_id", str(exc))]) from exc
    if len(domain) > 200 or any(ord(c) < 32 for c in domain):
        raise InvalidWebhook([("domain", "a domain is at most 200 characters, without control characters")])
    return contract_id, domain.strip()


def webhook_create(
    *, user: Any, url: Any, types: Any = None, contract_id: Any = "", domain: Any = "", description: str = ""
) -> tuple[Subscription, str]:
    """A new subscription and its secret (shown to the caller once)."""
    _require(user)
    try:
        ssrf.resolve(url)
    except ssrf.TargetRefused as exc:
        raise InvalidWebhook([("url", str(exc))]) from exc
    clean = clean_types(types)
    contract_id, domain = clean_filters(contract_id, domain)
    secret = new_secret()
    sub = Subscription.objects.create(
        url=url,
        secret=secret,
        types=clean,
        contract_id=contract_id,
        domain=domain,
        description=str(description or "")[:200],
        created_by=user,
    )
    logger.info("webhook %s to %s created by %s", sub.pk, sub.url, user.get_username())
    return sub, secret


def webhook_delete(*, user: Any, subscription: Subscription) -> None:
    _require(user)
    logger.info("webhook %s to %s deleted by %s", subscription.pk, subscription.url, user.get_username())
    subscription.delete()


def _enqueue(subscription: Subscription) -> None:
    from dc43_portal.events import outbox, tasks

    tasks.process_outbox.enqueue()  # a test event is sequenced like the others, but fanned out to no one
    outbox.enqueue([subscription.pk], [])


@transaction.atomic
def webhook_send_test(*, user: Any, subscription: Subscription) -> Delivery:
    """A ``io.dc43.webhook.test`` event to this subscription only (not in the feed)."""
    _require(user)
    now = timezone.now()
    event = OutboxEvent.objects.create(
        type=cloudevents.TEST_TYPE,
        source=cloudevents.base_url(),
        subject=f"webhooks/{subscription.pk}",
        data={"subscription_id": subscription.pk, "actor": {"username": user.get_username(), "id": user.pk}},
        notified_at=now,
    )
    delivery = Delivery.objects.create(subscription=subscription, event=event, next_attempt_at=now)
    _enqueue(subscription)
    return delivery


@transaction.atomic
def webhook_redeliver(*, user: Any, delivery: Delivery) -> Delivery:
    """The same event (same id) again, queued behind this subscription's pending deliveries."""
    _require(user)
    again = Delivery.objects.create(
        subscription=delivery.subscription, event=delivery.event, next_attempt_at=timezone.now()
    )
    _enqueue(delivery.subscription)
    return again
