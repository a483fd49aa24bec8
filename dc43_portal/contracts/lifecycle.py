"""Lifecycle rules: statuses, which content may change, the downgrade guard, and who may move a version
where (four eyes, required comments). Pure: no database; the services and the API call these.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from dc43_portal import statuses
from dc43_portal.versioning import parse_version


def can_replace(status: str) -> bool:
    """Only a Draft's content can be replaced; every other status is immutable (DESIGN §1)."""
    return status not in statuses.UNCHANGEABLE


def downgrade_problem(version: str, active_versions: list[str]) -> str | None:
    """Why activating ``version`` would downgrade its major line, or ``None`` (DESIGN §3)."""
    candidate = parse_version(version)
    same_line = [v for v in active_versions if parse_version(v).major == candidate.major and v != version]
    if not same_line:
        return None
    top = max(same_line, key=lambda v: parse_version(v))
    if candidate < parse_version(top):
        return f"{version} is below {top}, the highest Validated version of major line {candidate.major}"
    return None


# ---------------------------------------------------------------- transitions: who may move a version where


AUTHOR = "author"
STEWARD = "steward"
AUTHOR_PERMISSION = "contracts.author_contract"
STEWARD_PERMISSION = "contracts.steward_contract"


@dataclass(frozen=True)
class ActorFacts:
    """What the rules need to know about whoever acts: a name, an id and two roles."""

    username: str
    is_author: bool = False
    is_steward: bool = False
    # Who, for four eyes, and every role held where it acts; left out of equality, which compares
    # what the actor may do as author and steward.
    user_id: int | None = field(default=None, compare=False)
    roles: frozenset[str] = field(default=frozenset(), compare=False)

    @classmethod
    def of(cls, user: Any, roles: Collection[str] | None = None) -> ActorFacts:
        """Facts of a Django user holding ``roles`` where it acts (the roles of the contract's domain, from
        ``accounts.roles``); without ``roles``, the global permissions of the groups."""
        if user is None or not getattr(user, "is_authenticated", False):
            return cls(username="")
        if roles is None:
            is_author, is_steward = user.has_perm(AUTHOR_PERMISSION), user.has_perm(STEWARD_PERMISSION)
        else:
            is_author, is_steward = AUTHOR in roles, STEWARD in roles
        held = frozenset(roles or ()) | {r for r, on in ((AUTHOR, is_author), (STEWARD, is_steward)) if on}
        return cls(user.get_username(), is_author=is_author, is_steward=is_steward, user_id=user.pk, roles=held)

    def is_person(self, user_id: int | None, username: str) -> bool:
        """Whether this actor is the one who did something: by id when both are known (a renamed account is
        still itself), by name for events from before ids were kept."""
        if self.user_id is not None and user_id is not None:
            return self.user_id == user_id
        return bool(self.username) and self.username == username


@dataclass(frozen=True)
class VersionFacts:
    """What the rules need to know about a version: its status and who touched it."""

    status: str
    created_by: str = ""
    last_editor: str = ""
    submitted_by: str = ""
    status_changed_by: str = ""
    # The same people by user id (``None`` when the audit does not know it).
    created_by_id: int | None = None
    last_editor_id: int | None = None
    submitted_by_id: int | None = None
    # The domain's approval policy and the approvals given since the last submission (accounts.policies).
    approvals_required: int = 1
    breaking: bool = False
    required_role: str = ""
    approver_ids: tuple[int, ...] = ()
    approvers: tuple[str, ...] = ()
    required_role_met: bool = False

    @property
    def approvals_missing(self) -> int:
        return max(self.approvals_required - len(self.approvers), 0)


@dataclass(frozen=True)
class Transition:
    action: str  # the LifecycleEvent action
    source: str
    target: str
    label: str  # the button
    role: str
    comment: str  # "required", "optional" or "none"
    comment_label: str
    done: str  # past tense, for messages: "approved"


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "submit", statuses.DRAFT, statuses.PROPOSED, "Submit for review", AUTHOR, "optional", "Note", "submitted"
    ),
    Transition("approve", statuses.PROPOSED, statuses.ACTIVE, "Approve", STEWARD, "optional", "Comment", "approved"),
    Transition("reject", statuses.PROPOSED, statuses.DRAFT, "Reject", STEWARD, "required", "Reason", "rejected"),
    # After reject, so a steward asking for "draft" still rejects; only the submitter may withdraw.
    Transition("withdraw", statuses.PROPOSED, statuses.DRAFT, "Withdraw", AUTHOR, "optional", "Note", "withdrawn"),
    Transition(
        "deprecate", statuses.ACTIVE, statuses.DEPRECATED, "Deprecate", STEWARD, "required", "Reason", "deprecated"
    ),
    Transition(
        "reinstate", statuses.DEPRECATED, statuses.ACTIVE, "Reinstate", STEWARD, "required", "Reason", "reinstated"
    ),
)
BY_ACTION = {t.action: t for t in TRANSITIONS}


