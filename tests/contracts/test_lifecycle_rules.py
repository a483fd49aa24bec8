"""The pure transition rules: who may move a version where, comments and four eyes (no database)."""

from __future__ import annotations

import pytest

from dc43_portal import statuses
from dc43_portal.contracts.lifecycle import (
    ActorFacts,
    VersionFacts,
    allowed_transitions,
    blocked_transitions,
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
    assert actions(PROPOSED, ALICE) == []
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
    ("version", "target", "comment", "kind"),
    [
        (PROPOSED, statuses.DRAFT, "", "comment"),
        (PROPOSED, statuses.DRAFT, "   ", "comment"),
        (ACTIVE, statuses.DEPRECATED, "", "comment"),
        (DEPRECATED, statuses.ACTIVE, "", "comment"),
        (DRAFT, statuses.ACTIVE, "x", "state"),
        (ACTIVE, statuses.DRAFT, "x", "state"),
        (DEPRECATED, statuses.PROPOSED, "x", "permission"),
        (DEPRECATED, statuses.DRAFT, "x", "state"),
        (PROPOSED, "retired", "x", "state"),
    ],
)
def test_it_refuses_every_other_transition_with_a_reason(
    version: VersionFacts, target: str, comment: str, kind: str
) -> None:
    refusal = transition_refusal(version, SAM, target, comment)
    assert refusal is not None
    assert refusal.kind == kind
    assert refusal.message


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
