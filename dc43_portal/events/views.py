"""Pages: "My work", notification settings, watching a contract, and webhook management (stewards)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dc43_portal.contracts.http_errors import portal_errors
from dc43_portal.events import selectors, subscriptions
from dc43_portal.events.forms import PreferenceForm, WebhookForm
from dc43_portal.events.models import Delivery, NotificationPreference, Subscription, Watch
from dc43_portal.ids import check_contract_id

SESSION_SECRET = "events_new_secret"
PAGE_SIZE = 50
MAX_ID = 2**63 - 1


@require_safe
@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    return render(request, "events/my_work.html", {"work": selectors.my_work(request.user), "nav": "work"})


@require_http_methods(["GET", "POST"])
@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    pref, _ = NotificationPreference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=pref)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your notification settings are saved.")
        return redirect("events:notifications")
    watches = Watch.objects.filter(user=request.user).order_by("contract_id")  # type: ignore[misc]
    context = {"form": form, "watches": watches, "email": getattr(request.user, "email", "")}
    return render(request, "events/notifications.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
@portal_errors
def watch_toggle(request: HttpRequest, contract_id: str) -> HttpResponse:
    check_contract_id(contract_id)
    watch = Watch.objects.filter(user=request.user, contract_id=contract_id)  # type: ignore[misc]
    if request.POST.get("watch") == "off":
        watch.delete()
        messages.success(request, f"You no longer watch {contract_id}.")
    else:
        Watch.objects.get_or_create(user=request.user, contract_id=contract_id)
        messages.success(request, f"You watch {contract_id}: its events come to you by e-mail.")
    return redirect("contracts:detail", contract_id=contract_id)


def _subscription(webhook_id: int) -> Subscription:
    """The subscription, or 404 (an id past 64 bits too, which PostgreSQL would refuse with an error)."""
    return get_object_or_404(Subscription, pk=webhook_id if webhook_id <= MAX_ID else 0)


def _steward(request: HttpRequest) -> None:
    if not subscriptions.can_manage_webhooks(request.user):
        raise PermissionDenied("Only stewards and administrators manage webhooks.")


@require_http_methods(["GET", "POST"])
@login_required
@portal_errors
def webhook_list(request: HttpRequest) -> HttpResponse:
    _steward(request)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sub, secret = subscriptions.webhook_create(user=request.user, **form.cleaned_data)
        except subscriptions.InvalidWebhook as exc:
            for name, message in exc.errors:
                form.add_error(name if name in form.fields else None, message)
        else:
            request.session[SESSION_SECRET] = {"id": sub.pk, "secret": secret}
            return redirect("events:webhook", webhook_id=sub.pk)
    context = {"form": form, "subscriptions": selectors.subscriptions_with_counts(), "nav": "webhooks"}
    return render(request, "events/webhooks.html", context, status=400 if form.errors else 200)


@require_safe
@login_required
@portal_errors
def webhook_detail(request: HttpRequest, webhook_id: int) -> HttpResponse:
    _steward(request)
    sub = _subscription(webhook_id)
    new = request.session.pop(SESSION_SECRET, None)
    deliveries = sub.deliveries.select_related("event").order_by("-id")
    context: dict[str, Any] = {
        "sub": sub,
        "secret": new["secret"] if new and new.get("id") == sub.pk else None,
        "page": Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page")),
        "nav": "webhooks",
    }
    return render(request, "events/webhook.html", context)


@require_POST
@login_required
@portal_errors
def webhook_action(request: HttpRequest, webhook_id: int) -> HttpResponse:
    """Send a test event, redeliver one delivery, or delete the subscription (told apart by ``action``)."""
    _steward(request)
    sub = _subscription(webhook_id)
    action = request.POST.get("action", "")
    if action == "test":
        subscriptions.webhook_send_test(user=request.user, subscription=sub)
        messages.success(request, "A test event is queued; its delivery shows below.")
    elif action == "redeliver":
        raw = request.POST.get("delivery", "")
        delivery = get_object_or_404(
            Delivery, pk=int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else 0, subscription=sub
        )
        subscriptions.webhook_redeliver(user=request.user, delivery=delivery)
        messages.success(request, f"Event {delivery.event.event_id} is queued again, with the same id.")
    elif action == "delete":
        subscriptions.webhook_delete(user=request.user, subscription=sub)
        messages.success(request, f"The webhook to {sub.url} is deleted.")
        return redirect("events:webhooks")
    else:
        messages.error(request, "Unknown action: use test, redeliver or delete.")
        return render(request, "error.html", {"status": 400, "message": "Unknown webhook action."}, status=400)
    return redirect("events:webhook", webhook_id=sub.pk)
