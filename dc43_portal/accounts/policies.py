"""Approval policies per domain: how many distinct stewards approve a version, and whether one of them
must hold another role in the domain. The counting rules are pure (``contracts.lifecycle``); this module
reads the policy and the approvals given so far into the version's facts."""

from __future__ import annotations

import dataclasses

from dc43_portal import statuses
from dc43_portal.accounts.models import ApprovalPolicy
from dc43_portal.contracts import lifecycle
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from dc43_portal.versioning import parse_version

# A partial approval: the version stays In review until the policy's count is reached.
APPROVAL = "approval"


def policy_for(domain: str) -> ApprovalPolicy:
    """The domain's policy, or the default: one approval, any steward."""
    return ApprovalPolicy.objects.filter(domain=domain or "").first() or ApprovalPolicy(domain=domain or "")


def is_breaking(row: ContractVersion) -> bool:
    """A breaking version opens a new major line above every Validated one (SemVer's meaning of major)."""
    majors = [
        parse_version(v).major
        for v in ContractVersion.objects.filter(contract=row.contract, status=statuses.ACTIVE).values_list(
            "version", flat=True
        )
    ]
    return bool(majors) and parse_version(row.version).major > max(majors)


def with_approvals(facts: lifecycle.VersionFacts, row: ContractVersion) -> lifecycle.VersionFacts:
    """``facts`` plus the policy and the partial approvals since the version was last submitted."""
    if row.status != statuses.PROPOSED:
        return facts
    policy = policy_for(row.contract.domain)
    events = LifecycleEvent.objects.filter(contract_id=row.contract.contract_id, version=row.version)
    submitted = events.filter(action=LifecycleEvent.Action.SUBMIT).order_by("-created_at", "-id").first()
    approvals = events.filter(action=APPROVAL).order_by("created_at", "id")
    if submitted is not None:
        approvals = approvals.filter(id__gt=submitted.id)
    given = list(approvals.values_list("actor_user_id", "actor", "details"))
    breaking = is_breaking(row)
    return dataclasses.replace(
        facts,
        approvals_required=policy.breaking_approvals if breaking else policy.approvals,
        breaking=breaking,
        required_role=policy.required_role,
        approver_ids=tuple(uid for uid, _, _ in given if uid is not None),
        approvers=tuple(name for _, name, _ in given),
        required_role_met=any(policy.required_role in (d or {}).get("roles", []) for _, _, d in given),
    )
