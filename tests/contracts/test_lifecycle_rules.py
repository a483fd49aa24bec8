"""The pure transition rules: who may move a version where, comments and four eyes (no database)."""

from __future__ import annotations

import pytest

from dc43_portal import statuses
from dc43_portal.contracts.lifecycle import (
    AUTHOR_PERMISSION,
    MAX_COMMENT_CHARS,
    STEWARD_PERMISSION,
    TRANSITIONS,
    ActorFacts,
    VersionFacts,
    allowed_transitions,
    approval_summary,
    blocked_transitions,
    can_edit,
    can_publish,
    can_replace,
    comment_problem,
    downgrade_problem,
    is_final_approval,
    suggest_version,
    transition_refusal,
    user_can,
)

ALICE = ActorFacts("alice", is_author=True)
ARTHUR = ActorFacts("arthur", is_author=True)
SAM = ActorFacts("sam", is_steward=True)
SUE = ActorFacts("sue", is_steward=True)
VICTOR = ActorFacts("victor")
BOTH = ActorFacts("root", is_author=True, is_steward=True)

DRAFT = VersionFacts(statuses.DRAFT, created_by="alice", last_editor="alice")
PROPOSED = VersionFacts(statuses.PROPOSED, created_by="alice", last_editor="alice", submitted_by="alice")
ACTIVE = VersionFacts(statuses.ACTIVE, created_by="alice", last_editor="alice", status_changed_by="sam")
DEPRECATED = VersionFacts(statuses.DEPRECATED, created_by="alice", last_editor="alice")


def actions(version: VersionFacts, actor: ActorFacts) -> list[str]:
    return [t.action for t in allowed_transitions(version, actor)]


def test_it_lets_authors_submit_and_stewards_do_the_rest() -> None:
    assert actions(DRAFT, ALICE) == ["submit"]
    assert actions(DRAFT, ARTHUR) == ["submit"]
    assert actions(DRAFT, SAM) == []
    assert actions(PROPOSED, SAM) == ["approve", "reject"]
    assert actions(PROPOSED, ALICE) == ["withdraw"]  # her own submission
    assert actions(ACTIVE, SAM) == ["deprecate"]
    assert actions(DEPRECATED, SAM) == ["reinstate"]
    for version in (DRAFT, PROPOSED, ACTIVE, DEPRECATED):
        assert actions(version, VICTOR) == []


def test_it_lets_the_creator_submit_without_the_author_role() -> None:
    former_author = ActorFacts("alice")
    assert actions(DRAFT, former_author) == ["submit"]


def test_it_refuses_approval_by_the_submitter_or_the_last_editor() -> None:
    refusal = transition_refusal(PROPOSED, ActorFacts("alice", is_steward=True), statuses.ACTIVE)
    assert refusal is not None and refusal.kind == "four_eyes" and "submitted" in refusal.message
    edited = VersionFacts(statuses.PROPOSED, created_by="alice", last_editor="sam", submitted_by="alice")
    refusal = transition_refusal(edited, SAM, statuses.ACTIVE)
    assert refusal is not None and refusal.kind == "four_eyes" and "edited" in refusal.message
    assert transition_refusal(edited, SUE, statuses.ACTIVE) is None
    # The submitter may still reject (withdraw) with a reason: four eyes guards approval only.
    assert transition_refusal(PROPOSED, ActorFacts("alice", is_steward=True), statuses.DRAFT, "oops") is None


def test_it_explains_blocked_buttons() -> None:
    mine = VersionFacts(statuses.PROPOSED, created_by="sam", last_editor="sam", submitted_by="sam")
    blocked = blocked_transitions(mine, ActorFacts("sam", is_author=True, is_steward=True))
    assert [(t.action, "four eyes" in why) for t, why in blocked] == [("approve", True)]
    assert blocked_transitions(PROPOSED, SUE) == []


