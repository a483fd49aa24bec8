"""Approval policies per domain: distinct approvers for non-breaking and breaking versions, an optional
required role, and four eyes across every approver by user id."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from dc43_portal.accounts.models import ApprovalPolicy, RoleAssignment
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from dc43_portal.errors import ContractConflict
from tests.fixtures.cast import publish, transition

pytestmark = pytest.mark.database
PAGE = "/contracts/sales.orders/versions/{}/"


def _status(version: str = "1.0.0") -> str:
    return ContractVersion.objects.get(version=version).status


def _submit(author: Any, version: str = "1.0.0") -> None:
    publish(author, version)
    transition(author, "proposed", version)


def _page(user: Any, version: str = "1.0.0") -> str:
    client = Client()
    client.force_login(user)
    return client.get(PAGE.format(version)).content.decode()


def test_two_approvals_need_two_stewards(sales_author: Any, sales_steward: Any, sales_steward2: Any) -> None:
    ApprovalPolicy.objects.create(domain="sales", approvals=2, breaking_approvals=2)
    _submit(sales_author)
    transition(sales_steward, "active")
    assert _status() == "proposed"
    assert "1 of 2 approvals: approved by stan, waiting for one more" in _page(sales_steward2)
    with pytest.raises(ContractConflict, match="already approved"):
        transition(sales_steward, "active")  # the same steward again
    assert "You already approved this version" in _page(sales_steward)
    transition(sales_steward2, "active")
    assert _status() == "active"
    actions = list(LifecycleEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["publish", "submit", "approval", "approve"]


def test_the_second_approval_by_the_first_steward_is_refused_on_the_page(sales_author: Any, sales_steward: Any) -> None:
    ApprovalPolicy.objects.create(domain="sales", approvals=2, breaking_approvals=2)
    _submit(sales_author)
    client = Client()
    client.force_login(sales_steward)
    assert client.post(PAGE.format("1.0.0") + "transition", {"action": "approve"}).status_code == 302
    response = client.post(PAGE.format("1.0.0") + "transition", {"action": "approve"})
    assert response.status_code == 409 and "already approved" in response.content.decode()
    assert _status() == "proposed"


def test_a_rejection_starts_the_count_again(sales_author: Any, sales_steward: Any, sales_steward2: Any) -> None:
    ApprovalPolicy.objects.create(domain="sales", approvals=2, breaking_approvals=2)
    _submit(sales_author)
    transition(sales_steward, "active")
    transition(sales_steward2, "draft", comment="one more column")
    transition(sales_author, "proposed")
    transition(sales_steward2, "active")
    assert _status() == "proposed"  # stan's earlier approval no longer counts


def test_breaking_versions_need_more(sales_author: Any, sales_steward: Any, sales_steward2: Any) -> None:
    ApprovalPolicy.objects.create(domain="sales", approvals=1, breaking_approvals=2)
    _submit(sales_author)
    transition(sales_steward, "active")
    assert _status() == "active"  # the first version: nothing to break
    _submit(sales_author, "1.1.0")
    transition(sales_steward, "active", "1.1.0")
    assert _status("1.1.0") == "active"
    _submit(sales_author, "2.0.0")
    transition(sales_steward, "active", "2.0.0")
    assert _status("2.0.0") == "proposed"
    assert "1 of 2 approvals" in _page(sales_steward2, "2.0.0")
    transition(sales_steward2, "active", "2.0.0")
    assert _status("2.0.0") == "active"


def test_a_required_role_must_be_among_the_approvers(
    sales_author: Any, sales_steward: Any, sales_steward2: Any
) -> None:
    ApprovalPolicy.objects.create(domain="sales", approvals=1, breaking_approvals=1, required_role="author")
    _submit(sales_author)
    with pytest.raises(PermissionDenied, match="also author"):
        transition(sales_steward, "active")
    RoleAssignment.objects.create(user=sales_steward2, role="author", domain="sales")
    transition(type(sales_steward2).objects.get(pk=sales_steward2.pk), "active")
    assert _status() == "active"


def test_other_domains_keep_one_approval(author: Any, steward: Any) -> None:
    ApprovalPolicy.objects.create(domain="finance", approvals=3, breaking_approvals=3)
    _submit(author)
    transition(steward, "active")
    assert _status() == "active"


def test_the_queue_and_my_work_leave_out_what_a_steward_already_approved(
    sales_author: Any, sales_steward: Any, sales_steward2: Any
) -> None:
    ApprovalPolicy.objects.create(domain="sales", approvals=2, breaking_approvals=2)
    _submit(sales_author)
    transition(sales_steward, "active")  # a partial approval: 1 of 2
    queue = {user: _client(user).get("/queue/").content.decode() for user in (sales_steward, sales_steward2)}
    assert "another steward approves" in queue[sales_steward] and ">Review</a>" not in queue[sales_steward]
    assert ">Review</a>" in queue[sales_steward2]
    work = {user: _client(user).get("/me/work/").content.decode() for user in (sales_steward, sales_steward2)}
    assert "item for you to act on" not in work[sales_steward]
    assert 'title="1 item for you to act on"' in work[sales_steward2]
    transition(sales_author, "draft")  # withdrawn, then submitted again: the count starts over
    transition(sales_author, "proposed")
    assert ">Review</a>" in _client(sales_steward).get("/queue/").content.decode()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
