"""manage.py demo_setup: demo users and contracts once; a rerun keeps what users changed."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from dc43_portal.contracts import services
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import Contract, ContractVersion
from tests.conftest import REPO

pytestmark = [pytest.mark.django_db]


def setup() -> str:
    out = StringIO()
    call_command("demo_setup", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_loads_every_demo_contract_with_mixed_statuses() -> None:
    files = sorted((REPO / "dc43_portal" / "demo" / "contracts").glob("*/*.yaml"))
    out = setup()
    assert f"imported {len(files)}, rejected 0" in out
    assert Contract.objects.count() >= 8 and len(files) >= 12
    statuses = set(ContractVersion.objects.values_list("status", flat=True))
    assert statuses == {"draft", "proposed", "active", "deprecated"}
    assert "steward   / steward-demo-Cedar-58" in out and "author    / author-demo-Tulip-42" in out
    steward = get_user_model().objects.get(username="steward")
    assert steward.check_password("steward-demo-Cedar-58") and steward.has_perm("contracts.steward_contract")


def test_a_second_run_keeps_what_users_changed() -> None:
    setup()
    user = get_user_model().objects.get(username="author")
    user.set_password("changed-by-alice")
    user.save()
    draft = ContractVersion.objects.filter(status="draft").select_related("contract").first()
    assert draft is not None
    doc = default_store().get_document(draft.contract.contract_id, draft.version)
    services.contract_publish(document={**doc, "name": "Edited after the demo"}, actor="author")
    out = setup()
    assert "leaving them as they are" in out
    assert get_user_model().objects.get(username="author").check_password("changed-by-alice")
    assert default_store().get_document(draft.contract.contract_id, draft.version)["name"] == "Edited after the demo"
