"""Lifecycle orchestration: one governed status change under the contract's row lock.

The rules (who, from where, comments, four eyes) are in ``lifecycle.py``; this module reads the facts,
applies the guards (downgrade, compatibility), writes the store, then the mirror and the audit event.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from dc43_portal import odcs, statuses
from dc43_portal.accounts import policies, roles
from dc43_portal.contracts import lifecycle
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.mirror import record_event
from dc43_portal.contracts.models import Contract, ContractVersion, LifecycleEvent
from dc43_portal.contracts.services.common import contract_lock, guard_downgrade, store_write_status
from dc43_portal.contracts.services.compatibility import check_compatibility
from dc43_portal.diff.compatibility import with_verdict
from dc43_portal.errors import ContractConflict, ContractNotFound, InvalidContract, PortalError, StaleWrite
from dc43_portal.ids import check_contract_id
from dc43_portal.versioning import parse_version

Action = LifecycleEvent.Action
# Events that change a version's content: their actor is the "last editor" of the four-eyes rule.
EDIT_ACTIONS = (Action.PUBLISH, Action.REPLACE, Action.IMPORT, Action.EDIT)


def version_facts(row: ContractVersion) -> lifecycle.VersionFacts:
    """The lifecycle facts of a mirrored version; the last editor comes from the audit, not ``updated_by``."""
    return versions_facts([row])[0]


def versions_facts(rows: list[ContractVersion]) -> list[lifecycle.VersionFacts]:
    """``version_facts`` of many rows with one query (the review queue)."""
    wanted = {(row.contract.contract_id, row.version) for row in rows}
    events = (
        LifecycleEvent.objects.filter(
            contract_id__in={cid for cid, _ in wanted},
            version__in={v for _, v in wanted},
            action__in=(*EDIT_ACTIONS, Action.SUBMIT, Action.APPROVAL),
        )
        .order_by("created_at", "id")
        .values_list("contract_id", "version", "action", "actor", "actor_user_id")
    )
    # Ascending order: the last write per version wins, the first edit is the creation.
    editors: dict[tuple[str, str], tuple[str, int | None]] = {}
    creators: dict[tuple[str, str], int | None] = {}
    submitters: dict[tuple[str, str], int | None] = {}
    approvals: dict[tuple[str, str], list[tuple[int | None, str]]] = {}  # partial ones, since the last submission
    for cid, v, action, actor, uid in events:
        if action == Action.SUBMIT:
            submitters[(cid, v)] = uid
            approvals[(cid, v)] = []
        elif action == Action.APPROVAL:
            approvals.setdefault((cid, v), []).append((uid, actor))
        else:
            editors[(cid, v)] = (actor, uid)
            creators.setdefault((cid, v), uid)
    return [_facts(row, editors, creators, submitters, approvals) for row in rows]


def _facts(
    row: ContractVersion,
    editors: dict[Any, Any],
    creators: dict[Any, Any],
    submitters: dict[Any, Any],
    approvals: dict[Any, list[tuple[int | None, str]]],
) -> lifecycle.VersionFacts:
    key = (row.contract.contract_id, row.version)
    given = approvals.get(key, []) if row.status == statuses.PROPOSED else []
    editor, editor_id = editors.get(key, (row.updated_by, None))
    return lifecycle.VersionFacts(
        status=row.status,
        created_by=row.created_by,
        last_editor=editor,
        submitted_by=row.submitted_by,
        status_changed_by=row.status_changed_by,
        created_by_id=creators.get(key),
        last_editor_id=editor_id,
        submitted_by_id=submitters.get(key) if row.submitted_by else None,
        # Who already gave a partial approval: four eyes refuses them a second one (the queue, My work).
        approver_ids=tuple(uid for uid, _ in given if uid is not None),
        approvers=tuple(name for _, name in given),
    )


def refusal_error(refusal: lifecycle.Refusal) -> Exception:
    """The portal error of a refused transition (DESIGN §6)."""
    if refusal.kind == "permission":
        return PermissionDenied(refusal.message)
    if refusal.kind == "comment":
        return InvalidContract([("comment", refusal.message)])
    return ContractConflict(refusal.message)


def contract_transition(
    *,
    contract_id: str,
    version: str,
    to_status: str,
    user: Any,
    comment: str = "",
    replaced_by: str | None = None,
    expected_fingerprint: str | None = None,
    source: str = "ui",
    action: str | None = None,
    sunset: str | date | None = None,
) -> ContractVersion:
    """Move one version to ``to_status`` (a stored value or a label) as ``user``, by ``action`` when two moves
    share those ends (reject, withdraw); the one lifecycle write path."""
    target, actor = _check_request(contract_id, version, to_status, user)
    comment, replaced_by = comment.strip(), (replaced_by or "").strip() or None
    problem = lifecycle.comment_problem(comment)
    if problem:
        raise InvalidContract([("comment", problem)])
    if not ContractVersion.objects.filter(contract__contract_id=contract_id, version=version).exists():
        raise ContractNotFound(f"contract {contract_id} {version} not found")
    store = default_store()
    with transaction.atomic():
        row, doc = _read_locked(contract_lock(contract_id), version, expected_fingerprint)
        actor = roles.actor_in(user, row.contract.domain)  # the roles of this contract's domain decide
        facts = policies.with_approvals(version_facts(row), row)
        move = _allowed_move(facts, actor, target, comment, action)
        if move.action == "approve" and not lifecycle.is_final_approval(facts):  # the policy wants more approvers
            return _partial_approval(row, facts, actor, comment, doc, source)
        details, warnings = _guards(move, row, doc, replaced_by, sunset)
        _write(row, move, actor.username, warnings, details)
        record_event(
            contract_id=contract_id,
            version=version,
            action=move.action,
            actor=actor.username,
            actor_user_id=actor.user_id,
            from_status=move.source,
            to_status=move.target,
            comment=comment,
            fingerprint=odcs.fingerprint(doc),
            source=source,
            details=details,
        )
        # The store last, so a refused mirror or audit write never leaves the store ahead of them.
        store_write_status(store, contract_id, version, target, actor=actor.username)
    row.refresh_from_db()
    return row


def _allowed_move(
    facts: lifecycle.VersionFacts, actor: lifecycle.ActorFacts, target: str, comment: str, action: str | None
) -> lifecycle.Transition:
    """The move the rules allow, or the error of their refusal."""
    if refusal := lifecycle.transition_refusal(facts, actor, target, comment, action):
        raise refusal_error(refusal)
    move = lifecycle.pick_transition(facts, actor, target, action)
    if move is None:  # unreachable: transition_refusal refuses every missing path
        raise ContractConflict(f"no transition from {facts.status} to {target}")
    return move


def _partial_approval(
    row: ContractVersion,
    facts: lifecycle.VersionFacts,
    actor: lifecycle.ActorFacts,
    comment: str,
    doc: dict[str, Any],
    source: str,
) -> ContractVersion:
    """A partial approval's audit event (the roles it came with count for a policy's required role)."""
    record_event(
        contract_id=row.contract.contract_id,
        version=row.version,
        action=policies.APPROVAL,
        actor=actor.username,
        actor_user_id=actor.user_id,
        from_status=statuses.PROPOSED,
        to_status=statuses.PROPOSED,
        comment=comment,
        fingerprint=odcs.fingerprint(doc),
        source=source,
        details={"roles": sorted(actor.roles), "of": facts.approvals_required},
    )
    return row


def _read_locked(
    contract: Contract, version: str, expected_fingerprint: str | None
) -> tuple[ContractVersion, dict[str, Any]]:
    """Read the row and the document again under the lock: a concurrent transition has committed by now."""
    row = ContractVersion.objects.select_related("contract").filter(contract=contract, version=version).first()
    if row is None:  # a Draft deleted in the admin while this request waited for the lock
        raise ContractNotFound(f"contract {contract.contract_id} {version} not found")
    doc = default_store().get_document(contract.contract_id, version)
    if expected_fingerprint and expected_fingerprint != odcs.fingerprint(doc):
        raise StaleWrite(f"{contract.contract_id} {version} changed since you loaded it; reload the page and retry")
    return row, doc


def _check_request(contract_id: str, version: str, to_status: str, user: Any) -> tuple[str, lifecycle.ActorFacts]:
    """Refuse a malformed id, version or status and an anonymous actor before any query."""
    check_contract_id(contract_id)
    parse_version(version)
    target = statuses.parse_status(to_status)
    if target is None:
        raise InvalidContract([("status", f"{to_status!r} is not a status; use one of {', '.join(statuses.STATUSES)}")])
    actor = lifecycle.ActorFacts.of(user)
    if not actor.username:
        raise PermissionDenied("Log in to change the status of a version.")
    return target, actor


def _sunset(move: lifecycle.Transition, sunset: str | date | None) -> date | None:
    """The optional date after which a deprecated version goes away: an ISO date after today."""
    if sunset is None or sunset == "":
        return None
    if move.action != "deprecate":
        raise InvalidContract([("sunset", "only a deprecation sets a sunset date")])
    try:
        day = sunset if isinstance(sunset, date) else date.fromisoformat(sunset.strip())
    except ValueError:
        raise InvalidContract([("sunset", f"{sunset!r} is not a date (YYYY-MM-DD)")]) from None
    if day <= timezone.now().date():
        raise InvalidContract([("sunset", f"the sunset date {day.isoformat()} must be after today")])
    return day


def _write(
    row: ContractVersion,
    move: lifecycle.Transition,
    username: str,
    warnings: list[str] | None,
    details: dict[str, Any],
) -> None:
    """A conditional update: it only applies if the status is still the one the rules were checked against."""
    now = timezone.now()
    values: dict[str, Any] = {"status": move.target, "status_changed_at": now, "status_changed_by": username}
    if move.action in ("deprecate", "reinstate"):  # a reinstated version is replaced by nothing
        values["replaced_by"] = details.get("replaced_by", "")
        values["sunset_on"] = details.get("sunset")
    if warnings is not None:
        values["warnings"] = warnings
    if move.action == "submit":
        values["submitted_by"] = username
    if ContractVersion.objects.filter(pk=row.pk, status=move.source).update(**values) != 1:
        raise ContractConflict(f"{row} changed meanwhile; reload the page and retry")
    Contract.objects.filter(pk=row.contract_id).update(updated_at=now)


def _guards(
    move: lifecycle.Transition,
    row: ContractVersion,
    doc: dict[str, Any],
    replaced_by: str | None,
    sunset: str | date | None = None,
) -> tuple[dict[str, Any], list[str] | None]:
    """Downgrade guard, compatibility hook and replacement check; returns what the audit event keeps and
    the row's new warnings (``None``: unchanged)."""

    contract_id = row.contract.contract_id
    details: dict[str, Any] = {}
    warnings: list[str] | None = None
    if replaced_by is not None:
        details["replaced_by"] = _replacement(move, row, replaced_by)
    sunset_on = _sunset(move, sunset)
    if sunset_on is not None:
        details["sunset"] = sunset_on.isoformat()
    if move.target == statuses.ACTIVE:
        guard_downgrade(contract_id, row.version)
    if move.action == "approve" and settings.DC43_COMPATIBILITY != "off":
        verdict = check_compatibility(contract_id=contract_id, version=row.version, document=doc)
        if verdict.objections and settings.DC43_COMPATIBILITY != "warn":
            raise ContractConflict("incompatible with the Validated versions: " + "; ".join(verdict.objections))
        if verdict.objections or verdict.warnings:
            details["compatibility"] = {"objections": verdict.objections, "warnings": verdict.warnings}
        # The version page's banner shows what this check found, even if the publish-time check did not.
        warnings = with_verdict(list(row.warnings or []), verdict)
    return details, warnings