class Refusal(NamedTuple):
    """Why a transition is refused. ``kind`` maps to an error: permission, state, four_eyes or comment."""

    kind: str
    message: str


def transition_for(source: str, target: str) -> Transition | None:
    return next((t for t in TRANSITIONS if t.source == source and t.target == target), None)


def pick_transition(
    version: VersionFacts, actor: ActorFacts, target: str, action: str | None = None
) -> Transition | None:
    """The move from the version's status to ``target`` (``action`` names it when given): of two moves with
    the same ends (reject, withdraw), the first one ``actor`` holds the role for."""
    moves = [t for t in TRANSITIONS if t.source == version.status and t.target == target and action in (None, t.action)]
    return next((t for t in moves if _role_refusal(t, version, actor) is None), moves[0] if moves else None)


def _role_refusal(t: Transition, version: VersionFacts, actor: ActorFacts) -> Refusal | None:
    if t.action == "withdraw":
        if actor.is_person(version.submitted_by_id, version.submitted_by):
            return None
        return Refusal("permission", "Only the author who submitted this version may withdraw it.")
    if t.role == AUTHOR:
        # "the author or any author": the person who published the draft, or anyone in the authors group.
        if actor.is_author or actor.is_person(version.created_by_id, version.created_by):
            return None
        return Refusal("permission", f"Only an author may {t.label.lower()}.")
    if not actor.is_steward:
        return Refusal("permission", f"Only a steward may {t.action} a version.")
    return None


def _four_eyes_refusal(t: Transition, version: VersionFacts, actor: ActorFacts) -> Refusal | None:
    if t.action != "approve":
        return None
    if actor.is_person(version.submitted_by_id, version.submitted_by):
        return Refusal("four_eyes", "You submitted this version; another steward must approve it (four eyes).")
    if actor.is_person(version.last_editor_id, version.last_editor):
        return Refusal("four_eyes", "You edited this version last; another steward must approve it (four eyes).")
    if actor.user_id is not None and actor.user_id in version.approver_ids:
        return Refusal(
            "four_eyes", "You already approved this version; another steward must give the next approval (four eyes)."
        )
    return None


def _policy_refusal(t: Transition, version: VersionFacts, actor: ActorFacts) -> Refusal | None:
    """The last approval a policy needs must come with its required role, unless an earlier approver had it."""
    if t.action != "approve" or not version.required_role or version.required_role_met:
        return None
    if version.approvals_missing <= 1 and version.required_role not in actor.roles:
        return Refusal(
            "permission", f"The last approval must come from a steward who is also {version.required_role} here."
        )
    return None


def is_final_approval(version: VersionFacts) -> bool:
    """Whether one more approval makes the version Validated (else it is recorded as a partial approval)."""
    return version.approvals_missing <= 1


def approval_summary(version: VersionFacts) -> str:
    """ "1 of 2 approvals: approved by sam, waiting for one more", for a version with a multi-approval policy."""
    given, needed = len(version.approvers), version.approvals_required
    if needed <= 1 and not given:
        return ""
    by = f": approved by {', '.join(version.approvers)}" if given else ""
    missing = version.approvals_missing
    waiting = {0: "", 1: ", waiting for one more"}.get(missing, f", waiting for {missing} more")
    return f"{given} of {needed} approvals{by}{waiting}"


def _target_refusal(target: str, version: VersionFacts, actor: ActorFacts, action: str | None) -> Refusal | None:
    """A role check before the state check, so a crafted request for another role's move is a 403 in any state."""
    moves = [t for t in TRANSITIONS if t.target == target and action in (None, t.action)] or [
        t for t in TRANSITIONS if t.target == target
    ]
    if any(_role_refusal(t, version, actor) is None for t in moves):
        return None
    return _role_refusal(moves[0], version, actor)


