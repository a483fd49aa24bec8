"""The outbox (one row per audit event), webhook subscriptions and their deliveries, watches and
notification preferences."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class OutboxEvent(models.Model):
    """One CloudEvent, written in the transaction of the change it reports. ``seq`` (given after commit,
    see ``outbox``) is the order consumers see and the feed's cursor."""

    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(max_length=100, db_index=True)
    source = models.CharField(max_length=300)
    subject = models.CharField(max_length=340, blank=True)
    contract_id = models.CharField(max_length=200, blank=True, db_index=True)
    version = models.CharField(max_length=128, blank=True)
    domain = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict)
    audit_event_id = models.BigIntegerField(null=True, blank=True)
    seq = models.PositiveBigIntegerField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the row got its ``seq`` (right after commit: the worker, its sweep or the feed gives it).
    sequenced_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.type} {self.subject}"


class Subscription(models.Model):
    url = models.URLField(max_length=2000)
    # The Standard Webhooks secret, "whsec_" + base64; shown once, kept to sign.
    secret = models.CharField(max_length=100, editable=False)
    types = models.JSONField(default=list, blank=True, help_text="event types; empty means every type")
    contract_id = models.CharField(max_length=200, blank=True)
    domain = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A worker delivering to this subscription holds the lease, so deliveries stay in order.
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "webhook subscription"

    def __str__(self) -> str:
        return self.url

    def matches(self, event_type: str, contract_id: str, domain: str) -> bool:
        if self.types and event_type not in self.types:
            return False
        if self.contract_id and self.contract_id != contract_id:
            return False
        return not (self.domain and self.domain != domain)


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["subscription", "status", "id"])]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription} ({self.status})"


class Watch(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches")
    contract_id = models.CharField(max_length=200, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "contract_id"], name="unique_watch")]

    def __str__(self) -> str:
        return f"{self.user} watches {self.contract_id}"


class NotificationPreference(models.Model):
    class Level(models.TextChoices):
        ALL = "all", "Everything addressed to me (reviews, my versions, watched contracts)"
        MINE = "mine", "Only news of my own versions"
        NONE = "none", "No e-mail"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_pref")
    level = models.CharField(max_length=4, choices=Level.choices, default=Level.ALL)

    def __str__(self) -> str:
        return f"{self.user}: {self.level}"


class MailReceipt(models.Model):
    """One event's mail to one address, once sent: a retry after a failure part-way skips who already has it."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="mail_receipts")
    address = models.CharField(max_length=254)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "address"], name="unique_mail_receipt")]

    def __str__(self) -> str:
        return f"event {self.event_id} mailed to {self.address}"
