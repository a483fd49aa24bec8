"""Events in the admin: webhook subscriptions (created through the service, so the target is guarded and the
secret shown once), their delivery log with "send a test event" and "redeliver", the outbox read-only,
watches and preferences."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from dc43_portal.contracts.admin.actions import GuardedInputAdmin
from dc43_portal.events import subscriptions
from dc43_portal.events.cloudevents import ALL_TYPES
from dc43_portal.events.models import Delivery, NotificationPreference, OutboxEvent, Subscription, Watch


class SubscriptionForm(forms.ModelForm):
    url = forms.CharField(max_length=2000, help_text="http(s); private addresses are refused")
    types = forms.MultipleChoiceField(
        choices=[(t, t) for t in ALL_TYPES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every type",
    )

    class Meta:
        model = Subscription
        fields = ["url", "types", "contract_id", "domain", "description", "is_active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            subscriptions.ssrf.resolve(data.get("url") or "")
            subscriptions.clean_filters(data.get("contract_id"), data.get("domain"))
        except subscriptions.ssrf.TargetRefused as exc:
            self.add_error("url", str(exc))
        except subscriptions.InvalidWebhook as exc:
            for name, message in exc.errors:
                self.add_error(name if name in self.fields else None, message)
        return data


@admin.register(Subscription)
class SubscriptionAdmin(GuardedInputAdmin):
    form = SubscriptionForm
    list_display = ["url", "description", "contract_id", "domain", "is_active", "created_by", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "description", "contract_id", "domain"]
    readonly_fields = ["created_by", "created_at"]
    actions = ["send_test"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return subscriptions.can_manage_webhooks(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return subscriptions.can_manage_webhooks(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission

    def save_model(self, request: HttpRequest, obj: Subscription, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        sub, secret = subscriptions.webhook_create(
            user=request.user,
            url=obj.url,
            types=obj.types,
            contract_id=obj.contract_id,
            domain=obj.domain,
            description=obj.description,
        )
        obj.pk, obj.secret = sub.pk, sub.secret
        messages.warning(request, f"Copy the signing secret now; it is shown only once: {secret}")

    @admin.action(description="Send a test event")
    def send_test(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        for sub in queryset:
            subscriptions.webhook_send_test(user=request.user, subscription=sub)
        messages.success(request, f"Test events queued for {queryset.count()} webhook(s).")


@admin.register(Delivery)
class DeliveryAdmin(GuardedInputAdmin):
    list_display = [
        "event",
        "subscription",
        "status",
        "attempts",
        "last_status_code",
        "last_attempt_at",
        "next_attempt_at",
    ]
    list_filter = ["status"]
    search_fields = ["subscription__url", "event__subject"]
    actions = ["redeliver"]
    list_select_related = ["event", "subscription"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return subscriptions.can_manage_webhooks(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return subscriptions.can_manage_webhooks(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Redeliver (the same event id)")
    def redeliver(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        for delivery in queryset.select_related("subscription", "event"):
            subscriptions.webhook_redeliver(user=request.user, delivery=delivery)
        messages.success(request, f"{queryset.count()} deliveries queued again.")


@admin.register(OutboxEvent)
class OutboxEventAdmin(GuardedInputAdmin):
    list_display = ["id", "type", "subject", "created_at", "sequenced_at", "notified_at"]
    list_filter = ["type"]
    search_fields = ["subject", "contract_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Watch)
class WatchAdmin(GuardedInputAdmin):
    list_display = ["user", "contract_id", "created_at"]
    search_fields = ["contract_id", "user__username"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(GuardedInputAdmin):
    list_display = ["user", "level"]
    list_filter = ["level"]
