"""Pages: My work (to approve, sent back with the reason, waiting) and its nav count; watching; notification
settings; webhook pages for stewards only, refusing bad targets with a 400 and nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dc43_portal.accounts.models import RoleAssignment
from dc43_portal.contracts import services
from dc43_portal.events.models import Delivery, NotificationPreference, Subscription, Watch
from tests.conftest import make_doc

pytestmark = pytest.mark.database


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _sent_back(author: Any, steward: Any) -> None:
    services.contract_publish(document=make_doc(), actor=author.username)
    services.contract_transition(contract_id="sales.orders", version="1.0.0", to_status="proposed", user=author)
    services.contract_transition(
        contract_id="sales.orders", version="1.0.0", to_status="draft", user=steward, comment="fill in the SLA"
    )
    services.contract_publish(document=make_doc("sales.returns"), actor=author.username)
    services.contract_transition(contract_id="sales.returns", version="1.0.0", to_status="proposed", user=author)


def test_my_work_lists_what_awaits_each_user(author: Any, steward: Any, viewer: Any) -> None:
    _sent_back(author, steward)
    page = _client(author).get("/me/work/").content.decode()
    assert "fill in the SLA" in page and "sales.returns 1.0.0" in page.split('id="waiting"')[1]
    assert 'title="1 item for you to act on">1<' in page  # the sent-back draft
    steward_page = _client(steward).get("/me/work/").content.decode()
    assert "sales.returns 1.0.0" in steward_page.split('id="to-approve"')[1].split("</section>")[0]
    viewer_page = _client(viewer).get("/me/work/").content.decode()
    assert "item for you to act on" not in viewer_page
    assert 'title="1 version in review"' not in viewer_page  # the queue badge is for stewards


def test_a_visitor_is_sent_to_log_in(db: None) -> None:
    assert Client().get("/me/work/").status_code == 302


def test_it_watches_and_unwatches(viewer: Any, author: Any) -> None:
    services.contract_publish(document=make_doc(), actor=author.username)
    client = _client(viewer)
    assert "Watch</button>" in client.get("/contracts/sales.orders/").content.decode()
    assert client.post("/contracts/sales.orders/watch").status_code == 302
    assert Watch.objects.filter(user=viewer, contract_id="sales.orders").exists()
    assert "Watching" in client.get("/contracts/sales.orders/").content.decode()
    client.post("/contracts/sales.orders/watch", {"watch": "off"})
    assert not Watch.objects.exists()
    assert client.post("/contracts/.bad/watch").status_code == 400
    assert not Watch.objects.exists()


def test_it_saves_notification_settings(viewer: Any) -> None:
    client = _client(viewer)
    assert client.post("/account/notifications/", {"level": "mine"}).status_code == 302
    assert NotificationPreference.objects.get(user=viewer).level == "mine"
    assert client.post("/account/notifications/", {"level": "loud"}).status_code == 400
    assert NotificationPreference.objects.get(user=viewer).level == "mine"


def test_stewards_manage_webhooks_in_pages(
    steward: Any, author: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert _client(author).get("/webhooks/").status_code == 403
    client = _client(steward)
    settings.DC43_WEBHOOK_ALLOW_PRIVATE = False
    refused = client.post("/webhooks/", {"url": "http://169.254.169.254/latest"})
    assert refused.status_code == 400 and "link-local" in refused.content.decode()
    assert not Subscription.objects.exists()
    settings.DC43_WEBHOOK_ALLOW_PRIVATE = True
    created = client.post("/webhooks/", {"url": "http://127.0.0.1:9/x", "types": ["io.dc43.contract.version.approved"]})
    sub = Subscription.objects.get()
    assert created["Location"] == f"/webhooks/{sub.pk}/"
    first = client.get(created["Location"]).content.decode()
    assert sub.secret in first and sub.secret not in client.get(created["Location"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/webhooks/{sub.pk}/actions", {"action": "test"})
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(status="failed")
    client.post(f"/webhooks/{sub.pk}/actions", {"action": "redeliver", "delivery": str(delivery.pk)})
    assert Delivery.objects.filter(event=delivery.event).count() == 2
    assert (
        client.post(
            f"/webhooks/{sub.pk}/actions", {"action": "redeliver", "delivery": "99999999999999999999"}
        ).status_code
        == 404
    )
    assert client.post(f"/webhooks/{sub.pk}/actions", {"action": "explode"}).status_code == 400
    client.post(f"/webhooks/{sub.pk}/actions", {"action": "delete"})
    assert not Subscription.objects.exists()
    assert client.get("/webhooks/99999999999999999999/").status_code == 404


def test_the_nav_counts_are_cached_until_the_next_audited_write(
    author: Any, steward: Any, django_assert_max_num_queries: Any
) -> None:
    _sent_back(author, steward)
    client = _client(steward)
    assert 'title="1 item for you to act on">1<' in client.get("/contracts/").content.decode()
    with django_assert_max_num_queries(20) as first:
        client.get("/contracts/")
    # Served from the cache: the queue and sent-back queries do not run again.
    assert not any("contracts_contractversion" in q["sql"] and "proposed" in q["sql"] for q in first.captured_queries)
    # A write anywhere moves the mark: the next page counts again, at once.
    services.contract_publish(document=make_doc("sales.refunds"), actor=author.username)
    services.contract_transition(contract_id="sales.refunds", version="1.0.0", to_status="proposed", user=author)
    page = client.get("/contracts/").content.decode()
    assert 'title="2 items for you to act on">2<' in page and 'title="2 versions in review"' in page


def test_a_role_granted_in_the_admin_shows_in_the_nav_counts_at_once(author: Any, steward: Any, viewer: Any) -> None:
    _sent_back(author, steward)
    services.contract_publish(document=make_doc("sales.refunds"), actor=author.username)
    services.contract_transition(contract_id="sales.refunds", version="1.0.0", to_status="proposed", user=author)
    client = _client(viewer)
    assert "items for you to act on" not in client.get("/contracts/").content.decode()  # cached: nothing for a viewer
    RoleAssignment.objects.create(user=viewer, role="steward", domain="sales")  # the admin writes no audit event
    assert 'title="2 items for you to act on">2<' in client.get("/contracts/").content.decode()
