"""SemVer enforcement at approval and warnings at publish, against the real store, mirror and lifecycle."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from dc43_portal.contracts.services import contract_publish, contract_transition
from dc43_portal.contracts.services.compatibility import check_compatibility, next_major
from dc43_portal.errors import ContractConflict
from tests.conftest import make_doc
from tests.fixtures.cast import imported, submit

pytestmark = [pytest.mark.database, pytest.mark.django_db]

ID = "sales.orders"


def without_amount(version: str) -> dict[str, Any]:
    doc = make_doc(version=version)
    doc["schema"][0]["properties"] = doc["schema"][0]["properties"][:1]
    return doc


def with_column(version: str, **column: Any) -> dict[str, Any]:
    doc = make_doc(version=version)
    doc["schema"][0]["properties"].append({"name": "currency", "logicalType": "string", **column})
    return doc


def approve(steward: Any, version: str) -> ContractVersion:
    return contract_transition(contract_id=ID, version=version, to_status="Validated", user=steward)


def test_it_refuses_to_approve_a_breaking_minor_and_names_the_change_and_the_next_major(
    author: Any, steward: Any
) -> None:
    imported("1.0.0")
    submit(author, without_amount("1.1.0"))
    with pytest.raises(ContractConflict) as refused:
        approve(steward, "1.1.0")
    message = str(refused.value)
    assert "schema.orders.properties.amount removed [property-removed" in message
    assert "since 1.0.0" in message
    assert "2.0.0" in message
    assert ContractVersion.objects.get(version="1.1.0").status == "proposed"
    assert default_store().get_document(ID, "1.1.0")["status"] == "proposed"


def test_it_approves_the_same_changes_as_a_new_major(author: Any, steward: Any) -> None:
    imported("1.0.0")
    submit(author, without_amount("2.0.0"))
    assert approve(steward, "2.0.0").status == "active"


def test_it_approves_a_compatible_minor(author: Any, steward: Any) -> None:
    imported("1.0.0")
    submit(author, with_column("1.1.0"))
    assert approve(steward, "1.1.0").status == "active"


def test_it_compares_a_backport_with_its_own_major_line(author: Any, steward: Any) -> None:
    imported("1.9.0")
    imported("2.0.0", description={"purpose": "the new line"})
    verdict = check_compatibility(contract_id=ID, version="1.9.1", document=make_doc(version="1.9.1"))
    assert (verdict.baseline, verdict.objections, verdict.suggested_bump) == ("1.9.0", [], None)
    verdict = check_compatibility(contract_id=ID, version="1.9.1", document=without_amount("1.9.1"))
    assert verdict.baseline == "1.9.0"
    assert verdict.next_major == "3.0.0"
    assert [c.rule for c in verdict.breaking] == ["property-removed"]


def test_it_has_nothing_to_compare_the_first_version_of_a_major_line_with() -> None:
    imported("1.4.0")
    verdict = check_compatibility(contract_id=ID, version="2.0.0-rc.1", document=without_amount("2.0.0-rc.1"))
    assert (verdict.baseline, verdict.objections, verdict.warnings) == (None, [], [])


def test_it_compares_with_the_highest_validated_version_below_the_candidate(author: Any) -> None:
    imported("1.0.0")
    imported("1.2.0", description={"purpose": "x"})
    contract_publish(document=make_doc(version="1.3.0"), actor=author.username)  # a Draft does not count
    assert check_compatibility(contract_id=ID, version="1.4.0", document=make_doc(version="1.4.0")).baseline == "1.2.0"
    assert check_compatibility(contract_id=ID, version="1.1.0", document=make_doc(version="1.1.0")).baseline == "1.0.0"


def test_it_warns_when_a_minor_change_is_released_as_a_patch() -> None:
    imported("1.0.0")
    verdict = check_compatibility(contract_id=ID, version="1.0.1", document=with_column("1.0.1"))
    assert verdict.objections == []
    assert (verdict.suggested_bump, verdict.actual_bump) == ("minor", "patch")
    assert "calls for a minor version" in verdict.warnings[0]


def test_it_names_the_first_free_major_line(author: Any) -> None:
    imported("1.0.0")
    contract_publish(document=make_doc(version="2.0.0-rc.1"), actor=author.username)
    assert next_major(ID, "1.1.0") == "3.0.0"


@override_settings(DC43_COMPATIBILITY="warn")
def test_it_lets_a_breaking_approval_through_with_a_warning_under_warn(author: Any, steward: Any) -> None:
    imported("1.0.0")
    submit(author, without_amount("1.1.0"))
    assert approve(steward, "1.1.0").status == "active"
    event = LifecycleEvent.objects.get(version="1.1.0", action="approve")
    assert "property-removed" in event.details["compatibility"]["objections"][0]


@override_settings(DC43_COMPATIBILITY="off")
def test_it_checks_nothing_when_off(author: Any, steward: Any) -> None:
    imported("1.0.0")
    result = contract_publish(document=without_amount("1.1.0"), actor=author.username)
    assert not any("breaking" in w for w in result.warnings)
    assert check_compatibility(contract_id=ID, version="1.1.0", document=without_amount("1.1.0")).objections == []


def test_it_stores_a_breaking_draft_and_warns_at_publish(author: Any) -> None:
    imported("1.0.0")
    result = contract_publish(document=without_amount("1.1.0"), actor=author.username)
    assert result.created and result.version.status == "draft"
    assert default_store().get_document(ID, "1.1.0")["version"] == "1.1.0"
    [warning] = [w for w in result.warnings if "breaking" in w]
    assert warning.startswith(
        "Breaking changes since Validated 1.0.0: Approval will be refused: 1.1.0 has 1 breaking change since 1.0.0"
    )
    assert "2.0.0" in warning
    assert warning in ContractVersion.objects.get(version="1.1.0").warnings


def test_it_warns_nothing_at_publish_for_a_compatible_draft(author: Any) -> None:
    imported("1.0.0")
    result = contract_publish(document=with_column("1.1.0"), actor=author.username)
    assert result.warnings == []