@pytest.mark.parametrize(
    ("version", "target", "comment", "kind", "message"),
    [
        (PROPOSED, statuses.DRAFT, "", "comment", "Reject needs a reason."),
        (PROPOSED, statuses.DRAFT, "  \n ", "comment", "Reject needs a reason."),
        (ACTIVE, statuses.DEPRECATED, "", "comment", "Deprecate needs a reason."),
        (DEPRECATED, statuses.ACTIVE, "", "comment", "Reinstate needs a reason."),
        (
            DRAFT,
            statuses.ACTIVE,
            "x",
            "state",
            "A version cannot go from Draft to Validated; from Draft the only ways are: Submit for review (In review).",
        ),
        (
            ACTIVE,
            statuses.DRAFT,
            "x",
            "state",
            "A version cannot go from Validated to Draft; from Validated the only ways are: Deprecate (Deprecated).",
        ),
        (DEPRECATED, statuses.PROPOSED, "x", "permission", "Only an author may submit for review."),
        (
            DEPRECATED,
            statuses.DRAFT,
            "x",
            "state",
            "A version cannot go from Deprecated to Draft; from Deprecated the only ways are: Reinstate (Validated).",
        ),
        (
            PROPOSED,
            "retired",
            "x",
            "state",
            "'retired' is not a status; expected one of draft, proposed, active, deprecated.",
        ),
        (DEPRECATED, statuses.DEPRECATED, "x", "state", "This version is already Deprecated."),
    ],
)
def test_it_refuses_every_other_transition_with_a_reason(
    version: VersionFacts, target: str, comment: str, kind: str, message: str
) -> None:
    assert transition_refusal(version, SAM, target, comment) == (kind, message)


@pytest.mark.parametrize(
    ("version", "actor", "target", "message"),
    [
        (PROPOSED, ALICE, statuses.ACTIVE, "Only a steward may approve a version."),
        (PROPOSED, VICTOR, statuses.DRAFT, "Only a steward may reject a version."),
        (ACTIVE, ARTHUR, statuses.DEPRECATED, "Only a steward may deprecate a version."),
        (DRAFT, VICTOR, statuses.PROPOSED, "Only an author may submit for review."),
        (DRAFT, SAM, statuses.PROPOSED, "Only an author may submit for review."),
    ],
)
def test_it_names_the_role_a_move_needs(version: VersionFacts, actor: ActorFacts, target: str, message: str) -> None:
    assert transition_refusal(version, actor, target, "x") == ("permission", message)


def test_it_lets_nobody_without_a_name_submit_as_the_creator() -> None:
    # An anonymous actor (empty username) is not the creator of a draft created by nobody.
    anonymous_draft = VersionFacts(statuses.DRAFT)
    assert transition_refusal(anonymous_draft, ActorFacts(""), statuses.PROPOSED) == (
        "permission",
        "Only an author may submit for review.",
    )
    assert transition_refusal(anonymous_draft, ActorFacts("", is_steward=True), statuses.PROPOSED) is not None


def test_it_keeps_four_eyes_from_matching_an_empty_name() -> None:
    unsigned = VersionFacts(statuses.PROPOSED)
    assert transition_refusal(unsigned, ActorFacts("", is_steward=True), statuses.ACTIVE) is None


def test_it_reads_the_actor_facts_of_a_user() -> None:
    class User:
        is_authenticated = True
        pk = 7

        def __init__(self, name: str, perms: set[str]) -> None:
            self.name, self.perms = name, perms

        def get_username(self) -> str:
            return self.name

        def has_perm(self, perm: str) -> bool:
            return perm in self.perms

    assert ActorFacts.of(User("ann", {AUTHOR_PERMISSION})) == ActorFacts("ann", is_author=True)
    assert ActorFacts.of(User("ann", set())).user_id == 7
    assert ActorFacts.of(User("sam", {STEWARD_PERMISSION})) == ActorFacts("sam", is_steward=True)
    assert ActorFacts.of(None) == ActorFacts("")
    anonymous = User("x", {AUTHOR_PERMISSION})
    anonymous.is_authenticated = False  # type: ignore[misc]
    assert ActorFacts.of(anonymous) == ActorFacts("")
    assert (AUTHOR_PERMISSION, STEWARD_PERMISSION) == ("contracts.author_contract", "contracts.steward_contract")


def test_it_names_the_ways_out_of_a_status() -> None:
    refusal = transition_refusal(DRAFT, BOTH, statuses.ACTIVE)
    assert refusal is not None
    assert refusal.message == (
        "A version cannot go from Draft to Validated; from Draft the only ways are: Submit for review (In review)."
    )


def test_it_says_who_already_approved() -> None:
    refusal = transition_refusal(ACTIVE, SUE, statuses.ACTIVE)
    assert refusal is not None and refusal.message == "This version is already approved by sam."