def transition_refusal(
    version: VersionFacts, actor: ActorFacts, target: str, comment: str = "", action: str | None = None
) -> Refusal | None:
    """Why ``actor`` may not move ``version`` to ``target`` (by ``action`` when given) with ``comment``, or
    ``None`` when allowed."""
    if target not in statuses.STATUSES:
        return Refusal("state", f"{target!r} is not a status; expected one of {', '.join(statuses.STATUSES)}.")
    refusal = _target_refusal(target, version, actor, action)
    if refusal:
        return refusal
    source = version.status
    if source == target:
        by = f" by {version.status_changed_by}" if version.status_changed_by else ""
        done = "approved" if target == statuses.ACTIVE else f"{statuses.label(target)}"
        return Refusal("state", f"This version is already {done}{by}.")
    t = pick_transition(version, actor, target, action)
    if t is None:
        return Refusal("state", _no_path(source, target))
    refusal = (
        _role_refusal(t, version, actor) or _four_eyes_refusal(t, version, actor) or _policy_refusal(t, version, actor)
    )
    if refusal:
        return refusal
    if t.comment == "required" and not comment.strip():
        return Refusal("comment", f"{t.label} needs a {t.comment_label.lower()}.")
    return None


def _no_path(source: str, target: str) -> str:
    allowed = [f"{t.label} ({statuses.label(t.target)})" for t in TRANSITIONS if t.source == source]
    then = f"; from {statuses.label(source)} the only ways are: {', '.join(allowed)}" if allowed else ""
    return f"A version cannot go from {statuses.label(source)} to {statuses.label(target)}{then}."


def allowed_transitions(version: VersionFacts | str, actor: ActorFacts) -> list[Transition]:
    """The transitions ``actor`` may start from ``version`` (comments aside, which the form collects)."""
    facts = version if isinstance(version, VersionFacts) else VersionFacts(status=version)
    return [
        t
        for t in TRANSITIONS
        if t.source == facts.status and transition_refusal(facts, actor, t.target, comment="-", action=t.action) is None
    ]


def blocked_transitions(version: VersionFacts, actor: ActorFacts) -> list[tuple[Transition, str]]:
    """Transitions from this status that ``actor`` holds the role for but may not do now, with why (four eyes)."""
    blocked = []
    for t in TRANSITIONS:
        if t.source != version.status or _role_refusal(t, version, actor):
            continue
        refusal = _four_eyes_refusal(t, version, actor)
        if refusal:
            blocked.append((t, refusal.message))
    return blocked


def user_can(actor: ActorFacts, action: str, version: VersionFacts | None = None) -> bool:
    """Whether ``actor`` may do ``action`` (a transition, or "publish"), on ``version`` when given."""
    if action in {"publish", "edit"}:
        return can_publish(actor)
    t = BY_ACTION.get(action)
    if t is None:
        return False
    if version is None:
        return t.role == AUTHOR and actor.is_author or t.role == STEWARD and actor.is_steward
    return transition_refusal(version, actor, t.target, comment="-", action=t.action) is None


def discard_refusal(version: VersionFacts, actor: ActorFacts) -> Refusal | None:
    """Why ``actor`` may not discard (delete) ``version``: only the author who created a Draft may."""
    if not (actor.is_author and actor.is_person(version.created_by_id, version.created_by)):
        return Refusal("permission", "Only the author who created this Draft may discard it.")
    if version.status != statuses.DRAFT:
        return Refusal("state", f"Only a Draft can be discarded; this version is {statuses.label(version.status)}.")
    return None


# The same bound as the admin's action comments; the audit keeps a reason, not a document.
MAX_COMMENT_CHARS = 2000


def comment_problem(comment: str) -> str | None:
    """Why a transition's comment cannot be kept in the audit, or ``None``."""
    if len(comment) > MAX_COMMENT_CHARS:
        return f"A comment is at most {MAX_COMMENT_CHARS:,} characters; this one has {len(comment):,}."
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in comment):
        return "A comment must not contain control characters."
    return None


def can_publish(actor: ActorFacts) -> bool:
    """Authors publish new versions and replace drafts."""
    return actor.is_author


def can_edit(status: str) -> bool:
    """A Draft can be edited in place; In review, Validated and Deprecated content is frozen."""
    return can_replace(status)


def suggest_version(source: str, bump: str, existing: list[str]) -> str:
    """The next ``bump`` of ``source`` that no existing version takes (SemVer precedence, build ignored)."""
    taken = {parse_version(v) for v in existing}
    candidate = parse_version(source).bump(bump)
    while candidate in taken:
        candidate = candidate.bump(bump)
    return str(candidate)
