"""The compatibility verdict with the database: baselines and next majors from the mirror, the mode from settings.

The verdict itself is pure (``dc43_portal.diff.compatibility``); this module feeds it what only the mirror
and the default store know.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache

from dc43_portal import statuses
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import ContractVersion
from dc43_portal.diff.compatibility import MODES, Compatibility, assess, baseline_among
from dc43_portal.errors import ContractNotFound
from dc43_portal.versioning import Version, parse_version


def compatibility_mode() -> str:
    mode = str(getattr(settings, "DC43_COMPATIBILITY", "enforce") or "enforce").strip().lower()
    return mode if mode in MODES else "enforce"


def check_compatibility(*, contract_id: str, version: str, document: dict[str, Any]) -> Compatibility:
    """Compare the candidate ``document`` with the highest Validated version below it in its major line."""
    if compatibility_mode() == "off":
        return Compatibility()
    baseline = baseline_version(contract_id, version)
    if baseline is None:
        return Compatibility()
    try:
        old = default_store().get_document(contract_id, baseline)
    except ContractNotFound:
        return Compatibility(
            baseline=baseline,
            warnings=[
                f"Could not compare with Validated {baseline}: it is missing from the store (run sync_contracts)."
            ],
        )
    return assess(
        baseline=baseline,
        old=old,
        version=version,
        document=document,
        next_major=next_major(contract_id, version),
    )


def publish_warnings(document: dict[str, Any]) -> list[str]:
    """The compatibility verdict on a version being published, as warnings: a draft is never refused."""
    contract_id, version = document.get("id"), document.get("version")
    if not isinstance(contract_id, str) or not isinstance(version, str):
        return []
    verdict = check_compatibility(contract_id=contract_id, version=version, document=document)
    return verdict.tagged(refused_at_approval=compatibility_mode() == "enforce")


def baseline_version(contract_id: str, version: str) -> str | None:
    """The highest Validated version below ``version`` in its own major line, from the mirror."""
    validated = ContractVersion.objects.filter(
        contract__contract_id=contract_id,
        status=statuses.ACTIVE,
        in_store=True,
        major=parse_version(version).major,
    ).values_list("version", flat=True)
    return baseline_among(version, validated)


def next_major(contract_id: str, version: str) -> str:
    """The first major line above ``version``'s that has no version at all: its x.0.0 is always allowed."""
    used = set(ContractVersion.objects.filter(contract__contract_id=contract_id).values_list("major", flat=True))
    major = parse_version(version).major + 1
    while major in used:
        major += 1
    return str(Version(major, 0, 0))


def review_verdict(row: ContractVersion, document: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The verdict approval would give ``row`` now, as (objections, warnings) tagged with their heading: the
    one verdict the version page, its panel and the submit check show. Reads only; cached per content and
    baseline (Validated versions never change), so a page view does not diff twice."""
    if row.status not in (statuses.DRAFT, statuses.PROPOSED):
        return [], []
    contract_id = row.contract.contract_id
    baseline = baseline_version(contract_id, row.version)
    upward = next_major(contract_id, row.version)  # named in the objection's advice
    key = f"verdict:v1:{contract_id}:{row.version}:{row.fingerprint}:{baseline}:{upward}:{compatibility_mode()}"
    found: tuple[list[str], list[str]] | None = cache.get(key)
    if found is None:
        verdict = check_compatibility(contract_id=contract_id, version=row.version, document=document)
        tagged = verdict.tagged(refused_at_approval=compatibility_mode() == "enforce")
        found = (tagged[: len(verdict.objections)], tagged[len(verdict.objections) :])
        cache.set(key, found, 3600)
    return found