def test_it_answers_a_role_question_before_a_state_question() -> None:
    # A viewer or an author crafting a steward's move gets "not allowed", whatever the status.
    for version in (DRAFT, PROPOSED, ACTIVE, DEPRECATED):
        for actor in (VICTOR, ARTHUR):
            refusal = transition_refusal(version, actor, statuses.ACTIVE, "x")
            assert refusal is not None and refusal.kind == "permission"


def test_it_answers_user_can() -> None:
    assert user_can(ALICE, "publish") and not user_can(SAM, "publish")
    assert user_can(SAM, "approve") and not user_can(ALICE, "approve")
    assert user_can(SUE, "approve", PROPOSED) and not user_can(
        ActorFacts("alice", is_steward=True), "approve", PROPOSED
    )
    assert not user_can(SAM, "explode")


@pytest.mark.parametrize(
    ("source", "bump", "existing", "expected"),
    [
        ("1.0.0", "patch", ["1.0.0"], "1.0.1"),
        ("1.0.0", "minor", ["1.0.0", "1.1.0"], "1.2.0"),
        ("1.0.0", "major", ["1.0.0", "2.0.0", "3.0.0"], "4.0.0"),
        ("2.0.0-rc.1", "patch", ["2.0.0-rc.1"], "2.0.0"),
        ("1.0.0", "patch", ["1.0.0", "1.0.1+build.7"], "1.0.2"),
    ],
)
def test_it_suggests_the_next_free_version(source: str, bump: str, existing: list[str], expected: str) -> None:
    assert suggest_version(source, bump, existing) == expected


def test_it_has_these_transitions_and_no_other() -> None:
    assert [
        (t.action, t.source, t.target, t.label, t.role, t.comment, t.comment_label, t.done) for t in TRANSITIONS
    ] == [
        ("submit", "draft", "proposed", "Submit for review", "author", "optional", "Note", "submitted"),
        ("approve", "proposed", "active", "Approve", "steward", "optional", "Comment", "approved"),
        ("reject", "proposed", "draft", "Reject", "steward", "required", "Reason", "rejected"),
        ("withdraw", "proposed", "draft", "Withdraw", "author", "optional", "Note", "withdrawn"),
        ("deprecate", "active", "deprecated", "Deprecate", "steward", "required", "Reason", "deprecated"),
        ("reinstate", "deprecated", "active", "Reinstate", "steward", "required", "Reason", "reinstated"),
    ]


def test_it_accepts_an_optional_comment_left_empty() -> None:
    assert transition_refusal(DRAFT, ALICE, statuses.PROPOSED, "") is None
    assert transition_refusal(PROPOSED, SUE, statuses.ACTIVE, "") is None


@pytest.mark.parametrize(
    ("version", "active", "problem"),
    [
        ("1.1.0", ["1.2.0", "1.5.0"], "1.1.0 is below 1.5.0, the highest Validated version of major line 1"),
        ("1.3.0", ["1.2.0", "1.5.0"], "1.3.0 is below 1.5.0, the highest Validated version of major line 1"),
        ("1.6.0", ["1.5.0", "1.2.0"], None),
        ("1.5.0", ["1.5.0"], None),
        ("1.5.0", ["1.5.0", "1.4.0"], None),
        ("1.0.0", ["2.0.0", "0.9.0"], None),
        ("2.0.0-rc.1", ["2.0.0", "1.0.0"], "2.0.0-rc.1 is below 2.0.0, the highest Validated version of major line 2"),
        ("1.10.0", ["1.9.0"], None),
        ("1.9.0", ["1.10.0"], "1.9.0 is below 1.10.0, the highest Validated version of major line 1"),
        ("1.9.5", ["1.9.0", "1.10.0"], "1.9.5 is below 1.10.0, the highest Validated version of major line 1"),
        ("1.5.0+b", ["1.5.0+a"], None),
    ],
)
def test_it_guards_each_major_line_against_a_downgrade(version: str, active: list[str], problem: str | None) -> None:
    assert downgrade_problem(version, active) == problem


def test_it_bounds_a_comment_at_2000_characters() -> None:
    assert MAX_COMMENT_CHARS == 2000
    assert comment_problem("x" * 2000) is None
    assert comment_problem("x" * 2001) == "A comment is at most 2,000 characters; this one has 2,001."
    assert comment_problem("line\ttab\r\nnext") is None
    assert comment_problem("bell\x07") == "A comment must not contain control characters."
    assert comment_problem("\x1f") == "A comment must not contain control characters."
    assert comment_problem(" ") is None


