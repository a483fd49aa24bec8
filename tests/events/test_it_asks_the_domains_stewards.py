"""``stewards_for`` names a contract's domain stewards and the global ones, not another domain's: the
review mail and "My work" follow it."""

from __future__ import annotations

from typing import Any

import pytest

from dc43_portal.accounts.models import RoleAssignment
from dc43_portal.contracts import services
from dc43_portal.contracts.models import ContractVersion
from dc43_portal.events import recipients
from tests.conftest import make_doc

pytestmark = pytest.mark.database


def test_only_the_domains_and_global_stewards(author: Any, steward: Any, django_user_model: Any) -> None:
    finance = django_user_model.objects.create_user("fiona", password="x")
    RoleAssignment.objects.create(user=finance, role="steward", domain="finance")
    sales = django_user_model.objects.create_user("sally", password="x")
    RoleAssignment.objects.create(user=sales, role="steward", domain="sales")
    services.contract_publish(document=make_doc(), actor=author.username)  # domain "sales"
    services.contract_transition(contract_id="sales.orders", version="1.0.0", to_status="proposed", user=author)
    names = set(recipients.stewards_for("sales.orders").values_list("username", flat=True))
    assert names == {"sam", "sally"}  # sam is a global steward (the stewards group)
    row = ContractVersion.objects.select_related("contract").get()
    assert {u.username for u in recipients.approvers_for(row)} == {"sam", "sally"}
    assert recipients.may_approve(finance, [row]) == []
    assert recipients.may_approve(sales, [row]) == [row]
