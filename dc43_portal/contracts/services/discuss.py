"""Discussions: comments on a version (with @mentions), resolving them, and change requests that an author
turns into a Draft. Every write is audited (``comment``, ``resolve``); comments live in the portal only.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from dc43_portal import odcs, statuses
from dc43_portal.accounts import roles
from dc43_portal.contracts import lifecycle
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.mirror import record_event
from dc43_portal.contracts.models import Comment, Contract, ContractVersion
from dc43_portal.contracts.services.publish import contract_publish
from dc43_portal.errors import ContractConflict, ContractNotFound, InvalidContract

MAX_COMMENT_CHARS = 10_000
MENTION = re.compile(r"(?<![\w@])@([\w.+-]+)")


def mentioned_users(body: str) -> list[str]:
    """The usernames ``@named`` in ``body`` that belong to an account, in order, once each."""
    names = list(dict.fromkeys(m.rstrip(".") for m in MENTION.findall(body)))
    known = set(get_user_model().objects.filter(username__in=names).values_list("username", flat=True))
    return [n for n in names if n in known]


def _body_problem(body: str) -> str | None:
    if not body.strip():
        return "Write something first."
    if len(body) > MAX_COMMENT_CHARS:
        return f"A comment is at most {MAX_COMMENT_CHARS:,} characters; this one has {len(body):,}."
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in body):
        return "A comment must not contain control characters."
    return None


def comment_add(
    *, contract_id: str, version: str, user: Any, body: str, change_request: bool = False, source: str = "ui"
) -> Comment:
    """Any signed-in reader comments; a change request only on a Validated version."""
    username = lifecycle.ActorFacts.of(user).username
    if not username:
        raise PermissionDenied("Log in to comment.")
    problem = _body_problem(body)
    if problem:
        raise InvalidContract([("body", problem)])
    row = (
        ContractVersion.objects.select_related("contract")
        .filter(contract__contract_id=contract_id, version=version)
        .first()
    )
    readable = roles.readable_domains(user)
    if row is None or (readable is not None and row.contract.domain not in readable):
        raise ContractNotFound(f"contract {contract_id} {version} not found")
    if change_request and row.status != statuses.ACTIVE:
        raise ContractConflict("A change request is opened on a Validated version; comment on this one instead.")
    with transaction.atomic():
        comment = Comment.objects.create(
            contract_id=contract_id,
            version=version,
            author=username,
            body=body.strip(),
            mentions=mentioned_users(body),
            change_request=change_request,
        )
        record_event(
            contract_id=contract_id,
            version=version,
            action="comment",
            actor=username,
            comment=body.strip()[:2000],
            fingerprint=row.fingerprint,
            source=source,
            details={"comment_id": comment.pk, "mentions": comment.mentions, "change_request": change_request},
        )
    return comment


def _domain(contract_id: str) -> str:
    return Contract.objects.filter(contract_id=contract_id).values_list("domain", flat=True).first() or ""


def comment_resolve(*, comment_id: int, user: Any, source: str = "ui") -> Comment:
    """Its writer, an author or a steward (of the contract's domain) resolves a comment."""
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None:
        raise ContractNotFound(f"comment {comment_id} not found")
    actor = roles.actor_in(user, _domain(comment.contract_id))
    if not (actor.username and (actor.username == comment.author or actor.is_author or actor.is_steward)):
        raise PermissionDenied("Only its writer, an author or a steward resolves a comment.")
    with transaction.atomic():
        if (
            Comment.objects.filter(pk=comment.pk, resolved_at__isnull=True).update(
                resolved_at=timezone.now(), resolved_by=actor.username
            )
            != 1
        ):
            raise ContractConflict(f"This comment was already resolved by {comment.resolved_by or 'someone'}.")
        record_event(
            contract_id=comment.contract_id,
            version=comment.version,
            action="resolve",
            actor=actor.username,
            source=source,
            details={"comment_id": comment.pk},
        )
    comment.refresh_from_db()
    return comment


def change_request_accept(*, comment_id: int, user: Any, source: str = "ui") -> ContractVersion:
    """An author turns a change request into a Draft: the next minor version, from the Validated one."""
    request = Comment.objects.filter(pk=comment_id, change_request=True).first()
    if request is None:
        raise ContractNotFound(f"change request {comment_id} not found")
    actor = roles.actor_in(user, _domain(request.contract_id))
    if not lifecycle.can_publish(actor):
        raise PermissionDenied("Only an author of this contract's domain turns a change request into a Draft.")
    if request.draft_version:
        raise ContractConflict(f"This change request already became Draft {request.draft_version}.")
    existing = list(
        ContractVersion.objects.filter(contract__contract_id=request.contract_id).values_list("version", flat=True)
    )
    new = lifecycle.suggest_version(request.version, "minor", existing)
    doc = odcs.with_status(default_store().get_document(request.contract_id, request.version), statuses.DRAFT)
    with transaction.atomic():
        row = contract_publish(
            document={**doc, "version": new},
            actor=actor.username,
            create_only=True,
            comment=f"from change request #{request.pk} by {request.author}",
            source=source,
        ).version
        Comment.objects.filter(pk=request.pk).update(
            draft_version=new, resolved_at=timezone.now(), resolved_by=actor.username
        )
    return row