def test_it_freezes_all_but_drafts_and_lets_authors_publish() -> None:
    assert can_replace(statuses.DRAFT) and can_edit(statuses.DRAFT)
    for status in (statuses.PROPOSED, statuses.ACTIVE, statuses.DEPRECATED):
        assert not can_replace(status) and not can_edit(status)
    assert can_publish(ALICE) and not can_publish(SAM) and not can_publish(VICTOR)
    assert user_can(ALICE, "edit") and not user_can(SAM, "edit")


def test_it_answers_user_can_for_each_role_without_a_version() -> None:
    assert [a for a in ("submit", "approve", "reject", "deprecate", "reinstate") if user_can(ALICE, a)] == ["submit"]
    assert [a for a in ("submit", "approve", "reject", "deprecate", "reinstate") if user_can(SAM, a)] == [
        "approve",
        "reject",
        "deprecate",
        "reinstate",
    ]
    assert not user_can(VICTOR, "submit") and user_can(BOTH, "submit") and user_can(BOTH, "reinstate")
    assert user_can(SUE, "reject", PROPOSED) and not user_can(SUE, "submit", PROPOSED)


def test_it_lists_what_a_status_string_allows() -> None:
    assert [t.action for t in allowed_transitions(statuses.PROPOSED, SUE)] == ["approve", "reject"]


def test_it_explains_why_the_last_editor_may_not_approve() -> None:
    edited = VersionFacts(statuses.PROPOSED, created_by="alice", last_editor="sue", submitted_by="alice")
    assert blocked_transitions(edited, SUE) == [
        (TRANSITIONS[1], "You edited this version last; another steward must approve it (four eyes).")
    ]
    assert transition_refusal(PROPOSED, ActorFacts("alice", is_steward=True), statuses.ACTIVE) == (
        "four_eyes",
        "You submitted this version; another steward must approve it (four eyes).",
    )
    assert blocked_transitions(ACTIVE, SUE) == [] and blocked_transitions(PROPOSED, ALICE) == []


def test_it_needs_a_comment_when_none_is_given() -> None:
    assert transition_refusal(PROPOSED, SAM, statuses.DRAFT) == ("comment", "Reject needs a reason.")


def test_it_names_every_way_out_or_none() -> None:
    assert transition_refusal(PROPOSED, SAM, statuses.DEPRECATED, "x") == (
        "state",
        "A version cannot go from In review to Deprecated; "
        "from In review the only ways are: Approve (Validated), Reject (Draft), Withdraw (Draft).",
    )
    assert transition_refusal(VersionFacts("retired"), SAM, statuses.DRAFT, "x") == (
        "state",
        "A version cannot go from retired to Draft.",
    )


def test_it_reads_a_user_without_an_authentication_flag_as_anonymous() -> None:
    class Bare:
        def get_username(self) -> str:
            return "ann"

        def has_perm(self, perm: str) -> bool:
            return True

    assert ActorFacts.of(Bare()) == ActorFacts("")


def test_it_blocks_nothing_for_the_creator_of_a_draft_without_the_author_role() -> None:
    assert blocked_transitions(DRAFT, ActorFacts("alice")) == []
    assert blocked_transitions(DRAFT, ActorFacts("bob")) == []


# ---------------------------------------------------------------- approval policies (pure rules)


def policy(**fields: object) -> VersionFacts:
    facts = {"created_by": "alice", "submitted_by": "alice", **fields}
    return VersionFacts(statuses.PROPOSED, **facts)  # type: ignore[arg-type]


SAM_ID = ActorFacts("sam", is_steward=True, user_id=1)
SUE_ID = ActorFacts("sue", is_steward=True, user_id=2)
OWNER = ActorFacts("olga", is_steward=True, user_id=3, roles=frozenset({"steward", "owner"}))


def test_it_tells_people_apart_by_id_then_by_name() -> None:
    assert SAM_ID.is_person(1, "someone else") and not SAM_ID.is_person(2, "sam")
    assert SAM_ID.is_person(None, "sam") and not SAM_ID.is_person(None, "sue")
    assert ActorFacts("sam").is_person(1, "sam") and not ActorFacts("").is_person(None, "")


