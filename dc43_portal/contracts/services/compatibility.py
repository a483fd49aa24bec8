"""The compatibility verdict with the database: baselines and next majors from the mirror, the mode from settings.

The verdict itself is pure (``dc43_portal.diff.compatibility``); this module feeds it what only the mirror
and the default store know.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache

from dc43_portal import statuses
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import ContractVersion
from dc43_portal.diff.compatibility import MODES, Compatibility, Verdict, assess, baseline_among
from dc43_portal.errors import ContractNotFound, PortalError, StoreUnavailable
from dc43_portal.versioning import Version, parse_version

log = logging.getLogger(__name__)


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
    return _compare(contract_id, version, document, baseline, next_major(contract_id, version))


def _compare(contract_id: str, version: str, document: dict[str, Any], baseline: str, upward: str) -> Compatibility:
    try:
        old = default_store().get_document(contract_id, baseline)
    except ContractNotFound:
        return Compatibility(
            baseline=baseline,
            warnings=[
                f"Could not compare with Validated {baseline}: it is missing from the store (run sync_contracts)."
            ],
        )
    return assess(baseline=baseline, old=old, version=version, document=document, next_major=upward)


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
    return _next_free(version, used)


def _next_free(version: str, used: set[int]) -> str:
    major = parse_version(version).major + 1
    while major in used:
        major += 1
    return str(Version(major, 0, 0))


def verdict_of(compatibility: Compatibility) -> Verdict:
    """``compatibility`` as every page shows it, tagged for the current mode."""
    return Verdict.of(compatibility, enforce=compatibility_mode() == "enforce")


def review_verdict(row: ContractVersion, document: dict[str, Any]) -> Verdict:
    """The verdict approval would give ``row`` now: the one verdict the version page, its panel, the queue and
    the submit check show. Reads only; cached per content and baseline (Validated versions never change), so a
    page view does not diff twice."""
    if row.status not in (statuses.DRAFT, statuses.PROPOSED):
        return Verdict()
    contract_id = row.contract.contract_id
    baseline = baseline_version(contract_id, row.version)
    upward = next_major(contract_id, row.version)  # named in the objection's advice
    key = _key(row, baseline, upward)
    found: Verdict | None = cache.get(key)
    return found if found is not None else _verdict(key, row, document, baseline, upward)


def queue_verdicts(rows: list[ContractVersion]) -> list[Verdict | None]:
    """``review_verdict`` for each of a page of queued rows, in one query whatever their number; ``None`` where
    the store has no document for a row (the verdict is left out rather than the page failing)."""
    versions = ContractVersion.objects.filter(contract__in={row.contract_id for row in rows})
    active: dict[int, list[str]] = {}
    majors: dict[int, set[int]] = {}
    for pk, version, major, status, in_store in versions.values_list(
        "contract_id", "version", "major", "status", "in_store"
    ):
        majors.setdefault(pk, set()).add(major)
        if status == statuses.ACTIVE and in_store:
            active.setdefault(pk, []).append(version)
    wanted = []
    for row in rows:
        baseline = baseline_among(row.version, active.get(row.contract_id, []))
        upward = _next_free(row.version, majors.get(row.contract_id, set()))
        wanted.append((row, _key(row, baseline, upward), baseline, upward))
    cached = cache.get_many([key for _, key, _, _ in wanted])
    return [
        cached[key] if key in cached else _stored_verdict(row, key, baseline, upward)
        for row, key, baseline, upward in wanted
    ]


def _stored_verdict(row: ContractVersion, key: str, baseline: str | None, upward: str) -> Verdict | None:
    if row.status not in (statuses.DRAFT, statuses.PROPOSED):
        return Verdict()
    try:
        document = default_store().get_document(row.contract.contract_id, row.version)
        return _verdict(key, row, document, baseline, upward)
    except (ContractNotFound, StoreUnavailable):  # a mirror row without its document (the bench's queue)
        return None
    except PortalError as exc:  # an unreadable stored document: the queue shows no verdict for it, not a 500
        log.warning("no verdict for %s %s: %s", row.contract.contract_id, row.version, exc)
        return None


def _verdict(key: str, row: ContractVersion, document: dict[str, Any], baseline: str | None, upward: str) -> Verdict:
    """Compute and cache the verdict (``check_compatibility`` with the baseline already looked up)."""
    verdict = Verdict()
    if compatibility_mode() != "off" and baseline is not None:
        verdict = verdict_of(_compare(row.contract.contract_id, row.version, document, baseline, upward))
    cache.set(key, verdict, 3600)
    return verdict


def _key(row: ContractVersion, baseline: str | None, upward: str) -> str:
    contract_id = row.contract.contract_id
    return f"verdict:v2:{contract_id}:{row.version}:{row.fingerprint}:{baseline}:{upward}:{compatibility_mode()}"