def _replacement(move: lifecycle.Transition, row: ContractVersion, replaced_by: str) -> str:
    """Only a newer Validated version of the same contract replaces a deprecated one."""
    if move.action != "deprecate":
        raise InvalidContract([("replaced_by", "only a deprecation names the version that replaces it")])
    parse_version(replaced_by)
    found = ContractVersion.objects.filter(contract=row.contract, version=replaced_by).first()
    if found is None or found.version == row.version:
        raise InvalidContract([("replaced_by", f"{replaced_by} is not another version of {row.contract.contract_id}")])
    if found.status != statuses.ACTIVE or parse_version(found.version) <= parse_version(row.version):
        raise InvalidContract(
            [
                (
                    "replaced_by",
                    f"{replaced_by} is {found.status_label}; only a newer Validated version can replace {row.version}",
                )
            ]
        )
    return replaced_by


def transition_move(
    *, contract_id: str, version: str, to_status: str, user: Any, action: str | None = None
) -> lifecycle.Transition | None:
    """The move ``user`` would make by asking for ``to_status`` now (the API picks the token scope by it)."""
    target = statuses.parse_status(to_status) or to_status
    row = (
        ContractVersion.objects.select_related("contract")
        .filter(contract__contract_id=contract_id, version=version)
        .first()
    )
    if row is None:
        raise ContractNotFound(f"contract {contract_id} {version} not found")
    return lifecycle.pick_transition(version_facts(row), roles.actor_in(user, row.contract.domain), target, action)


def transition_forecast(row: ContractVersion, user: Any, to_status: str) -> str:
    """Why moving ``row`` to ``to_status`` as ``user`` would be refused now, by the rules and the guards
    (downgrade, compatibility); "" when it would pass. Reads only: a preview, decided again on the write."""
    target = statuses.parse_status(to_status) or to_status
    actor = roles.actor_in(user, row.contract.domain)
    refusal = lifecycle.transition_refusal(version_facts(row), actor, target, comment="-")
    if refusal:
        return refusal.message
    move = lifecycle.transition_for(row.status, target)
    if move is None:
        return f"no transition from {row.status} to {target}"
    try:
        _guards(move, row, default_store().get_document(row.contract.contract_id, row.version), None)
    except (PortalError, PermissionDenied) as exc:
        return str(exc)
    return ""