def test_it_refuses_a_second_approval_by_the_same_steward() -> None:
    version = policy(approvals_required=2, approver_ids=(1,), approvers=("sam",))
    assert transition_refusal(version, SAM_ID, statuses.ACTIVE) == (
        "four_eyes",
        "You already approved this version; another steward must give the next approval (four eyes).",
    )
    assert transition_refusal(version, SUE_ID, statuses.ACTIVE) is None
    assert transition_refusal(policy(approver_ids=(1,)), ActorFacts("sam", is_steward=True), statuses.ACTIVE) is None
    # by id: a renamed submitter is still the submitter
    renamed = policy(submitted_by="old-name", submitted_by_id=2)
    assert transition_refusal(renamed, SUE_ID, statuses.ACTIVE) == (
        "four_eyes",
        "You submitted this version; another steward must approve it (four eyes).",
    )
    edited = policy(last_editor="x", last_editor_id=2)
    assert transition_refusal(edited, SUE_ID, statuses.ACTIVE) == (
        "four_eyes",
        "You edited this version last; another steward must approve it (four eyes).",
    )
    assert transition_refusal(policy(), SUE_ID, statuses.DRAFT, "why") is None


def test_it_asks_the_required_role_of_the_last_approval_only() -> None:
    needs_owner = {"approvals_required": 2, "required_role": "owner"}
    refused = ("permission", "The last approval must come from a steward who is also owner here.")
    assert transition_refusal(policy(**needs_owner), SAM_ID, statuses.ACTIVE) is None  # the first of two
    last = policy(**needs_owner, approver_ids=(2,), approvers=("sue",))
    assert transition_refusal(last, SAM_ID, statuses.ACTIVE) == refused
    assert transition_refusal(last, OWNER, statuses.ACTIVE) is None
    assert transition_refusal(policy(required_role="owner"), SAM_ID, statuses.ACTIVE) == refused
    met = policy(**needs_owner, approver_ids=(3,), approvers=("olga",), required_role_met=True)
    assert transition_refusal(met, SAM_ID, statuses.ACTIVE) is None
    assert transition_refusal(policy(required_role="owner"), SAM_ID, statuses.DRAFT, "why") is None
    assert [t.action for t in allowed_transitions(last, SAM_ID)] == ["reject"]


@pytest.mark.parametrize(
    ("fields", "final", "summary"),
    [
        ({}, True, ""),
        ({"approvals_required": 2}, False, "0 of 2 approvals, waiting for 2 more"),
        (
            {"approvals_required": 2, "approvers": ("sam",)},
            True,
            "1 of 2 approvals: approved by sam, waiting for one more",
        ),
        (
            {"approvals_required": 3, "approvers": ("sam",)},
            False,
            "1 of 3 approvals: approved by sam, waiting for 2 more",
        ),
        ({"approvals_required": 2, "approvers": ("sam", "sue")}, True, "2 of 2 approvals: approved by sam, sue"),
        ({"approvals_required": 1, "approvers": ("sam",)}, True, "1 of 1 approvals: approved by sam"),
    ],
)
def test_it_counts_approvals(fields: dict[str, object], final: bool, summary: str) -> None:
    version = policy(**fields)
    assert is_final_approval(version) is final
    assert approval_summary(version) == summary


def test_it_reads_the_roles_held_where_the_actor_acts() -> None:
    class User:
        is_authenticated = True
        pk = 9

        def get_username(self) -> str:
            return "ann"

        def has_perm(self, perm: str) -> bool:
            return perm == STEWARD_PERMISSION

    author_here = ActorFacts.of(User(), roles={"author"})
    assert (author_here.is_author, author_here.is_steward, author_here.roles) == (True, False, frozenset({"author"}))
    owner = ActorFacts.of(User(), roles={"owner", "steward"})
    assert (owner.is_author, owner.is_steward, owner.roles) == (False, True, frozenset({"owner", "steward"}))
    global_steward = ActorFacts.of(User())
    assert (global_steward.is_steward, global_steward.roles, global_steward.user_id) == (
        True,
        frozenset({"steward"}),
        9,
    )


def test_it_lets_the_creator_submit_by_id_after_a_rename() -> None:
    draft = VersionFacts(statuses.DRAFT, created_by="old-name", created_by_id=7)
    assert transition_refusal(draft, ActorFacts("new-name", user_id=7), statuses.PROPOSED) is None
